"""Django's password rules, said in Leanlog's own words (AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from django.contrib.auth import password_validation as django_rules
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLength(django_rules.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Make the password at least %(min_length)s character long: a short phrase works well.",
            "Make the password at least %(min_length)s characters long: a short phrase works well.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "At least %(min_length)s character; a few words you will remember are ideal.",
            "At least %(min_length)s characters; a few words you will remember are ideal.",
            self.min_length,
        ) % {"min_length": self.min_length}


class NotLikeTheUsername(django_rules.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        # Translators: %(verbose_name)s is Django's own name of the field, "username" or "email address".
        return _("The password is too close to your %(verbose_name)s. Pick something less guessable.")

    def get_help_text(self) -> str:
        return _("Not too close to your username or, once you have given one, your email address.")


class NotCommon(django_rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _(
            "That password is on the list of the most common ones, so it is easy to guess. Pick another."
        )

    def get_help_text(self) -> str:
        return _("Not one of the most common passwords.")


class NotOnlyDigits(django_rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("A password of digits only is quick to guess. Add some letters.")

    def get_help_text(self) -> str:
        return _("Not only digits.")
