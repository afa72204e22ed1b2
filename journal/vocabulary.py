"""The journal's vocabulary: every stored code and its label, in one place."""

from __future__ import annotations

from django.db import models


# Each label is the number and INTENSITY_WORDS' name for it, so every page says the same.
class Intensity(models.IntegerChoices):
    LIGHT_TOUCH = 1, "1 · Light touch"
    GENTLE = 2, "2 · Gentle lean"
    STEADY = 3, "3 · Steady lean"
    HEAVY = 4, "4 · Heavy lean"
    FULL_WEIGHT = 5, "5 · Full-weight lean"


# Each intensity in a few words: on the form's buttons, in the journal's rows and in the
# report's "about a steady lean".
INTENSITY_WORDS: dict[int, str] = {
    Intensity.LIGHT_TOUCH: "Light touch",
    Intensity.GENTLE: "Gentle lean",
    Intensity.STEADY: "Steady lean",
    Intensity.HEAVY: "Heavy lean",
    Intensity.FULL_WEIGHT: "Full-weight lean",
}


class Duration(models.TextChoices):
    MOMENT = "moment", "A moment (under 10 s)"
    SHORT = "short", "Short (10 s – 1 min)"
    LONG = "long", "Long (over 1 min)"


class Posture(models.TextChoices):
    BACKSIDE = "backside", "Backside"
    SIDE = "side", "Side"
    SHOULDER = "shoulder", "Shoulder"
    FRONT = "front", "Front"


class Location(models.TextChoices):
    HOME = "home", "Home"
    YARD = "yard", "Yard or garden"
    WALK = "walk", "On a walk"
    DOG_PARK = "dog_park", "Dog park"
    VET = "vet", "Vet"
    PET_STORE = "pet_store", "Pet shop"
    TRAINING_CLASS = "training_class", "Training class"
    OTHER_HOME = "other_home", "Someone else’s home"
    CAR = "car", "Car"
    OTHER = "other", "Somewhere else"


class OwnerActivity(models.TextChoices):
    JUST_ARRIVED = "just_arrived", "Just came home"
    PREPARING_TO_LEAVE = "preparing_to_leave", "Getting ready to leave"
    BUSY = "busy", "Busy (working, chores)"
    RELAXING = "relaxing", "Relaxing"
    PETTING = "petting", "Petting the dog"
    EATING = "eating", "Eating"
    TALKING = "talking", "Talking or on the phone"
    STANDING = "standing", "Standing around"
    WALKING = "walking", "Walking"


class Trigger(models.TextChoices):
    THUNDER_FIREWORKS = "thunder_fireworks", "Thunder or fireworks"
    LOUD_NOISE = "loud_noise", "Other loud noise"
    NEW_PEOPLE = "new_people", "New people"
    OTHER_DOGS = "other_dogs", "Other dogs nearby"
    NEW_PLACE = "new_place", "A new place"
    CHILDREN = "children", "Children"
    VET_OR_GROOMING = "vet_or_grooming", "Vet or grooming"


class SignGroup(models.TextChoices):
    ANXIETY = "anxiety", "Anxious"
    PHYSICAL = "physical", "Physical"
    ATTENTION = "attention", "Asking for attention"
    ITCH = "itch", "Itchy"
    RELAXED = "relaxed", "Relaxed"


class Sign(models.TextChoices):
    # anxiety
    TREMBLING = "trembling", "Trembling"
    PANTING = "panting", "Panting"
    WIDE_EYES = "wide_eyes", "Wide eyes"
    TAIL_TUCKED = "tail_tucked", "Tail tucked"
    EARS_BACK = "ears_back", "Ears back"
    LIP_LICKING = "lip_licking", "Lip licking"
    YAWNING = "yawning", "Yawning"
    PACING = "pacing", "Pacing"
    WHINING = "whining", "Whining"
    # physical
    SHAKY_LEGS = "shaky_legs", "Shaky legs"
    WEIGHT_SHIFTING = "weight_shifting", "Shifting weight"
    STIFFNESS = "stiffness", "Stiff"
    TIRED = "tired", "Tired"
    SLOW_TO_STAND = "slow_to_stand", "Slow to stand up"
    # attention
    LOOKS_BACK = "looks_back", "Looks back at you"
    PAWING = "pawing", "Pawing"
    NUDGING = "nudging", "Nudging your hand"
    # itch
    SCOOTING = "scooting", "Scooting"
    LICKING_REAR = "licking_rear", "Licking the rear"
    SCRATCHING = "scratching", "Scratching"
    # relaxed
    RELAXED = "relaxed", "Relaxed body"
    TAIL_WAGGING = "tail_wagging", "Tail wagging"
    SIGHING = "sighing", "Sighing"


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
    PETTED = "petted", "Petted or scratched"
    TREAT = "treat", "Gave a treat"
    TALKED = "talked", "Talked to the dog"
    IGNORED = "ignored", "Ignored it"
    REDIRECTED = "redirected", "Redirected (toy, cue)"
    MOVED_AWAY = "moved_away", "Moved away"


class Outcome(models.TextChoices):
    SETTLED = "settled", "Settled down"
    CONTINUED = "continued", "Kept leaning"
    LEFT = "left", "Walked off"
    KNOCKED_OVER = "knocked_over", "Someone lost balance or fell"
