"""Edits that never silently undo someone else's: a form remembers the row it showed.

Two members of a household (or one person in two tabs) can open the same lean, event or dog
at once. Without a check, the second to save would put back, unseen, every value the first one
changed. An edit form therefore carries a hidden `seen`: a digest of the row as it was shown.
When it comes back and the row has changed since, nothing is saved; the person keeps what they
typed, reads why, and saves again to put their version in place (the form now carries the new
digest) or cancels to keep the other one.

A form sent without `seen` (a script, an old page) is saved as before. The check and the save
are one step (`edit_of`): the row is read again inside the transaction that saves it, locked
on PostgreSQL (SQLite's IMMEDIATE transactions already let one writer in at a time), so of two
saves sent at the same moment from the same page, the second is refused, not written over the
first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404

SEEN = "seen"


def stored_digest(instance: models.Model) -> str:
    """A short digest of every stored field of the row, as loaded."""
    values = "\x1f".join(repr(field.value_from_object(instance)) for field in instance._meta.concrete_fields)
    return hashlib.blake2s(values.encode(), digest_size=8).hexdigest()


def watch_for_changes(form: forms.ModelForm, changed_meanwhile: str) -> None:
    """Give an edit form (its instance stored) its hidden `seen`; call from the form's __init__.

    `changed_meanwhile` is what the person reads when the row changed after the form was shown.
    The form's class must also have `clean_seen = refuse_overwrite`.
    """
    form.stored_now = stored_digest(form.instance)
    form.changed_meanwhile = False
    form.saving_again_changes = []
    form.changed_meanwhile_message = changed_meanwhile
    form.fields[SEEN] = forms.CharField(required=False, widget=forms.HiddenInput, initial=form.stored_now)


def refuse_overwrite(form: forms.ModelForm) -> str:
    """The form's clean_seen: an error when the row changed after the form showed it."""
    seen = form.cleaned_data.get(SEEN, "")
    if seen and seen != form.stored_now:
        # Sent again, the form stands for the row as it is now: the second save goes through.
        form.data = form.data.copy()
        form.data[SEEN] = form.stored_now
        form.changed_meanwhile = True
        # Where the person's version and the row as it is now differ (the form's initial values
        # are the row's, read in edit_of): what saving again would change, theirs or not.
        form.saving_again_changes = [
            name for name in form.changed_data if name != SEEN and not _looks_alike(form, name)
        ]
        raise ValidationError(form.changed_meanwhile_message, code="changed_meanwhile")
    return seen


@contextmanager
def edit_of(instance: models.Model, saving: bool) -> Iterator[None]:
    """Build, check and save the edit form inside. When `saving`, the row is read again as stored
    now, and no other save of it lands before the block ends (a row deleted meanwhile is a 404,
    never made again); a page only shown needs no lock."""
    if not saving:
        yield
        return
    with transaction.atomic():
        try:
            instance.refresh_from_db(from_queryset=type(instance)._default_manager.select_for_update())
        except type(instance).DoesNotExist:
            # Deleted since the form was shown: a save would make it again.
            raise Http404("Deleted meanwhile.") from None
        yield


def _looks_alike(form: forms.ModelForm, name: str) -> bool:
    """Whether a field the form calls changed shows the row's value exactly as sent: a moment
    stored to the second, sent back to the minute its field shows, is not the person's change."""
    field = form.fields[name]
    shown = field.widget.format_value(form[name].initial)
    sent = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    return isinstance(shown, str) and shown == sent
