"""Django's password rules, said in Leanlog's own words (AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from django.contrib.auth import password_validation as django_rules


class MinimumLength(django_rules.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Make the password at least {self.min_length} characters long: a short phrase works well."

    def get_help_text(self) -> str:
        return f"At least {self.min_length} characters; a few words you will remember are ideal."


class NotLikeTheUsername(django_rules.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "The password is too close to your %(verbose_name)s. Pick something less guessable."

    def get_help_text(self) -> str:
        return "Not too close to your username or email address."


class NotCommon(django_rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "That password is on the list of the most common ones, so it is easy to guess. Pick another."

    def get_help_text(self) -> str:
        return "Not one of the most common passwords."


class NotOnlyDigits(django_rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "A password of digits only is quick to guess. Add some letters."

    def get_help_text(self) -> str:
        return "Not only digits."
