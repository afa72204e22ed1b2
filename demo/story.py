"""The demo journal's story: the dogs (DEMO_DOGS), what their days look like and the notes they get.

Deterministic (seeded), so that the demo reads the same every time and its tests can count.
`manage.py load_demo` turns it into rows.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from dogs.models import Dog, Sex, Size
from journal.models import EventKind, Incident
from journal.vocabulary import (
    Duration,
    Location,
    Outcome,
    OwnerActivity,
    OwnerResponse,
    Sign,
    Trigger,
)

DEMO_USERNAME = "demo"
# Long enough, not common, not numeric and unlike the username: it passes every validator in
# AUTH_PASSWORD_VALIDATORS (the command checks it again before saving).
DEMO_PASSWORD = "rump-scratch-42"
DEMO_TIME_ZONE = "Europe/London"
DEMO_URL = "http://127.0.0.1:8000/"

# The household: a second person who walks one dog and logs the leans of the weekend.
DEMO_CARER_USERNAME = "demo-carer"
DEMO_CARER_PASSWORD = "lead-and-biscuits-57"
DEMO_SHARED_DOG = "Skye"
# Saturday and Sunday (date.weekday()): the carer's days with the shared dog.
DEMO_CARER_WEEKDAYS = (5, 6)
# The vet's link: the last 90 days, working for a fortnight, with one note already left.
DEMO_SHARE_DAYS = 90
DEMO_SHARE_EXPIRES_IN_DAYS = 14
DEMO_VET_NOTE = (
    "Dr Okafor",
    "Thanks for the report. The storm evenings stand out; "
    "let’s talk about a calming plan at her next check-up.",
)

# A fixed seed per dog makes every load the same journal, relative to the day it runs, and
# lets one dog's story change without reshuffling the others.
SEED = "leanlog-demo-1"
# About six months of journal; the dogs were added on its first day.
JOURNAL_DAYS = 182
# The evenings (in days ago) with thunder or fireworks: a stormy spell over the last weeks sets
# the young dog off, so her 30-day report flags anxiety. Fixed, so the story never depends on luck.
STORM_EVENINGS = (2, 4, 8, 11, 16, 19, 22, 27, 31, 34, 58, 97, 131, 166)
# The owner goes out to work three days in seven; the young dog leans while they get ready.
WORK_DAYS_OF_SEVEN = (1, 2, 4)

# One lean before its time is known: Incident field values plus "hour" and "minute".
Lean = dict[str, Any]

ANXIETY_SIGNS = [
    Sign.PANTING,
    Sign.WIDE_EYES,
    Sign.TAIL_TUCKED,
    Sign.EARS_BACK,
    Sign.LIP_LICKING,
    Sign.PACING,
    Sign.WHINING,
]
PHYSICAL_SIGNS = [Sign.SHAKY_LEGS, Sign.SLOW_TO_STAND, Sign.STIFFNESS, Sign.WEIGHT_SHIFTING, Sign.TIRED]


class DemoRandom(random.Random):
    """One dog's seeded chance, which also writes each note at most once, as an owner would."""

    def __init__(self, seed: str) -> None:
        super().__init__(seed)
        self.unused_notes: dict[tuple[str, ...], list[str]] = {}

    def some(self, codes: list[str], low: int, high: int) -> list[str]:
        """A few distinct codes from a list."""
        return self.sample(codes, self.randint(low, high))

    def note(self, notes: tuple[str, ...], chance: float) -> str:
        left = self.unused_notes.setdefault(notes, list(notes))
        if not left or self.random() >= chance:
            return ""
        return left.pop(self.randrange(len(left)))


# What one dog's day brings: (its chance, how many days ago) -> its leans.
DayPlan = Callable[[DemoRandom, int], list[Lean]]


# --- Skye: a young collie cross, frightened of storms and of being left -------------------------

STORM_NOTES = (
    "Thunder rolled in after tea. She glued herself to my shins until it passed.",
    "First rumble and she came looking for me. Would not budge from my legs all evening.",
    "Someone was letting off fireworks down the road. She pushed her back end into me and shook.",
    "Rain hammering on the skylight and a couple of big cracks. Leaned hard, tail right under.",
    "Sat with her on the kitchen floor with the radio on. It helped a little.",
    "Drew the curtains early and put the telly on loud before the storm arrived. Still leaned, but less.",
    "Lightning was miles off but she knew. Glued to me before I even heard it.",
)
NOISE_NOTES = (
    "Bin lorry reversing outside. She backed straight into me.",
    "The neighbours are drilling again. She leaned on me the whole time.",
    "A motorbike roared past on our walk and she pressed against my leg.",
)
DEPARTURE_NOTES = (
    "Started as soon as I picked up my keys. Whining and pacing, then leaning on me by the door.",
    "Put my coat on and she was at my legs straight away.",
    "Tried the 'coat on, sit down again' practice. Still leaned, but she settled sooner.",
    "Left a stuffed Kong this time. She ignored it and leaned on me until I went.",
)
CALM_NOTES = (
    "Quiet evening on the sofa. She leaned in and let out a big sigh.",
    "Lovely lazy lean while I read. Nice to see her this relaxed.",
)


def skye_day(rng: DemoRandom, days_ago: int) -> list[Lean]:
    leans: list[Lean] = []
    if days_ago in STORM_EVENINGS:
        hour = rng.randint(17, 21)
        for _ in range(rng.choice([1, 2, 2])):
            leans.append(
                {
                    "hour": hour,
                    "minute": rng.randint(0, 59),
                    "intensity": rng.randint(3, 5),
                    "duration": rng.choice([Duration.SHORT, Duration.LONG, Duration.LONG]),
                    "location": Location.HOME,
                    "owner_activity": rng.choice([OwnerActivity.RELAXING, OwnerActivity.STANDING]),
                    "triggers": [Trigger.THUNDER_FIREWORKS],
                    "signs": [Sign.TREMBLING, *rng.some(ANXIETY_SIGNS, 1, 3)],
                    "owner_response": rng.choice([OwnerResponse.TALKED, OwnerResponse.PETTED]),
                    "outcome": rng.choice([Outcome.CONTINUED, Outcome.SETTLED]),
                    "notes": rng.note(STORM_NOTES, 0.3),
                }
            )
            hour = min(hour + 1, 22)
    if rng.random() < 0.05:
        trembles = rng.random() < 0.5
        leans.append(
            {
                "hour": rng.randint(8, 18),
                "minute": rng.randint(0, 59),
                "intensity": rng.randint(2, 4),
                "duration": Duration.MOMENT,
                "location": rng.choice([Location.HOME, Location.WALK]),
                "owner_activity": rng.choice([OwnerActivity.WALKING, OwnerActivity.BUSY]),
                "triggers": [Trigger.LOUD_NOISE],
                "signs": [*([Sign.TREMBLING] if trembles else []), Sign.EARS_BACK, Sign.LIP_LICKING],
                "owner_response": OwnerResponse.TALKED,
                "outcome": Outcome.SETTLED,
                "notes": rng.note(NOISE_NOTES, 0.4),
            }
        )
    if days_ago % 7 in WORK_DAYS_OF_SEVEN and rng.random() < 0.6:
        leans.append(
            {
                "hour": rng.choice([7, 8, 8, 9]),
                "minute": rng.randint(0, 59),
                "intensity": rng.randint(2, 4),
                "duration": rng.choice([Duration.SHORT, Duration.LONG]),
                "location": Location.HOME,
                "owner_activity": OwnerActivity.PREPARING_TO_LEAVE,
                "signs": rng.some([Sign.WHINING, Sign.PACING, Sign.LIP_LICKING, Sign.YAWNING], 1, 2),
                "owner_response": rng.choice([OwnerResponse.IGNORED, OwnerResponse.TALKED]),
                "outcome": rng.choice([Outcome.CONTINUED, Outcome.LEFT]),
                "notes": rng.note(DEPARTURE_NOTES, 0.25),
            }
        )
    if rng.random() < 0.08:
        leans.append(
            {
                "hour": rng.randint(19, 22),
                "minute": rng.randint(0, 59),
                "intensity": 2,
                "duration": Duration.LONG,
                "location": Location.HOME,
                "owner_activity": OwnerActivity.RELAXING,
                "signs": [Sign.RELAXED, Sign.SIGHING],
                "owner_response": OwnerResponse.PETTED,
                "outcome": Outcome.SETTLED,
                "notes": rng.note(CALM_NOTES, 0.3),
            }
        )
    return leans


# --- Murphy: an adult labrador who leans hello -------------------------------------------------

GREETING_NOTES = (
    "Home from work and he reversed into my knees, whole back end wagging.",
    "Barely through the door before the bum-lean started. A good scratch and he was off.",
    "Came in with the shopping and got leaned on before I could put it down.",
    "Was only gone ten minutes for the post. Same welcome as if it had been a week.",
    "My partner got home first and got the lean. I got one too, a minute later.",
)
DAYCARE_NOTES = (
    "Picked him up from daycare. Leaned on me in front of all his friends.",
    "Daycare pick-up: straight over to me and plonked his backside on my feet.",
)
PARK_NOTES = (
    "At the park he kept coming back to lean on me between games with the spaniels.",
    "Leaned on me when a new dog came over to say hello, then went off to play.",
    "Stood with the other owners chatting and he parked himself against my legs.",
)
SOFA_NOTES = (
    "Film night. He leaned into me on the sofa and went to sleep like that.",
    "Long lean and a big sigh while I scratched the base of his tail.",
)


def murphy_day(rng: DemoRandom, days_ago: int) -> list[Lean]:
    leans: list[Lean] = []
    if rng.random() < 0.55:
        leans.append(
            {
                "hour": rng.choice([17, 18, 18, 19]),
                "minute": rng.randint(0, 59),
                "intensity": rng.randint(3, 4),
                "duration": rng.choice([Duration.MOMENT, Duration.SHORT]),
                "location": Location.HOME,
                "owner_activity": OwnerActivity.JUST_ARRIVED,
                "signs": [Sign.TAIL_WAGGING, *rng.some([Sign.RELAXED, Sign.SIGHING], 0, 1)],
                "owner_response": rng.choice(
                    [OwnerResponse.PETTED, OwnerResponse.PETTED, OwnerResponse.TALKED]
                ),
                "outcome": rng.choice([Outcome.SETTLED, Outcome.LEFT]),
                "notes": rng.note(GREETING_NOTES, 0.15),
            }
        )
    if rng.random() < 0.12:
        leans.append(
            {
                "hour": rng.choice([16, 17]),
                "minute": rng.randint(0, 59),
                "intensity": 3,
                "duration": Duration.MOMENT,
                "location": Location.OTHER,
                "owner_activity": OwnerActivity.JUST_ARRIVED,
                "triggers": [Trigger.OTHER_DOGS],
                "signs": [Sign.TAIL_WAGGING],
                "owner_response": OwnerResponse.PETTED,
                "outcome": Outcome.LEFT,
                "notes": rng.note(DAYCARE_NOTES, 0.3),
            }
        )
    if rng.random() < 0.2:
        leans.append(
            {
                "hour": rng.choice([7, 8, 12, 16]),
                "minute": rng.randint(0, 59),
                "intensity": rng.randint(2, 3),
                "duration": Duration.MOMENT,
                "posture": rng.choice(["backside", "backside", "side"]),
                "location": Location.DOG_PARK,
                "owner_activity": rng.choice([OwnerActivity.STANDING, OwnerActivity.TALKING]),
                "triggers": [Trigger.OTHER_DOGS],
                "signs": rng.some([Sign.RELAXED, Sign.TAIL_WAGGING], 1, 2),
                "owner_response": rng.choice([OwnerResponse.PETTED, OwnerResponse.IGNORED]),
                "outcome": Outcome.LEFT,
                "notes": rng.note(PARK_NOTES, 0.2),
            }
        )
    if rng.random() < 0.1:
        leans.append(
            {
                "hour": rng.randint(20, 22),
                "minute": rng.randint(0, 59),
                "intensity": 2,
                "duration": Duration.LONG,
                "location": Location.HOME,
                "owner_activity": rng.choice([OwnerActivity.RELAXING, OwnerActivity.PETTING]),
                "signs": [Sign.RELAXED, Sign.SIGHING],
                "owner_response": OwnerResponse.PETTED,
                "outcome": Outcome.SETTLED,
                "notes": rng.note(SOFA_NOTES, 0.3),
            }
        )
    return leans


MURPHY_ONE_OFFS: list[tuple[int, Lean]] = [
    (
        83,
        {
            "hour": 20,
            "minute": 40,
            "intensity": 2,
            "duration": Duration.SHORT,
            "location": Location.HOME,
            "owner_activity": OwnerActivity.RELAXING,
            "signs": [Sign.SCOOTING],
            "owner_response": OwnerResponse.TALKED,
            "outcome": Outcome.LEFT,
            "notes": "Leaned, then scooted along the rug. Only the once; keeping an eye on it.",
        },
    ),
]


# --- Ruby: a senior golden retriever who leans more, and more shakily -------------------------

SUPPORT_NOTES = (
    "Leaned on me while I was at the hob. Her back legs looked wobbly.",
    "Took her a while to get up from her bed, then she propped herself against me.",
    "Short walk today. She stopped at the gate and leaned on my leg for a breather.",
    "Stiff this morning. Leaned against me while she found her feet.",
    "She seems to use me as a post more and more when she stands still.",
    "Slipped a little on the kitchen tiles, then came and leaned on me. Must get a rug down.",
    "Leaned on me at the bottom of the stairs before deciding not to bother.",
)
EASY_NOTES = (
    "Old-lady lean by the fire, eyes half shut.",
    "Leaned in for an ear rub while I had my coffee.",
)

RUBY_ONE_OFFS: list[tuple[int, Lean]] = [
    (
        151,
        {
            "hour": 15,
            "minute": 30,
            "intensity": 5,
            "duration": Duration.MOMENT,
            "location": Location.OTHER_HOME,
            "owner_activity": OwnerActivity.TALKING,
            "triggers": [Trigger.CHILDREN, Trigger.NEW_PEOPLE],
            "signs": [Sign.TAIL_WAGGING],
            "owner_response": OwnerResponse.REDIRECTED,
            "outcome": Outcome.KNOCKED_OVER,
            "notes": (
                "At my sister's. My little nephew was crouching down to stroke her and she leaned "
                "her full weight into him; he went over backwards. No harm done, but we now ask her "
                "to settle on her mat when small children visit."
            ),
        },
    ),
    (
        96,
        {
            "hour": 10,
            "minute": 15,
            "intensity": 3,
            "duration": Duration.LONG,
            "location": Location.VET,
            "owner_activity": OwnerActivity.STANDING,
            "triggers": [Trigger.VET_OR_GROOMING],
            "signs": [Sign.WEIGHT_SHIFTING],
            "owner_response": OwnerResponse.PETTED,
            "outcome": Outcome.CONTINUED,
            "notes": "Booster jabs. She leaned on me in the waiting room the whole time.",
        },
    ),
]


# The vet saw her stiff hips and started a pain medication two days later (in days ago): from
# then on she leans less often, and fewer of her leans are shaky, though not none.
RUBY_VET_VISIT_DAYS_AGO = 37
RUBY_MEDICATION_DAYS_AGO = 35


def ruby_day(rng: DemoRandom, days_ago: int) -> list[Lean]:
    # 0 on the journal's first day, 1 today: she leans more often and more heavily as she ages.
    progress = 1 - days_ago / JOURNAL_DAYS
    medicated = days_ago <= RUBY_MEDICATION_DAYS_AGO
    if rng.random() >= (0.3 if medicated else 0.12 + 0.45 * progress):
        return []
    physical = rng.random() < (0.35 if medicated else 0.15 + 0.7 * progress)
    low = 2 + round(progress)
    return [
        {
            "hour": rng.choice([7, 8, 12, 17, 18, 21]),
            "minute": rng.randint(0, 59),
            "intensity": rng.randint(low, low + 2),
            "duration": Duration.LONG if physical and rng.random() < progress else Duration.SHORT,
            "location": rng.choice([Location.HOME, Location.HOME, Location.WALK, Location.YARD]),
            "owner_activity": rng.choice(
                [OwnerActivity.STANDING, OwnerActivity.WALKING, OwnerActivity.EATING]
            ),
            "signs": (
                rng.some(PHYSICAL_SIGNS, 1, 1 + round(2 * progress))
                if physical
                else rng.some([Sign.RELAXED, Sign.SIGHING], 1, 2)
            ),
            "owner_response": rng.choice([OwnerResponse.PETTED, OwnerResponse.TALKED]),
            "outcome": Outcome.SETTLED,
            "notes": rng.note(SUPPORT_NOTES if physical else EASY_NOTES, 0.2),
        }
    ]


# The timeline: what the owner did about it, and weighings. Days are days ago, as for the leans.
DEMO_EVENTS: dict[str, list[dict[str, Any]]] = {
    "Ruby": [
        {
            "days_ago": RUBY_VET_VISIT_DAYS_AGO,
            "ended_days_ago": RUBY_VET_VISIT_DAYS_AGO,
            "kind": EventKind.VET_VISIT,
            "title": "Check-up: stiff hips, probably arthritis",
            "notes": "Showed the vet the report. She felt both hips and suggested a pain relief trial.",
        },
        {
            "days_ago": RUBY_MEDICATION_DAYS_AGO,
            "kind": EventKind.MEDICATION,
            "title": "Meloxicam, once a day with breakfast",
            "notes": "Oral suspension, dose by weight from the vet. Review in six weeks.",
        },
    ],
    "Skye": [
        {
            "days_ago": 20,
            "kind": EventKind.TRAINING,
            "title": "Departure training: coat and keys without leaving",
            "notes": "Plan from the trainer: five minutes twice a day, leave only once she is calm.",
        },
    ],
}
# Ruby's weighings (days ago, kg): a slow slide an older dog's owner might not notice, 5% in
# under three months, which the report names as a note.
DEMO_WEIGHTS: dict[str, list[tuple[int, Decimal]]] = {
    "Ruby": [(88, Decimal("30.6")), (58, Decimal("30.2")), (37, Decimal("29.9")), (9, Decimal("29.0"))],
    "Skye": [(60, Decimal("17.4")), (20, Decimal("17.6"))],
}


def quiet_day(rng: DemoRandom, days_ago: int) -> list[Lean]:
    """A lean every fourth day at home, a third of them relaxed: no pattern, nothing to flag."""
    if days_ago % 4:
        return []
    return [
        {
            "hour": rng.randint(8, 20),
            "minute": rng.randint(0, 59),
            "intensity": 2,
            "duration": Duration.SHORT,
            "location": Location.HOME,
            "owner_activity": rng.choice(
                [OwnerActivity.RELAXING, OwnerActivity.EATING, OwnerActivity.STANDING]
            ),
            "signs": [Sign.SIGHING] if days_ago % 12 == 0 else [],
        }
    ]


# The days (ago) on which the owner told Leanlog "I was with the dog, nothing to log": the
# quiet dog's month is watched on most days, so its verdict is a clear bill, not a sparse one.
# Ruby's owner checks in every day from four weeks before her medication on: her days watched
# stay the same on both sides, so fewer leans after it are fewer leans, not fewer days noted.
CHECKED_IN_DAYS_AGO: dict[str, range] = {
    "Bramble": range(1, 31, 2),
    "Ruby": range(1, RUBY_MEDICATION_DAYS_AGO + 29),
}


def no_day(rng: DemoRandom, days_ago: int) -> list[Lean]:
    return []


# A puppy added three days ago: two leans, too early for patterns. Only the time of the
# second was noted: "not noted" shows as it is.
PIP_ONE_OFFS: list[tuple[int, Lean]] = [
    (2, {"hour": 18, "minute": 5, "intensity": 2, "location": Location.HOME, "signs": [Sign.TAIL_WAGGING]}),
    (1, {"hour": 7, "minute": 40}),
]

# One scooting lean in an otherwise quiet month: a note, below the itch flag's threshold.
NELL_ONE_OFFS: list[tuple[int, Lean]] = [
    (
        6,
        {
            "hour": 19,
            "minute": 15,
            "intensity": 3,
            "duration": Duration.MOMENT,
            "location": Location.HOME,
            "owner_activity": OwnerActivity.RELAXING,
            "signs": [Sign.SCOOTING],
            "notes": "Shuffled her bottom along the rug right after.",
        },
    ),
]

DEMO_DOGS: list[tuple[dict[str, Any], DayPlan, list[tuple[int, Lean]]]] = [
    (
        {
            "name": "Skye",
            "breed": "Border collie cross",
            "size": Size.MEDIUM,
            "sex": Sex.FEMALE,
            "weight_kg": Decimal("17.5"),
            "age_days": 2 * 365 + 40,
            "notes": "Rescue. Hates storms and bangs; not keen on being left alone either.",
        },
        skye_day,
        [],
    ),
    (
        {
            "name": "Murphy",
            "breed": "Labrador retriever",
            "size": Size.LARGE,
            "sex": Sex.MALE,
            "weight_kg": Decimal("34.0"),
            "age_days": 5 * 365 + 100,
            "notes": "Goes to daycare twice a week. Loves everyone.",
        },
        murphy_day,
        MURPHY_ONE_OFFS,
    ),
    (
        {
            "name": "Ruby",
            "breed": "Golden retriever",
            "size": Size.LARGE,
            "sex": Sex.FEMALE,
            "weight_kg": Decimal("29.5"),
            "age_days": 11 * 365 + 70,
            "notes": "Our old girl. Slowing down on walks this year.",
        },
        ruby_day,
        RUBY_ONE_OFFS,
    ),
    (
        {
            "name": "Bramble",
            "breed": "Border terrier",
            "size": Size.SMALL,
            "sex": Sex.MALE,
            "weight_kg": Decimal("6.5"),
            "age_days": 4 * 365,
            "notes": "Easy-going. Leans on the sofa now and then.",
        },
        quiet_day,
        [],
    ),
    (
        {
            "name": "Nell",
            "breed": "Whippet",
            "size": Size.MEDIUM,
            "sex": Sex.FEMALE,
            "weight_kg": Decimal("13.0"),
            "age_days": 3 * 365 + 200,
            "notes": "",
        },
        quiet_day,
        NELL_ONE_OFFS,
    ),
    (
        {
            "name": "Pip",
            "breed": "Cocker spaniel",
            "size": Size.MEDIUM,
            "sex": Sex.MALE,
            "weight_kg": Decimal("6.0"),
            "age_days": 120,
            "notes": "New puppy, home since this week.",
            "joined_days_ago": 3,
        },
        no_day,
        PIP_ONE_OFFS,
    ),
]


def build_incidents(
    dog: Dog,
    plan: DayPlan,
    one_offs: list[tuple[int, Lean]],
    rng: DemoRandom,
    today: dt.date,
    zone: zoneinfo.ZoneInfo,
    journal_days: int = JOURNAL_DAYS,
) -> list[Incident]:
    """Every lean of one dog, oldest first, from the journal's first day to yesterday."""
    dated: list[tuple[int, Lean]] = list(one_offs)
    # Never today, whose planned hours may still be ahead of the clock. Newest first, so that
    # the notes (each written once) land on the weeks a visitor looks at first.
    for days_ago in range(1, journal_days + 1):
        dated.extend((days_ago, lean) for lean in plan(rng, days_ago))
    incidents = []
    for days_ago, lean in dated:
        fields = dict(lean)
        # Hours between 6 and 22 only, so a clock change never makes a time ambiguous or skipped.
        clock = dt.time(fields.pop("hour"), fields.pop("minute"))
        day = today - dt.timedelta(days=days_ago)
        occurred_at = dt.datetime.combine(day, clock, tzinfo=zone)
        incidents.append(Incident(dog=dog, occurred_at=occurred_at, **fields))
    incidents.sort(key=lambda incident: incident.occurred_at)
    return incidents
