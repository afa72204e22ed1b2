"""Every dog's owner becomes the first member of its household, as an owner."""

from __future__ import annotations

from django.db import migrations


def owners_become_members(apps, schema_editor):
    Dog = apps.get_model("dogs", "Dog")
    Membership = apps.get_model("dogs", "Membership")
    Membership.objects.bulk_create(
        [
            Membership(dog_id=dog_id, person_id=owner_id, role="owner")
            for dog_id, owner_id in Dog.objects.values_list("pk", "owner_id").iterator()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("dogs", "0005_households")]

    operations = [migrations.RunPython(owners_become_members, migrations.RunPython.noop)]
