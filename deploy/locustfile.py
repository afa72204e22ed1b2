"""The owners' mix for `make loadtest`: each person reads their dog's pages five times to one saved lean.

Run by deploy/loadtest.py as `python -m locust -f deploy/locustfile.py --headless ...` in a
subprocess of its own (locust patches the standard library with gevent). It reads two paths
from the environment: LEANLOG_LOADTEST_OWNERS, a JSON list of the seeded owners (username,
dog_id, session), and LEANLOG_LOADTEST_RECORD, a folder where each locust process appends every
acknowledged lean (a 302) as "client_id<TAB>notes", so that the caller can check that every one
is in the database, and every failed request as a line of text. With LEANLOG_LOADTEST_ROUNDS set,
the run ends as soon as every person has gone round that many times (the run time still caps it):
the test suite's short load proves the same on a quiet machine in a few seconds, and on a busy
one takes the time it needs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import uuid
from pathlib import Path

import urllib3
from locust import HttpUser, constant, events, task

OWNERS = json.loads(Path(os.environ["LEANLOG_LOADTEST_OWNERS"]).read_text())
RECORD = Path(os.environ["LEANLOG_LOADTEST_RECORD"]) / f"acknowledged-{os.getpid()}.tsv"
FAILURES = RECORD.with_name(f"failures-{os.getpid()}.txt")
RUN = uuid.uuid4().hex[:6]
# Which owner the next person signs in as: people outnumbering owners share them, as today.
NUMBERS = itertools.count()
# Rounds each person goes before the run may end (0: the run time alone ends it), and the
# rounds done so far, person by person.
ROUNDS = int(os.environ.get("LEANLOG_LOADTEST_ROUNDS", "0"))
DONE: dict[int, int] = {}

# The stack's certificate is a throw-away self-signed one made for this run on 127.0.0.1.
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


def lean_form(notes: str, minute: int, client_id: str, token: str) -> dict[str, object]:
    """What the lean form posts, one minute later each time, labelled with a fresh client_id."""
    moment = dt.datetime(2026, 1, 1, 7, 0) + dt.timedelta(minutes=minute)
    return {
        "occurred_at": moment.strftime("%Y-%m-%dT%H:%M"),
        "intensity": "3",
        "location": "home",
        "signs": ["relaxed"],
        "notes": notes,
        "client_id": client_id,
        "csrfmiddlewaretoken": token,
    }


@events.request.add_listener
def note_failure(request_type: str, name: str, exception: BaseException | None, **_: object) -> None:
    """Every failed request, as the caller reports it (locust's JSON report only counts them)."""
    if exception is not None:
        with FAILURES.open("a") as failures:
            failures.write(f"{name}: {type(exception).__name__}: {exception}\n")


class Owner(HttpUser):
    """One owner, signed in with a session the stack made, going round their dog's pages."""

    # No pause between requests, as before: the point is a steady pressure, not realism.
    wait_time = constant(0)

    def on_start(self) -> None:
        self.number = next(NUMBERS)
        owner = OWNERS[self.number % len(OWNERS)]
        self.dog = owner["dog_id"]
        self.rounds = 0
        # No proxy or CA bundle from the environment: it would override verify, and a proxy
        # could send the traffic off this machine.
        self.client.trust_env = False
        self.client.verify = False
        self.client.cookies.set("sessionid", owner["session"], domain="127.0.0.1", secure=True)
        # The lean form hands out the CSRF cookie; Django takes its value as the form's token.
        self.client.get(f"/dogs/{self.dog}/incidents/new/", name="lean form")
        self.origin = self.host.rstrip("/")

    @task
    def one_round(self) -> None:
        dog = self.dog
        for name, path in (
            ("dog page", f"/dogs/{dog}/"),
            ("journal", f"/dogs/{dog}/incidents/"),
            ("report 30 d", f"/dogs/{dog}/report/?days=30"),
            ("report 365 d", f"/dogs/{dog}/report/?days=365"),
            ("report.json", f"/dogs/{dog}/report.json?days=90"),
        ):
            with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
                # A redirect would be the sign-in page: only the page itself counts.
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
        self.save_a_lean()
        self.rounds += 1
        DONE[self.number] = self.rounds
        people = self.environment.runner.target_user_count if self.environment.runner else 0
        if ROUNDS and len(DONE) >= people and min(DONE.values()) >= ROUNDS:
            # Everyone has gone round enough: the requests under way finish, then the run ends.
            self.environment.runner.quit()

    def save_a_lean(self) -> None:
        notes = f"load {RUN} {self.number} {self.rounds}"
        client_id = str(uuid.uuid4())
        token = self.client.cookies.get("csrftoken", default="")
        with self.client.post(
            f"/dogs/{self.dog}/incidents/new/",
            data=lean_form(notes, self.rounds % 1000, client_id, token),
            headers={"Origin": self.origin},
            name="save a lean",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")
                return
            # Written before the next request: a lean the server acknowledged is always on record.
            with RECORD.open("a") as record:
                record.write(f"{client_id}\t{notes}\n")
