"""
Staff sign-in: a password, then a code from an authenticator app (TOTP, django-otp); and a
password reset by mail that tells nobody which addresses have accounts.

The password step logs nobody in: it only remembers, in the session, whose password was right.
The login happens when the code is right, so no view of the site (the admin, CKEditor's
uploads, previews) ever sees a staff member who gave a password alone. A staff member without an
authenticator yet sets one up right there, on first sign-in after the password. STAFF_REQUIRE_2FA
turns the second step on (the default without DEBUG).
"""

import io
import time
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core import checks
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import task

import ratelimits

from .access import second_factor_required

PENDING_KEY = "staff_login.pending"
PENDING_SECONDS = 5 * 60  # Time between a right password and its code.
CODE_TRIES = 5  # Wrong codes before the password must be given again.
RESET_MAILS_EVERY = 5 * 60  # At most one reset mail per address in this many seconds.
LOGINS_PER_HOUR = 30  # Login attempts per client address, right or wrong.


# django-axes counts wrong passwords per account and address, so that nobody can lock an editor
# out; this caps how many accounts one address may try its guesses on.
@method_decorator(
    ratelimits.rate_limit("admin_login", limit=LOGINS_PER_HOUR, window=60 * 60), "post"
)
class PasswordStepView(LoginView):
    """The admin's login form; with a second factor required it only starts the code step."""

    def form_valid(self, form):
        user = form.get_user()
        if not second_factor_required(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "since": time.time(),
            "tries": 0,
            "next": self.get_success_url(),
        }
        return redirect("admin:login_code")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=10,
        help_text="The 6 digits your authenticator app shows for Back & Neck.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isascii() or not code.isdigit():
            raise forms.ValidationError("Enter the digits your authenticator app shows.")
        return code


def pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        return None, None
    user = get_user_model()._default_manager.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def device_to_set_up(request, user):
    """The authenticator being set up in this sign-in: one secret per attempt, never shown twice."""
    pending = request.session[PENDING_KEY]
    device = TOTPDevice.objects.filter(pk=pending.get("device"), user=user, confirmed=False).first()
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        request.session[PENDING_KEY] = {**pending, "device": device.pk}
    return device


def qr_code_svg(data):
    out = io.BytesIO()
    qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=15).save(out)
    # Without its XML declaration, to sit inside the page.
    return out.getvalue().decode().split("?>", 1)[-1]


@never_cache
@csrf_protect
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def login_code(request):
    """The second step: the code of the staff member's authenticator, set up here if need be."""
    user, pending = pending_user(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("admin:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = device_to_set_up(request, user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            del request.session[PENDING_KEY]
            user.otp_device = device  # django-otp records it in the session at login.
            auth_login(request, user, backend=pending["backend"])
            target = pending["next"]
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = reverse("admin:index")
            return redirect(target)
        tries = pending["tries"] + 1
        if tries >= CODE_TRIES:
            del request.session[PENDING_KEY]
            return redirect("admin:login")
        request.session[PENDING_KEY] = {**request.session[PENDING_KEY], "tries": tries}
        form.add_error(
            "code",
            "That code is not right (or came too soon after a wrong one). Wait for the app "
            "to show a new code and enter that.",
        )
    context = {
        **admin.site.each_context(request),
        "title": "Set up two-factor sign-in" if setting_up else "Two-factor sign-in",
        "form": form,
        "setting_up": setting_up,
        "username": user.get_username(),
    }
    if setting_up:
        context["qr_code"] = qr_code_svg(device.config_url)
        context["secret"] = b32encode(device.bin_key).decode()
    return render(request, "admin/login_code.html", context)


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form for staff accounts; the mail goes from the task worker."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)

    def save(self, **kwargs):
        # Looking the address up and sending happen outside the request, so the answer takes
        # the same time whether or not an account has this address.
        send_password_reset.enqueue(self.cleaned_data["email"])


@task()
def send_password_reset(email):
    """Mail a password reset link to the staff accounts with this address, if any."""
    form = StaffPasswordResetForm({"email": email})
    if not form.is_valid():
        return
    address = salted_hmac("password-reset", email.casefold()).hexdigest()
    if not cache.add(f"password-reset:{address}", 1, RESET_MAILS_EVERY):
        return  # One mail per address now and then, however often someone asks.
    PasswordResetForm.save(
        form,
        domain_override=settings.SITE_URL.split("://", 1)[1],
        use_https=settings.SITE_URL.startswith("https://"),
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.html",
    )


@method_decorator(ratelimits.rate_limit("password_reset", limit=10, window=60 * 60), "post")
class StaffPasswordResetView(PasswordResetView):
    form_class = StaffPasswordResetForm


@checks.register(checks.Tags.security, deploy=True)
def check_second_factor(app_configs, **kwargs):
    if settings.STAFF_REQUIRE_2FA:
        return []
    return [
        checks.Warning(
            "Staff sign in with a password alone (STAFF_REQUIRE_2FA is off).",
            hint="Unset STAFF_REQUIRE_2FA, or set it to 1, so that staff also need a code "
            "from an authenticator app.",
            id="stafflogin.W001",
        )
    ]
