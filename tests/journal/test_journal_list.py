"""The journal page: newest first, filters, pages, empty states, escaping and its query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from journal.models import Incident
from tests.helpers import make_dog, make_incident, select, select_one

UTC = dt.UTC
# Noon UTC on 1 March 2026; London is on GMT then, so local and UTC agree.
BASE = dt.datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def journal(dog, query: str = "") -> str:
    url = reverse("journal:incident-list", args=[dog.pk])
    return f"{url}?{query}" if query else url


def shown_ids(response) -> list[int]:
    """The leans on the page, top to bottom."""
    articles = select(response, "article.ll-lean")
    return [int(article.get("id").removeprefix("incident-")) for article in articles]


def where_shown(response) -> list[str]:
    """What each row says of where it happened and what you were doing, as read on the page."""
    return [where.text for where in select(response, "span.ll-lean-where")]


def many_leans(dog, count: int) -> list[Incident]:
    """One lean an hour going back from BASE, newest first."""
    return [make_incident(dog, BASE - dt.timedelta(hours=hour)) for hour in range(count)]


# --- The list ------------------------------------------------------------------------------


def test_it_lists_the_newest_lean_first(owner_client, dog):
    older = make_incident(dog, BASE - dt.timedelta(days=2))
    newer = make_incident(dog, BASE)
    middle = make_incident(dog, BASE - dt.timedelta(days=1))
    assert shown_ids(owner_client.get(journal(dog))) == [newer.pk, middle.pk, older.pk]


def test_it_shows_only_this_dogs_leans(owner, owner_client, dog):
    mine = make_incident(dog, BASE)
    make_incident(make_dog(owner, "Pepper"), BASE)
    assert shown_ids(owner_client.get(journal(dog))) == [mine.pk]


def test_it_shows_the_time_in_the_owners_zone(owner_client, dog):
    make_incident(dog, dt.datetime(2026, 7, 1, 23, 30, tzinfo=UTC))
    html = owner_client.get(journal(dog)).content.decode()
    assert "Thursday 2 July 2026" in html
    assert '<time datetime="2026-07-02T00:30:00+01:00">00:30</time>' in html


def test_it_shows_a_row_at_a_glance(owner_client, dog):
    make_incident(
        dog,
        BASE,
        intensity=4,
        location="walk",
        owner_activity="busy",
        signs=["trembling", "shaky_legs"],
        triggers=["loud_noise"],
        outcome="knocked_over",
        notes="Scaffolders dropped a pole.",
    )
    response = owner_client.get(journal(dog))
    html = response.content.decode()
    assert where_shown(response) == ["On a walk · Busy (working, chores)"]
    assert 'aria-label="Intensity 4 of 5: Heavy lean"' in html
    assert '<li class="badge ll-badge ll-badge-anxiety">Trembling</li>' in html
    assert '<li class="badge ll-badge ll-badge-physical">Shaky legs</li>' in html
    assert "Other loud noise" in html
    assert "Then: someone lost balance or fell" in html
    assert "Scaffolders dropped a pole." in html


def test_it_says_only_the_activity_at_home(owner_client, dog):
    make_incident(dog, BASE, location="home", owner_activity="just_arrived")
    make_incident(dog, BASE - dt.timedelta(hours=1), location="home")
    assert where_shown(owner_client.get(journal(dog))) == ["Just came home", "Home"]


def test_it_says_nothing_of_a_place_nobody_noted(owner_client, dog):
    make_incident(dog, BASE, owner_activity="relaxing")
    make_incident(dog, BASE - dt.timedelta(hours=1))
    response = owner_client.get(journal(dog))
    assert where_shown(response) == ["Relaxing"]
    assert "Place not noted" not in response.content.decode()


def test_it_shortens_long_notes_to_an_excerpt(owner_client, dog):
    make_incident(dog, BASE, notes="word " * 100)
    html = owner_client.get(journal(dog)).content.decode()
    assert "word " * 100 not in html
    assert "…" in html


def test_it_shows_html_in_notes_as_text(owner_client, dog):
    make_incident(dog, BASE, notes='<script>alert("hi")</script><b>bold</b>')
    html = owner_client.get(journal(dog)).content.decode()
    assert "<script>alert" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html


def test_it_links_each_row_to_its_edit_page(owner_client, dog):
    incident = make_incident(dog, BASE)
    html = owner_client.get(journal(dog)).content.decode()
    assert reverse("journal:incident-edit", args=[dog.pk, incident.pk]) + "?next=" in html


def test_it_offers_delete_on_the_page_the_row_opens(owner_client, dog):
    incident = make_incident(dog, BASE)
    html = owner_client.get(reverse("journal:incident-edit", args=[dog.pk, incident.pk])).content.decode()
    assert reverse("journal:incident-delete", args=[dog.pk, incident.pk]) in html


def test_it_links_to_the_csv_export(owner_client, dog):
    make_incident(dog, BASE)
    html = owner_client.get(journal(dog)).content.decode()
    assert f'href="{reverse("journal:incident-export", args=[dog.pk])}"' in html


def test_it_names_the_export_link_download_csv_even_where_phones_show_only_csv(owner_client, dog):
    make_incident(dog, BASE)
    export = reverse("journal:incident-export", args=[dog.pk])
    link = select_one(owner_client.get(journal(dog)), f'a[href="{export}"]')
    assert link is not None
    assert link.text == "Download CSV"


def test_it_keeps_the_filters_in_the_export_link(owner_client, dog):
    make_incident(dog, BASE, signs=["trembling"])
    html = owner_client.get(journal(dog, "sign=trembling&start=2026-02-01")).content.decode()
    export = reverse("journal:incident-export", args=[dog.pk])
    assert f'href="{export}?start=2026-02-01&amp;sign=trembling"' in html


# --- Empty states --------------------------------------------------------------------------


def test_it_invites_the_first_lean_when_there_are_none(owner_client, dog):
    html = owner_client.get(journal(dog)).content.decode()
    assert "No leans yet" in html
    assert "Log the first lean" in html
    assert "No leans match" not in html


def test_it_says_when_no_lean_matches_the_filters(owner_client, dog):
    make_incident(dog, BASE, location="home")
    html = owner_client.get(journal(dog, "location=vet")).content.decode()
    assert "No leans match these filters" in html
    assert "Clear filters" in html
    assert "No leans yet" not in html


def test_it_invites_the_first_lean_even_with_filters_when_there_are_none(owner_client, dog):
    html = owner_client.get(journal(dog, "location=vet")).content.decode()
    assert "No leans yet" in html


# --- Filters -------------------------------------------------------------------------------


@pytest.fixture
def around_midnight(dog) -> dict[str, Incident]:
    """Three leans around London's midnight between 30 June and 1 July 2026 (BST, UTC+1)."""
    return {
        "june_30_late": make_incident(dog, dt.datetime(2026, 6, 30, 22, 30, tzinfo=UTC)),  # 23:30 local
        "july_1_early": make_incident(dog, dt.datetime(2026, 6, 30, 23, 15, tzinfo=UTC)),  # 00:15 local
        "july_2": make_incident(dog, dt.datetime(2026, 7, 2, 9, 0, tzinfo=UTC)),
    }


def test_it_filters_from_a_start_day_in_the_owners_zone(owner_client, dog, around_midnight):
    response = owner_client.get(journal(dog, "start=2026-07-01"))
    assert shown_ids(response) == [around_midnight["july_2"].pk, around_midnight["july_1_early"].pk]


def test_it_includes_the_whole_end_day_in_the_owners_zone(owner_client, dog, around_midnight):
    response = owner_client.get(journal(dog, "end=2026-06-30"))
    assert shown_ids(response) == [around_midnight["june_30_late"].pk]


def test_it_filters_a_single_day_with_the_same_start_and_end(owner_client, dog, around_midnight):
    response = owner_client.get(journal(dog, "start=2026-07-01&end=2026-07-01"))
    assert shown_ids(response) == [around_midnight["july_1_early"].pk]


def test_it_filters_by_sign(owner_client, dog):
    trembling = make_incident(dog, BASE, signs=["trembling", "panting"])
    make_incident(dog, BASE, signs=["panting"])
    assert shown_ids(owner_client.get(journal(dog, "sign=trembling"))) == [trembling.pk]


def test_it_filters_by_a_group_of_signs(owner_client, dog):
    pacing = make_incident(dog, BASE, signs=["pacing"])
    whining = make_incident(dog, BASE - dt.timedelta(hours=1), signs=["whining", "relaxed"])
    make_incident(dog, BASE, signs=["relaxed"])
    make_incident(dog, BASE)
    assert shown_ids(owner_client.get(journal(dog, "group=anxiety"))) == [pacing.pk, whining.pk]


def test_it_filters_by_location(owner_client, dog):
    vet = make_incident(dog, BASE, location="vet")
    make_incident(dog, BASE, location="home")
    assert shown_ids(owner_client.get(journal(dog, "location=vet"))) == [vet.pk]


def test_it_filters_by_what_the_owner_was_doing(owner_client, dog):
    leaving = make_incident(dog, BASE, owner_activity="preparing_to_leave")
    make_incident(dog, BASE, owner_activity="relaxing")
    make_incident(dog, BASE)
    assert shown_ids(owner_client.get(journal(dog, "activity=preparing_to_leave"))) == [leaving.pk]


def test_it_filters_by_trigger(owner_client, dog):
    storm = make_incident(dog, BASE, triggers=["thunder_fireworks", "children"])
    make_incident(dog, BASE, triggers=["children"])
    assert shown_ids(owner_client.get(journal(dog, "trigger=thunder_fireworks"))) == [storm.pk]


def test_it_shows_the_leans_behind_a_report_flag_by_id(owner_client, dog):
    first, _second, third = many_leans(dog, 3)
    response = owner_client.get(journal(dog, f"ids={first.pk},{third.pk}"))
    assert shown_ids(response) == [first.pk, third.pk]
    assert "These are the leans behind a flag in the report." in response.content.decode()


def test_it_never_shows_another_dogs_lean_by_id(owner, owner_client, dog, stranger):
    mine = make_incident(dog, BASE)
    theirs = make_incident(make_dog(stranger, "Rex"), BASE)
    response = owner_client.get(journal(dog, f"ids={mine.pk},{theirs.pk}"))
    assert shown_ids(response) == [mine.pk]


def test_it_combines_filters(owner_client, dog):
    both = make_incident(dog, BASE, location="walk", signs=["trembling"])
    make_incident(dog, BASE, location="walk")
    make_incident(dog, BASE, location="home", signs=["trembling"])
    assert shown_ids(owner_client.get(journal(dog, "location=walk&sign=trembling"))) == [both.pk]


def test_it_shows_the_active_filters_as_removable_chips(owner_client, dog):
    make_incident(dog, BASE, location="walk", signs=["trembling"])
    html = owner_client.get(journal(dog, "location=walk&sign=trembling")).content.decode()
    assert f'href="{journal(dog)}?sign=trembling">Where: On a walk' in html
    assert f'href="{journal(dog)}?location=walk">Sign: Trembling' in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("start=01/03/2026", "start", "Enter a date like 2026-03-01."),
        ("end=2026-02-30", "end", "Enter a date like 2026-03-31."),
        ("start=2026-03-05&end=2026-03-01", "end", "The end date is before the start date."),
        ("start=0001-01-01", "start", "Pick a date between 1990 and 2100."),
        ("end=9999-12-31", "end", "Pick a date between 1990 and 2100."),
        ("sign=glowing", "sign", "“glowing” is not a sign Leanlog knows."),
        ("group=grumpy", "group", "“grumpy” is not a kind of sign Leanlog knows."),
        ("location=moon", "location", "“moon” is not a place Leanlog knows."),
        ("activity=juggling", "activity", "“juggling” is not an activity Leanlog knows."),
        ("trigger=meteor", "trigger", "“meteor” is not a trigger Leanlog knows."),
        ("ids=1,two", "ids", "List lean numbers separated by commas, such as 12,15,40."),
    ],
)
def test_it_explains_an_invalid_filter_beside_it(owner_client, dog, query, field, message):
    make_incident(dog, BASE)
    response = owner_client.get(journal(dog, query))
    html = response.content.decode()
    assert response.status_code == 200
    error = html[html.index(f'id="id_{field}_error"') :]
    assert message in error[: error.index("</div>")]


def test_it_ignores_an_invalid_filter_and_applies_the_valid_ones(owner_client, dog):
    walk = make_incident(dog, BASE, location="walk")
    make_incident(dog, BASE, location="home")
    assert shown_ids(owner_client.get(journal(dog, "location=walk&sign=glowing"))) == [walk.pk]


def test_it_refuses_an_endless_list_of_ids(owner_client, dog):
    make_incident(dog, BASE)
    ids = ",".join(str(n) for n in range(1, 1002))
    response = owner_client.get(journal(dog, f"ids={ids}"))
    assert "That is too many leans to show at once (at most 1000)." in response.content.decode()


# --- Pages ---------------------------------------------------------------------------------


def test_it_shows_25_leans_a_page(owner_client, dog):
    leans = many_leans(dog, 27)
    assert shown_ids(owner_client.get(journal(dog))) == [lean.pk for lean in leans[:25]]


def test_it_shows_the_rest_on_the_next_page(owner_client, dog):
    leans = many_leans(dog, 27)
    assert shown_ids(owner_client.get(journal(dog, "page=2"))) == [leans[25].pk, leans[26].pk]


def test_it_shows_the_last_page_for_a_page_number_past_the_end(owner_client, dog):
    leans = many_leans(dog, 27)
    assert shown_ids(owner_client.get(journal(dog, "page=99"))) == [leans[25].pk, leans[26].pk]


def test_it_shows_the_first_page_for_a_page_that_is_not_a_number(owner_client, dog):
    leans = many_leans(dog, 27)
    assert shown_ids(owner_client.get(journal(dog, "page=last")))[0] == leans[0].pk


def test_it_keeps_the_filters_in_the_page_links(owner_client, dog):
    for hour in range(27):
        make_incident(dog, BASE - dt.timedelta(hours=hour), location="walk")
    html = owner_client.get(journal(dog, "location=walk")).content.decode()
    assert 'href="?location=walk&amp;page=2" rel="next"' in html


# --- Query count ---------------------------------------------------------------------------

# 1. the session, 2. the owner, 3. the dog (scoped to the owner), 4. the paginator's count,
# 5. the page of leans. Nothing per lean: labels and badges come from the vocabulary.
JOURNAL_QUERIES = 5


@pytest.mark.parametrize("count", [1, 60])
def test_it_runs_the_same_few_queries_however_many_leans(
    owner_client, dog, count, django_assert_max_num_queries
):
    for hour in range(count):
        make_incident(
            dog, BASE - dt.timedelta(hours=hour), signs=["trembling", "relaxed"], triggers=["children"]
        )
    with django_assert_max_num_queries(JOURNAL_QUERIES):
        response = owner_client.get(journal(dog, "group=anxiety&start=2026-01-01"))
    assert len(shown_ids(response)) == min(count, 25)


def test_it_asks_one_more_query_to_tell_no_match_from_no_leans(
    owner_client, dog, django_assert_max_num_queries
):
    make_incident(dog, BASE)
    # The five above, 6. does this dog have any lean at all? (only when nothing matched)
    with django_assert_max_num_queries(JOURNAL_QUERIES + 1):
        response = owner_client.get(journal(dog, "location=vet"))
    assert "No leans match these filters" in response.content.decode()


def test_it_closes_the_filters_after_show_leans(owner_client, dog):
    many_leans(dog, 2)
    response = owner_client.get(journal(dog, "location=home"))
    panel = select_one(response, "#journal-filters")
    assert "show" not in panel.get("class").split()
    # The chips still say which filter is in force.
    assert select(response, "a.ll-filter-chip")


def test_it_keeps_the_filters_open_to_show_what_to_fix(owner_client, dog):
    many_leans(dog, 2)
    response = owner_client.get(journal(dog, "start=not-a-date"))
    assert "show" in select_one(response, "#journal-filters").get("class").split()


def test_it_marks_the_rows_of_leans_with_a_note(owner_client, dog):
    noted = make_incident(dog, BASE, notes="Leaned on the sofa.")
    make_incident(dog, BASE - dt.timedelta(hours=1))
    response = owner_client.get(journal(dog))
    marked = [
        article.get("id")
        for article in select(response, "article.ll-lean")
        if article.select_one("[data-note-marker]")
    ]
    assert marked == [f"incident-{noted.pk}"]
    # Not the pencil that means "Edit" elsewhere: every row opens its lean to edit.
    (used,) = select(response, "[data-note-marker] use")
    assert not used.get("href").endswith("#pencil")


def test_it_says_a_lean_logged_in_two_taps_noted_only_its_time(owner_client, dog):
    bare = make_incident(dog, BASE)
    placed = make_incident(dog, BASE - dt.timedelta(hours=1), location="home")
    response = owner_client.get(journal(dog))
    rows = {article.get("id"): article.text for article in select(response, "article.ll-lean")}
    assert "Only the time noted" in rows[f"incident-{bare.pk}"]
    assert "Length not noted" not in rows[f"incident-{bare.pk}"]
    assert "Length not noted" in rows[f"incident-{placed.pk}"]
