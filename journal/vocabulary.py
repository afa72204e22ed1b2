"""The journal's vocabulary: every stored code and its label, in one place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


# Each label is the number and INTENSITY_WORDS' name for it, so every page says the same.
class Intensity(models.IntegerChoices):
    # Translators: the strength of a lean, 1 to 5, on the form's buttons; keep the number and the middle dot.
    LIGHT_TOUCH = 1, _("1 · Light touch")
    GENTLE = 2, _("2 · Gentle lean")
    STEADY = 3, _("3 · Steady lean")
    HEAVY = 4, _("4 · Heavy lean")
    FULL_WEIGHT = 5, _("5 · Full-weight lean")


# Each intensity in a few words: on the form's buttons, in the journal's rows and in the
# report's "about a steady lean".
INTENSITY_WORDS: dict[int, str] = {
    # Translators: the strength of a lean without its number, in the journal's rows and the report.
    Intensity.LIGHT_TOUCH: _("Light touch"),
    Intensity.GENTLE: _("Gentle lean"),
    Intensity.STEADY: _("Steady lean"),
    Intensity.HEAVY: _("Heavy lean"),
    Intensity.FULL_WEIGHT: _("Full-weight lean"),
}


class Duration(models.TextChoices):
    MOMENT = "moment", _("A moment (under 10 s)")
    SHORT = "short", _("Short (10 s – 1 min)")
    LONG = "long", _("Long (over 1 min)")


class Posture(models.TextChoices):
    BACKSIDE = "backside", pgettext_lazy("part of the dog that leaned", "Backside")
    SIDE = "side", pgettext_lazy("part of the dog that leaned", "Side")
    SHOULDER = "shoulder", pgettext_lazy("part of the dog that leaned", "Shoulder")
    FRONT = "front", pgettext_lazy("part of the dog that leaned", "Front")


class Location(models.TextChoices):
    HOME = "home", pgettext_lazy("place", "Home")
    YARD = "yard", _("Yard or garden")
    WALK = "walk", _("On a walk")
    DOG_PARK = "dog_park", _("Dog park")
    VET = "vet", pgettext_lazy("place", "Vet")
    PET_STORE = "pet_store", _("Pet shop")
    TRAINING_CLASS = "training_class", _("Training class")
    OTHER_HOME = "other_home", _("Someone else’s home")
    CAR = "car", _("Car")
    OTHER = "other", _("Somewhere else")


class OwnerActivity(models.TextChoices):
    # Translators: what the person was doing when the dog leaned (the form's "what you were doing").
    JUST_ARRIVED = "just_arrived", _("Just came home")
    PREPARING_TO_LEAVE = "preparing_to_leave", _("Getting ready to leave")
    BUSY = "busy", _("Busy (working, chores)")
    RELAXING = "relaxing", pgettext_lazy("what the person was doing", "Relaxing")
    PETTING = "petting", _("Petting the dog")
    EATING = "eating", pgettext_lazy("what the person was doing", "Eating")
    TALKING = "talking", _("Talking or on the phone")
    STANDING = "standing", _("Standing around")
    WALKING = "walking", pgettext_lazy("what the person was doing", "Walking")


class Trigger(models.TextChoices):
    THUNDER_FIREWORKS = "thunder_fireworks", _("Thunder or fireworks")
    LOUD_NOISE = "loud_noise", _("Other loud noise")
    NEW_PEOPLE = "new_people", _("New people")
    OTHER_DOGS = "other_dogs", _("Other dogs nearby")
    NEW_PLACE = "new_place", _("A new place")
    CHILDREN = "children", _("Children")
    VET_OR_GROOMING = "vet_or_grooming", _("Vet or grooming")


class SignGroup(models.TextChoices):
    ANXIETY = "anxiety", pgettext_lazy("group of signs", "Anxious")
    PHYSICAL = "physical", pgettext_lazy("group of signs", "Physical")
    ATTENTION = "attention", pgettext_lazy("group of signs", "Asking for attention")
    ITCH = "itch", pgettext_lazy("group of signs", "Itchy")
    RELAXED = "relaxed", pgettext_lazy("group of signs", "Relaxed")


class Sign(models.TextChoices):
    # anxiety
    TREMBLING = "trembling", _("Trembling")
    PANTING = "panting", _("Panting")
    WIDE_EYES = "wide_eyes", _("Wide eyes")
    TAIL_TUCKED = "tail_tucked", _("Tail tucked")
    EARS_BACK = "ears_back", _("Ears back")
    LIP_LICKING = "lip_licking", _("Lip licking")
    YAWNING = "yawning", _("Yawning")
    PACING = "pacing", _("Pacing")
    WHINING = "whining", _("Whining")
    # physical
    SHAKY_LEGS = "shaky_legs", _("Shaky legs")
    WEIGHT_SHIFTING = "weight_shifting", _("Shifting weight")
    STIFFNESS = "stiffness", _("Stiff")
    TIRED = "tired", _("Tired")
    SLOW_TO_STAND = "slow_to_stand", _("Slow to stand up")
    # attention
    LOOKS_BACK = "looks_back", _("Looks back at you")
    PAWING = "pawing", _("Pawing")
    NUDGING = "nudging", _("Nudging your hand")
    # itch
    SCOOTING = "scooting", _("Scooting")
    LICKING_REAR = "licking_rear", _("Licking the rear")
    SCRATCHING = "scratching", _("Scratching")
    # relaxed
    RELAXED = "relaxed", _("Relaxed body")
    TAIL_WAGGING = "tail_wagging", _("Tail wagging")
    SIGHING = "sighing", _("Sighing")


SIGN_GROUPS: dict[str, tuple[str, ...]] = {
    SignGroup.ANXIETY: (
        Sign.TREMBLING,
        Sign.PANTING,
        Sign.WIDE_EYES,
        Sign.TAIL_TUCKED,
        Sign.EARS_BACK,
        Sign.LIP_LICKING,
        Sign.YAWNING,
        Sign.PACING,
        Sign.WHINING,
    ),
    SignGroup.PHYSICAL: (
        Sign.SHAKY_LEGS,
        Sign.WEIGHT_SHIFTING,
        Sign.STIFFNESS,
        Sign.TIRED,
        Sign.SLOW_TO_STAND,
    ),
    SignGroup.ATTENTION: (Sign.LOOKS_BACK, Sign.PAWING, Sign.NUDGING),
    SignGroup.ITCH: (Sign.SCOOTING, Sign.LICKING_REAR, Sign.SCRATCHING),
    SignGroup.RELAXED: (Sign.RELAXED, Sign.TAIL_WAGGING, Sign.SIGHING),
}

GROUP_OF_SIGN: dict[str, str] = {sign: group for group, signs in SIGN_GROUPS.items() for sign in signs}


class OwnerResponse(models.TextChoices):
    # Translators: how the person answered the lean (the form's "how you answered").
    PETTED = "petted", _("Petted or scratched")
    TREAT = "treat", _("Gave a treat")
    TALKED = "talked", _("Talked to the dog")
    IGNORED = "ignored", _("Ignored it")
    REDIRECTED = "redirected", _("Redirected (toy, cue)")
    MOVED_AWAY = "moved_away", _("Moved away")


class Outcome(models.TextChoices):
    # Translators: what the dog did after the lean (the form's "what happened next").
    SETTLED = "settled", _("Settled down")
    CONTINUED = "continued", _("Kept leaning")
    LEFT = "left", _("Walked off")
    KNOCKED_OVER = "knocked_over", _("Someone lost balance or fell")


# Kinds of event (journal.models.EventKind) that happen on their day, a visit or a move, rather
# than begin something that goes on (a medication, a diet): the report never says they "began".
ONE_DAY_EVENT_KINDS = frozenset({"vet_visit", "life_change"})
