"""The second factor's pages: set up, recovery codes once, passkeys, turning it off, the code at sign-in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from accounts import throttle
from accounts.forms import CodeForm, PasskeyNameForm, PasswordForm, TurnOffForm
from accounts.two_factor import passkeys, second_factor
from dogs.models import Owner

WRONG_CODE = gettext_lazy("That code is not right. Check the time on your phone, or use a recovery code.")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Only the signed-in person sets up, renews or turns off their own second factor."""
    owner = request.user
    if second_factor.app_is_on(owner):
        return _manage(request, owner)
    form = CodeForm(request.POST or None)
    # No recovery codes exist before the factor is on: only the app's code turns it on.
    form.fields["code"].help_text = _("The 6 digits your authenticator app shows now.")
    device = second_factor.setup_device(owner)
    if request.method == "POST" and form.is_valid():
        if second_factor.confirm_setup(owner, form.cleaned_data["code"]):
            device.refresh_from_db()
            # The code just typed proves the second factor for this session too (the admin asks).
            otp_login(request, device)
            second_factor.send_changed_mail(owner, turned_on=True)
            return _show_codes(request, owner, turned_on=True)
        form.add_error(
            "code",
            _("That code is not right. Scan the code again, or type the secret, then try the newest code."),
        )
    context = {
        "form": form,
        "secret": second_factor.secret_text(device),
        "qr": second_factor.qr_data_uri(device),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _manage(request: HttpRequest, owner: Owner) -> HttpResponse:
    """The factor is on: passkeys, new recovery codes by code, turning off with the password and a code."""
    action = request.POST.get("action") if request.method == "POST" else None
    renew = CodeForm(request.POST if action == "renew" else None, prefix="renew")
    off = TurnOffForm(request.POST if action == "off" else None, prefix="off")
    # The passkey a rename or removal names, among the person's own only.
    chosen = None
    if action in ("rename", "remove"):
        chosen = get_object_or_404(passkeys.passkeys_of(owner), pk=_int_or_none(request.POST.get("passkey")))
    if action in ("renew", "off", "remove") and (refused := throttle.password_prompt_refused(request, owner)):
        return refused
    if action == "rename":
        rename = PasskeyNameForm(request.POST, prefix=f"rename-{chosen.pk}")
        if rename.is_valid():
            chosen.name = rename.cleaned_data["name"]
            chosen.save(update_fields=["name"])
            # Translators: %(name)s is the passkey's new name.
            messages.success(request, _("The passkey is now called “%(name)s”.") % {"name": chosen.name})
            return redirect("two-factor")
        chosen.rename_form = rename
    if action == "remove":
        remove = PasswordForm(request.POST, prefix=f"remove-{chosen.pk}")
        if remove.is_valid():
            if owner.check_password(remove.cleaned_data["password"]):
                name = chosen.name
                chosen.delete()
                passkeys.send_passkey_mail(owner, name, added=False)
                # Translators: %(name)s is the passkey's name.
                removed = _("“%(name)s” is removed: it no longer signs you in.") % {"name": name}
                messages.success(request, removed)
                return redirect("two-factor")
            throttle.count_wrong_password(request, owner)
            remove.add_error("password", _("That is not your password."))
        chosen.remove_form = remove
    if action == "renew" and renew.is_valid():
        if second_factor.device_for_code(owner, renew.cleaned_data["code"]):
            return _show_codes(request, owner, turned_on=False)
        throttle.count_wrong_password(request, owner)
        renew.add_error("code", WRONG_CODE)
    if action == "off" and off.is_valid():
        right_password = owner.check_password(off.cleaned_data["password"])
        # The code is tried only after the right password: a wrong password never uses up a
        # recovery code. Either wrong counts as a failed sign-in.
        right_code = right_password and second_factor.device_for_code(owner, off.cleaned_data["code"])
        if right_password and right_code:
            second_factor.turn_off(owner)
            second_factor.send_changed_mail(owner, turned_on=False)
            messages.success(request, _("The second factor is off. Signing in asks for your password only."))
            return redirect("two-factor")
        throttle.count_wrong_password(request, owner)
        if not right_password:
            off.add_error("password", _("That is not your password."))
        else:
            off.add_error("code", WRONG_CODE)
    keys = list(passkeys.passkeys_of(owner))
    for key in keys:
        if chosen is not None and key.pk == chosen.pk:
            key.rename_form = getattr(chosen, "rename_form", None)
            key.remove_form = getattr(chosen, "remove_form", None)
            key.open = True
        key.rename_form = getattr(key, "rename_form", None) or PasskeyNameForm(
            initial={"name": key.name}, prefix=f"rename-{key.pk}"
        )
        key.remove_form = getattr(key, "remove_form", None) or PasswordForm(prefix=f"remove-{key.pk}")
    context = {
        "renew": renew,
        "off": off,
        "codes_left": len(second_factor.unused_recovery_codes(owner)),
        "passkeys": keys,
        "new_passkey": _new_passkey_form(owner),
    }
    return render(request, "accounts/two_factor_manage.html", context)


def _new_passkey_form(owner: Owner) -> PasskeyNameForm:
    # Not posted as a form: static/js/passkeys.js sends the name with the new passkey.
    form = PasskeyNameForm(prefix="new-passkey", initial={"name": passkeys.default_name(owner)})
    form.fields["name"].widget.attrs["data-passkey-name"] = ""
    form.fields["name"].label = _("Its name")
    return form


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


def _show_codes(request: HttpRequest, owner: Owner, turned_on: bool) -> HttpResponse:
    # Rendered, not redirected: this response and the download right after are the only places
    # the codes are shown.
    codes = second_factor.new_recovery_codes(owner)
    second_factor.mark_fresh_codes(request)
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "turned_on": turned_on})


@login_required
@require_http_methods(["POST"])
def two_factor_codes_download(request: HttpRequest) -> HttpResponse:
    """The codes just shown, as a text file, from the same session for a few minutes only."""
    if not second_factor.may_download_codes(request):
        raise Http404("The recovery codes are only shown once.")
    codes = second_factor.unused_recovery_codes(request.user)
    # Translators: the first line of the downloaded recovery codes file; %(username)s is the account's.
    title = _("Leanlog recovery codes for %(username)s") % {"username": request.user.get_username()}
    hint = _("Each code signs you in once, in place of the code from your authenticator app.")
    text = f"{title}\n{hint}\n\n" + "\n".join(codes) + "\n"
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="leanlog-recovery-codes.txt"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_sign_in(request: HttpRequest) -> HttpResponse:
    """After the right password, a right code signs in; a wrong one counts as a failed sign-in."""
    pending = second_factor.pending(request)
    owner = Owner.objects.filter(pk=pending["id"], is_active=True).first() if pending else None
    if owner is None:
        second_factor.forget_pending(request)
        messages.info(request, _("Sign in again: the time to type the code ran out."))
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if refused := throttle.password_prompt_refused(request, owner):
            return refused
        if form.is_valid():
            device = second_factor.device_for_code(owner, form.cleaned_data["code"])
            if device is not None:
                second_factor.forget_pending(request)
                login(request, owner, backend=pending["backend"])
                otp_login(request, device)
                if device.persistent_id.startswith("otp_static"):
                    left = len(second_factor.unused_recovery_codes(owner))
                    messages.warning(
                        request,
                        ngettext(
                            "You used a recovery code: %(left)s left. "
                            "Make new ones on the second factor page.",
                            "You used a recovery code: %(left)s left. "
                            "Make new ones on the second factor page.",
                            left,
                        )
                        % {"left": left},
                    )
                return redirect(pending["next"])
            throttle.count_wrong_password(request, owner)
            form.add_error("code", WRONG_CODE)
    context = {"form": form, "has_passkeys": passkeys.has_passkeys(owner)}
    return render(request, "accounts/two_factor_sign_in.html", context)
