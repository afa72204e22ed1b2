"""The demo data: one owner, a household of dogs, six months of journal, the same on every load."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zoneinfo
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from demo.story import DEMO_CARER_PASSWORD, DEMO_CARER_USERNAME, DEMO_PASSWORD, JOURNAL_DAYS
from dogs.households import delete_account
from dogs.models import Dog, LifeStage, Membership, Owner
from journal.models import Incident
from journal.report.numbers import DEFAULT_DAYS, Period, load_reports, verdict_of
from journal.vocabulary import GROUP_OF_SIGN, SignGroup
from tests.helpers import load_report, make_owner

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Pinned: the journal comes from fixed seeds, so these never change unless the story does.
LEANS_PER_DOG = {"Bramble": 45, "Murphy": 183, "Nell": 46, "Pip": 2, "Ruby": 68, "Skye": 94}
NOTES = 41


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db) -> str:
    return load()


def last_30_days(name: str) -> list[Incident]:
    """The leans in the 30-day report's period, counted from the day the demo was loaded."""
    dog = Dog.objects.get(name=name)
    # The day of loading, from the data itself, so a test that crosses midnight still agrees.
    today = dog.created_at.astimezone(LONDON).date() + dt.timedelta(days=JOURNAL_DAYS)
    start = today - dt.timedelta(days=29)
    return [
        incident
        for incident in dog.incidents.all()
        if start <= incident.occurred_at.astimezone(LONDON).date() <= today
    ]


def has_group(incident: Incident, group: str) -> bool:
    return any(GROUP_OF_SIGN[sign] == group for sign in incident.signs)


def test_it_does_nothing_with_if_empty_when_an_owner_exists(db) -> None:
    make_owner("alice")
    out = load("--if-empty")
    assert out == "Owners already exist, so the demo data was not loaded.\n"
    assert list(Owner.objects.values_list("username", flat=True)) == ["alice"]
    assert Dog.objects.count() == 0


def test_it_loads_with_if_empty_on_an_empty_database(db) -> None:
    load("--if-empty")
    assert set(Owner.objects.values_list("username", flat=True)) == {"demo", "demo-carer"}


def test_it_creates_the_demo_owner_in_london(demo) -> None:
    owner = Owner.objects.get(username="demo")
    assert (owner.username, owner.time_zone) == ("demo", "Europe/London")


def test_it_gives_the_demo_owner_the_printed_password(demo) -> None:
    assert Owner.objects.get(username="demo").check_password(DEMO_PASSWORD)


def test_it_uses_a_password_that_passes_the_validators(demo) -> None:
    assert validate_password(DEMO_PASSWORD, user=Owner.objects.get(username="demo")) is None


def test_it_prints_the_login_and_the_address(demo) -> None:
    assert f"Demo login: demo / {DEMO_PASSWORD}\n" in demo
    assert "http://127.0.0.1:8000/" in demo


def test_it_prints_the_address_the_server_answers_on(db) -> None:
    out = load("--site", "http://127.0.0.1:8031")
    assert "Open http://127.0.0.1:8031/\n" in out
    assert re.search(r"Vet link to Skye’s report: http://127\.0\.0\.1:8031/share/[^/]+/\n", out)
    assert ":8000" not in out


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_it_gives_make_run_its_own_address() -> None:
    # -n prints the commands without running them; -o skips the install step.
    commands = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", "run", "HOST=127.0.0.1", "PORT=8031"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "manage.py load_demo --if-empty --site http://127.0.0.1:8031/" in commands


def test_it_creates_six_dogs_of_different_life_stages(demo) -> None:
    stages = {dog.name: dog.life_stage() for dog in Dog.objects.all()}
    assert stages == {
        "Bramble": LifeStage.ADULT,
        "Murphy": LifeStage.ADULT,
        "Nell": LifeStage.ADULT,
        "Pip": LifeStage.PUPPY,
        "Ruby": LifeStage.SENIOR,
        "Skye": LifeStage.ADULT,
    }


def test_it_makes_the_anxious_dog_two_years_old(demo) -> None:
    assert Dog.objects.get(name="Skye").age_months() // 12 == 2


def test_it_makes_the_senior_dog_eleven_years_old(demo) -> None:
    assert Dog.objects.get(name="Ruby").age_months() // 12 == 11


def test_it_creates_the_same_number_of_leans_per_dog(demo) -> None:
    counts = {dog.name: dog.incidents.count() for dog in Dog.objects.all()}
    assert counts == LEANS_PER_DOG


def test_it_reports_the_number_of_leans_it_loaded(demo) -> None:
    assert "with 438 leans." in demo


def test_it_writes_notes_on_some_leans(demo) -> None:
    assert Incident.objects.exclude(notes="").count() == NOTES


def test_it_never_repeats_a_note(demo) -> None:
    notes = list(Incident.objects.exclude(notes="").values_list("notes", flat=True))
    assert len(set(notes)) == len(notes)


def test_it_dates_the_dogs_about_six_months_back(demo) -> None:
    for dog in Dog.objects.exclude(name="Pip"):
        assert 180 <= (timezone.now() - dog.created_at).days <= 183


def test_it_starts_the_journal_after_the_dogs_were_added(demo) -> None:
    for dog in Dog.objects.all():
        assert dog.incidents.earliest("occurred_at").occurred_at > dog.created_at


def test_it_puts_no_lean_in_the_future(demo) -> None:
    assert not Incident.objects.filter(occurred_at__gt=timezone.now()).exists()


def test_it_creates_only_valid_dogs(demo) -> None:
    for dog in Dog.objects.all():
        dog.full_clean()


def test_it_creates_only_valid_incidents(demo) -> None:
    # Every third lean keeps the test quick; each full_clean checks its dog in the database.
    sample = list(Incident.objects.order_by("id"))[::3]
    assert len(sample) == 146
    for incident in sample:
        incident.full_clean()


def test_it_loads_the_same_journal_every_time(db) -> None:
    def journal() -> list[tuple]:
        return [
            (i.dog.name, i.occurred_at, i.intensity, i.location, i.owner_activity, i.signs, i.notes)
            for i in Incident.objects.select_related("dog").order_by("dog__name", "occurred_at")
        ]

    load()
    first = journal()
    # As the command says: delete the demo owner (the admin deletes by the account's own rule).
    for person in Owner.objects.all():
        delete_account(person)
    load()
    assert journal() == first


def test_it_refuses_to_load_twice(demo) -> None:
    with pytest.raises(CommandError, match="An owner called 'demo' already exists"):
        load()
    assert Dog.objects.count() == len(LEANS_PER_DOG)
    assert Incident.objects.count() == sum(LEANS_PER_DOG.values())


def test_it_adds_the_demo_beside_other_owners_without_if_empty(db) -> None:
    make_owner("alice")
    load()
    assert Owner.objects.count() == 3


def test_it_shares_one_dog_with_a_demo_carer_who_logged_its_weekend_leans(demo) -> None:
    carer = Owner.objects.get(username=DEMO_CARER_USERNAME)
    assert carer.check_password(DEMO_CARER_PASSWORD)
    memberships = Membership.objects.filter(person=carer).values_list("dog__name", "role")
    assert list(memberships) == [("Skye", "carer")]
    assert Incident.objects.filter(logged_by=carer).exists()
    assert not Incident.objects.filter(logged_by__isnull=True).exists()


def test_it_prints_a_live_vet_link_that_opens_the_report(demo, client) -> None:
    path = re.search(r"http://127\.0\.0\.1:8000(/share/[^/]+/)", demo).group(1)

    response = client.get(path)

    assert response.status_code == 200
    assert "Skye’s leaning report" in response.content.decode()


# The story the data tells: the counts behind each intended flag of the 30-day report
# (thresholds in journal/report/rules.py), with room to spare.


def test_it_makes_the_anxious_dog_lean_often_with_trembling_lately(demo) -> None:
    leans = last_30_days("Skye")
    trembling = [incident for incident in leans if "trembling" in incident.signs]
    assert (len(leans), len(trembling)) == (27, 14)


def test_it_makes_the_anxious_dog_lean_before_departures(demo) -> None:
    departures = [
        incident
        for incident in last_30_days("Skye")
        if incident.owner_activity == "preparing_to_leave" and has_group(incident, SignGroup.ANXIETY)
    ]
    assert len(departures) == 12


def test_it_makes_the_anxious_dog_lean_more_in_the_storm_season(demo) -> None:
    dog = Dog.objects.get(name="Skye")
    storms_now = sum("thunder_fireworks" in incident.triggers for incident in last_30_days("Skye"))
    storms_all = dog.incidents.filter(triggers__has="thunder_fireworks").count()
    assert (storms_now, storms_all) == (14, 24)


def test_it_makes_the_greeter_lean_mostly_on_arrival_and_relaxed(demo) -> None:
    leans = last_30_days("Murphy")
    arrivals = [incident for incident in leans if incident.owner_activity == "just_arrived"]
    relaxed = [incident for incident in leans if has_group(incident, SignGroup.RELAXED)]
    assert (len(leans), len(arrivals), len(relaxed)) == (31, 20, 31)


def test_it_makes_the_senior_lean_with_physical_signs_lately(demo) -> None:
    leans = last_30_days("Ruby")
    physical = [incident for incident in leans if has_group(incident, SignGroup.PHYSICAL)]
    assert (len(leans), len(physical)) == (11, 7)


def test_it_makes_the_senior_lean_more_than_at_the_start(demo) -> None:
    dog = Dog.objects.get(name="Ruby")
    first_month_end = dog.created_at + dt.timedelta(days=30)
    assert dog.incidents.filter(occurred_at__lt=first_month_end).count() < len(last_30_days("Ruby")) / 2


def test_it_has_the_senior_knock_a_child_over_months_ago(demo) -> None:
    knock = Incident.objects.get(outcome="knocked_over")
    assert knock.dog.name == "Ruby"
    assert "children" in knock.triggers
    assert (timezone.now() - knock.occurred_at).days > 90


# The 30-day reports themselves: each demo dog shows the flags its story is meant to show.


def flag_levels(name: str, days: int = 30) -> dict[str, str]:
    dog = Dog.objects.get(name=name)
    today = dog.created_at.astimezone(LONDON).date() + dt.timedelta(days=JOURNAL_DAYS)
    report = load_report(dog, Period.last(days, today), today, LONDON)
    return {flag.code: flag.level for flag in report.flags}


def test_it_flags_anxiety_and_separation_anxiety_for_the_anxious_dog(demo) -> None:
    assert flag_levels("Skye") == {"anxiety": "watch", "separation_anxiety": "watch"}


def test_it_flags_greeting_and_affection_for_the_greeter(demo) -> None:
    assert flag_levels("Murphy") == {"greeting": "info", "affection": "info"}


def test_it_flags_a_vet_check_for_the_senior(demo) -> None:
    assert flag_levels("Ruby") == {"vet_check": "vet"}


def test_it_flags_the_old_knock_over_in_the_senior_s_year(demo) -> None:
    assert flag_levels("Ruby", days=365)["knock_over"] == "watch"


def test_it_shows_every_verdict_once(demo) -> None:
    today = timezone.now().astimezone(LONDON).date()
    reports = load_reports(Dog.objects.all(), Period.last(DEFAULT_DAYS, today), today, LONDON)
    levels = {Dog.objects.get(pk=pk).name: verdict_of(built).level for pk, built in reports.items()}
    assert levels == {
        "Ruby": "vet",
        "Skye": "watch",
        "Nell": "note",
        "Pip": "too_early",
        "Murphy": "info",
        "Bramble": "clear",
    }


def test_it_adds_the_puppy_days_ago_for_a_young_journal(demo) -> None:
    added = Dog.objects.get(name="Pip").created_at.astimezone(LONDON).date()
    assert (timezone.now().astimezone(LONDON).date() - added).days == 3
