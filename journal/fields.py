"""A set of vocabulary codes stored in one text column."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import lookups
from django.utils.translation import gettext


class CodeSetField(models.CharField):
    """Stores a set of codes as ",a,b," so that `field__has="a"` is one indexed-free LIKE.

    In Python the value is a sorted list of codes; unknown codes fail validation.
    The delimiters at both ends let a lookup match a whole code, never part of one.
    """

    def __init__(self, *args, codes: Iterable[str] = (), **kwargs) -> None:
        self.codes = tuple(codes)
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["codes"] = self.codes
        if kwargs.get("max_length") == 400:
            del kwargs["max_length"]
        kwargs.pop("blank", None)
        if kwargs.get("default") is list:
            del kwargs["default"]
        return name, path, args, kwargs

    @staticmethod
    def split(value: str | None) -> list[str]:
        if not value:
            return []
        return [code for code in value.split(",") if code]

    def from_db_value(self, value, expression, connection) -> list[str]:
        return self.split(value)

    def to_python(self, value) -> list[str]:
        if isinstance(value, str):
            return self.split(value)
        if value is None:
            return []
        return sorted(set(value))

    def get_prep_value(self, value) -> str:
        codes = self.to_python(value)
        return f",{','.join(codes)}," if codes else ""

    def validate(self, value, model_instance) -> None:
        unknown = [code for code in self.to_python(value) if code not in self.codes]
        if unknown:
            raise ValidationError(
                gettext("Unknown code: %(codes)s."),
                code="invalid_choice",
                params={"codes": ", ".join(unknown)},
            )

    def value_to_string(self, obj) -> str:
        return ";".join(self.value_from_object(obj))

    def formfield(self, **kwargs):
        from django import forms

        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": [(code, code) for code in self.codes],
            "required": not self.blank,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        # CharField.formfield would add max_length, which a multiple choice field refuses.
        return models.Field.formfield(self, **defaults)


@CodeSetField.register_lookup
class HasCode(lookups.Contains):
    """`signs__has="trembling"`: the set holds that code."""

    lookup_name = "has"
    prepare_rhs = False

    def get_prep_lookup(self):
        return f",{self.rhs},"

    def get_rhs_op(self, connection, rhs):
        # The SQL is the backend's own case-sensitive LIKE, with its escaping.
        return connection.operators["contains"] % rhs
