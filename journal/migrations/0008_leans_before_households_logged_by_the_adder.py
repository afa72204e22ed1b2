"""Leans from before households were logged by the dog's adder: say so, so that an empty logger means a former member."""

from __future__ import annotations

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Exists, OuterRef, Subquery


def applied(connection, app: str, name: str):
    record = MigrationRecorder(connection).migration_qs.filter(app=app, name=name).first()
    return record.applied if record else None


def adders_logged_old_leans(apps, schema_editor):
    Dog = apps.get_model("dogs", "Dog")
    Membership = apps.get_model("dogs", "Membership")
    Incident = apps.get_model("journal", "Incident")
    # Until logged_by existed only the adder could log. Since then every door records the
    # logger, so a later empty one is an account that was deleted and must stay empty.
    since = applied(schema_editor.connection, "journal", "0003_incident_logged_by")
    households = applied(schema_editor.connection, "dogs", "0006_owners_become_members")
    if since is None or households is None:
        return
    # The adder still named on the dog has been a member since households began: a dog handed to
    # another owner by the old account deletion names someone who did not log those leans.
    adder_from_the_start = Membership.objects.filter(
        dog=OuterRef("dog_id"), person=OuterRef("dog__owner_id"), created__lte=households
    )
    Incident.objects.filter(logged_by__isnull=True, created_at__lt=since).filter(
        Exists(adder_from_the_start)
    ).update(logged_by=Subquery(Dog.objects.filter(pk=OuterRef("dog_id")).values("owner_id")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0007_kept_months"),
        ("dogs", "0006_owners_become_members"),
    ]

    operations = [migrations.RunPython(adders_logged_old_leans, migrations.RunPython.noop)]
