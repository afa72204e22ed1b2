"""The REST API: tokens, the same isolation as the pages, leans in and out, the report."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from dogs.models import Role
from journal.models import Incident
from tests.helpers import add_member, journal_in_db, make_dog, make_incident, utc


@pytest.fixture
def token(owner) -> str:
    return ApiToken.issue(owner, "script")[1]


@pytest.fixture
def api(token) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def stranger_api(stranger) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(stranger, 'theirs')[1]}"})


def test_it_refuses_a_request_without_a_token(client, dog) -> None:
    assert client.get("/api/dogs").status_code == 401


def test_it_refuses_a_session_without_a_token(owner_client, dog) -> None:
    # A signed-in browser is not enough: the API takes tokens only, so no CSRF is needed.
    assert owner_client.get("/api/dogs").status_code == 401


def test_it_refuses_a_wrong_token(dog) -> None:
    response = Client(headers={"Authorization": "Bearer ll_not-a-token"}).get("/api/dogs")

    assert response.status_code == 401


def test_it_lists_only_the_owners_dogs(api, dog, stranger) -> None:
    make_dog(stranger, "Rex")

    assert [d["name"] for d in api.get("/api/dogs").json()] == ["Biscuit"]


def test_it_answers_404_for_a_strangers_dog(stranger_api, dog) -> None:
    make_incident(dog)

    assert stranger_api.get(f"/api/dogs/{dog.pk}").status_code == 404
    assert stranger_api.get(f"/api/dogs/{dog.pk}/leans").status_code == 404
    assert (
        stranger_api.post(
            f"/api/dogs/{dog.pk}/leans", {"occurred_at": "2026-03-01T08:15"}, "application/json"
        ).status_code
        == 404
    )
    assert stranger_api.get(f"/api/dogs/{dog.pk}/report").status_code == 404
    assert Incident.objects.count() == 1


def test_it_answers_404_for_a_strangers_lean_under_their_own_dog(stranger_api, stranger, dog) -> None:
    lean = make_incident(dog)
    theirs = make_dog(stranger, "Rex")

    url = f"/api/dogs/{theirs.pk}/leans/{lean.pk}"

    assert stranger_api.get(url).status_code == 404
    assert stranger_api.patch(url, {"notes": "mine"}, "application/json").status_code == 404
    assert stranger_api.delete(url).status_code == 404
    assert Incident.objects.filter(pk=lean.pk).exists()


def test_it_logs_a_lean_in_the_owners_zone(api, dog) -> None:
    response = api.post(
        f"/api/dogs/{dog.pk}/leans",
        {"occurred_at": "2025-06-02T09:30:00", "signs": ["trembling"], "notes": "=1+1"},
        "application/json",
    )

    assert response.status_code == 201
    lean = Incident.objects.get()
    assert lean.occurred_at == utc(2025, 6, 2, 8, 30)
    assert (lean.intensity, lean.location, lean.signs, lean.notes) == (None, "", ["trembling"], "=1+1")
    assert response.json()["id"] == lean.pk


CLIENT_ID = "7d1f3a52-94c1-4f39-8a0e-2c6b5d9e8f41"


def test_it_stores_one_lean_for_a_retried_client_id(api, dog) -> None:
    body = {"occurred_at": "2025-06-02T09:30:00", "client_id": CLIENT_ID}

    first = api.post(f"/api/dogs/{dog.pk}/leans", body, "application/json")
    again = api.post(f"/api/dogs/{dog.pk}/leans", {**body, "notes": "retry"}, "application/json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["client_id"] == CLIENT_ID
    assert Incident.objects.get().notes == ""


def test_it_keeps_client_ids_per_dog_in_the_api(api, owner, dog) -> None:
    other = make_dog(owner, "Pip")
    body = {"occurred_at": "2025-06-02T09:30:00", "client_id": CLIENT_ID}

    api.post(f"/api/dogs/{dog.pk}/leans", body, "application/json")
    response = api.post(f"/api/dogs/{other.pk}/leans", body, "application/json")

    assert response.status_code == 201
    assert Incident.objects.count() == 2


def test_it_records_who_logged_a_lean_through_the_api(api, owner, dog) -> None:
    api.post(f"/api/dogs/{dog.pk}/leans", {"occurred_at": "2025-06-02T09:30:00"}, "application/json")

    assert Incident.objects.get().logged_by == owner


def test_it_refuses_a_bad_lean_with_reasons(api, dog) -> None:
    response = api.post(
        f"/api/dogs/{dog.pk}/leans",
        {"occurred_at": "2999-01-01T00:00:00Z", "location": "moon"},
        "application/json",
    )

    assert response.status_code == 422
    assert "location" in response.json()["errors"]
    assert "occurred_at" in response.json()["errors"]
    assert Incident.objects.count() == 0


def test_it_changes_only_the_fields_sent(api, dog) -> None:
    lean = make_incident(dog, utc(2026, 3, 1, 8), intensity=2, notes="before")

    response = api.patch(f"/api/dogs/{dog.pk}/leans/{lean.pk}", {"notes": "after"}, "application/json")

    assert response.status_code == 200
    lean.refresh_from_db()
    assert (lean.notes, lean.intensity, lean.occurred_at) == ("after", 2, utc(2026, 3, 1, 8))


def test_it_names_a_leans_version_in_its_etag_and_changes_it_with_a_matching_if_match(api, dog) -> None:
    lean = make_incident(dog, utc(2026, 3, 1, 8), notes="before")
    url = f"/api/dogs/{dog.pk}/leans/{lean.pk}"
    etag = api.get(url)["ETag"]

    response = api.patch(url, {"notes": "after"}, "application/json", headers={"If-Match": etag})

    assert response.status_code == 200
    assert Incident.objects.get(pk=lean.pk).notes == "after"
    assert response["ETag"] != etag
    assert response["ETag"] == api.get(url)["ETag"]


def test_it_changes_nothing_when_the_lean_changed_after_it_was_read(api, dog) -> None:
    lean = make_incident(dog, utc(2026, 3, 1, 8), notes="before")
    url = f"/api/dogs/{dog.pk}/leans/{lean.pk}"
    etag = api.get(url)["ETag"]
    Incident.objects.filter(pk=lean.pk).update(notes="someone else's")

    response = api.patch(url, {"intensity": 4}, "application/json", headers={"If-Match": etag})

    assert response.status_code == 412
    assert "If-Match" in response.json()["detail"]
    lean.refresh_from_db()
    assert (lean.notes, lean.intensity) == ("someone else's", None)
    # Read again, the change goes through with the new tag; "*" and no If-Match take any version.
    for if_match in ({"If-Match": api.get(url)["ETag"]}, {"If-Match": "*"}, {}):
        assert api.patch(url, {"intensity": 4}, "application/json", headers=if_match).status_code == 200


def test_it_deletes_a_lean(api, dog) -> None:
    lean = make_incident(dog)

    assert api.delete(f"/api/dogs/{dog.pk}/leans/{lean.pk}").status_code == 204
    assert not Incident.objects.exists()


def test_it_filters_and_pages_the_leans(api, dog) -> None:
    journal_in_db(dog)

    page = api.get(f"/api/dogs/{dog.pk}/leans", {"location": "dog_park"}).json()

    assert page["has_next"] is False
    assert [lean["location"] for lean in page["results"]] == ["dog_park"]


def test_it_reports_a_bad_filter(api, dog) -> None:
    response = api.get(f"/api/dogs/{dog.pk}/leans", {"start": "yesterday"})

    assert response.status_code == 422
    assert "start" in response.json()["errors"]


def test_it_lists_a_page_in_the_same_queries_whatever_the_journal(
    api, dog, django_assert_num_queries
) -> None:
    for day in range(1, 29):
        make_incident(dog, utc(2025, 2, day, 9))
    api.get(f"/api/dogs/{dog.pk}/leans")  # the token's last-used time is written once a minute

    # 1 the token with its owner, 2 the dog, 3 the page of leans (one row more: has_next).
    with django_assert_num_queries(3):
        page = api.get(f"/api/dogs/{dog.pk}/leans").json()

    assert len(page["results"]) == 28


def test_it_gives_the_same_report_as_report_json(api, owner_client, dog) -> None:
    journal_in_db(dog)
    period = {"start": "2025-03-01", "end": "2025-03-31"}

    from_api = api.get(f"/api/dogs/{dog.pk}/report", period).json()

    assert from_api == owner_client.get(reverse("journal:report-json", args=[dog.pk]), period).json()


def test_it_rate_limits_each_token(api, dog, settings) -> None:
    settings.LEANLOG_API_RATE_PER_MINUTE = 2
    from django.core.cache import cache

    cache.clear()
    assert api.get("/api/dogs").status_code == 200
    assert api.get("/api/dogs").status_code == 200
    response = api.get("/api/dogs")

    assert response.status_code == 429
    assert response["Retry-After"] == "60"


def test_it_serves_the_openapi_document(client) -> None:
    document = client.get("/api/openapi.json").json()

    assert "/api/dogs/{dog_id}/leans" in document["paths"]


def test_it_serves_the_docs_from_its_own_static_files(client) -> None:
    page = client.get("/api/docs").content.decode()

    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_it_refuses_a_viewers_write_with_403(dog, stranger) -> None:
    add_member(dog, stranger, Role.VIEWER)
    viewer = Client(headers={"Authorization": f"Bearer {ApiToken.issue(stranger, 'viewer')[1]}"})

    assert viewer.get(f"/api/dogs/{dog.pk}/leans").status_code == 200
    response = viewer.post(
        f"/api/dogs/{dog.pk}/leans", {"occurred_at": "2026-03-01T08:15"}, "application/json"
    )

    assert response.status_code == 403
    assert not Incident.objects.exists()


def test_it_checks_in_once_per_day(api, dog) -> None:
    url = f"/api/dogs/{dog.pk}/checkins"

    first = api.post(url, {}, content_type="application/json")
    again = api.post(url, {}, content_type="application/json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert [row["date"] for row in api.get(url).json()] == [first.json()["date"]]


def test_it_refuses_a_check_in_for_a_future_day_with_the_forms_message(api, dog) -> None:
    response = api.post(
        f"/api/dogs/{dog.pk}/checkins", {"date": "2999-01-01"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert "hasn’t come yet" in response.json()["errors"]["date"][0]
    assert not dog.checkins.exists()


def test_it_refuses_a_viewers_check_in_with_403(dog, stranger) -> None:
    add_member(dog, stranger, Role.VIEWER)
    viewer = Client(headers={"Authorization": f"Bearer {ApiToken.issue(stranger, 'viewer')[1]}"})

    response = viewer.post(f"/api/dogs/{dog.pk}/checkins", {}, content_type="application/json")

    assert response.status_code == 403
    assert not dog.checkins.exists()
