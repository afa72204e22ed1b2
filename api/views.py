"""The token page: make a token (shown once), see when each was last used, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import throttle
from accounts.forms import CodeForm
from accounts.two_factor import second_factor
from api.forms import TokenForm
from api.models import ApiToken
from dogs.access import refuse_other_methods


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """A person sees and makes only their own tokens; a new one is shown on this response only."""
    form = TokenForm(request.POST or None)
    # A token is a way in that skips the code: with a second factor on, making one asks for a fresh code.
    code_form = CodeForm(request.POST or None) if second_factor.is_on(request.user) else None
    new_token = None
    if request.method == "POST" and code_form is not None:
        if refused := throttle.password_prompt_refused(request, request.user):
            return refused
        # Only with a good name, so that a refused form never uses up a recovery code.
        if (
            form.is_valid()
            and code_form.is_valid()
            and not second_factor.device_for_code(request.user, code_form.cleaned_data["code"])
        ):
            throttle.count_wrong_password(request, request.user)
            code_form.add_error(
                "code", _("That code is not right. Type the newest code from your authenticator app.")
            )
    if request.method == "POST" and form.is_valid() and (code_form is None or code_form.is_valid()):
        # Rendered, not redirected: this response is the only one that ever holds the token.
        new_token = ApiToken.issue(request.user, form.cleaned_data["name"])[1]
        form = TokenForm()
        code_form = CodeForm() if code_form is not None else None
    tokens = ApiToken.objects.for_owner(request.user)
    response = render(
        request,
        "api/token_list.html",
        {"form": form, "code_form": code_form, "tokens": tokens, "new_token": new_token},
    )
    return response


@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Only the token's owner revokes it (anyone else: 404 for every method); it stops at once."""
    token = get_object_or_404(ApiToken, pk=token_id, owner=request.user)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    token.delete()
    # Translators: %(name)s is the token's name, such as "my laptop script".
    revoked = _("Revoked “%(name)s”. Scripts using it can no longer sign in.") % {"name": token.name}
    messages.success(request, revoked)
    return redirect("api:token-list")
