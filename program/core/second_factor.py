"""The second factor (TOTP codes from an authenticator app, django-otp): who must give it, and
enrolling, verifying, removing and resetting it.

Who must: everyone when settings.OTP_REQUIRED_FOR is "everyone" (the production default), the
system administrators (superusers and staff) always, and anyone who has set one up of their own
accord. A signed-in session of such a user counts as verified once a code was accepted in it
(django-otp keeps the device id in the session); until then SecondFactorMiddleware holds it at
the verify or enrolment page.

Wrong codes count towards the same django-axes lock-out as wrong passwords (they are reported as
failed log-ins for the user name), and the lock-out's counter is cleared only when the whole
sign-in succeeds: after the second factor, not after the password alone. Otherwise someone who
knows the password could sign in again and again to reset the count and keep guessing codes.
"""

import base64
import enum
import logging
from typing import Any
from urllib.parse import quote

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from program.core.passwords import client_ip
from program.core.policy import is_api
from program.core.security_log import security_event
from program.core.sessions import user_sessions_end
from program.core.view_middleware import ViewMiddleware

EVERYONE = "everyone"
ADMINISTRATORS = "administrators"
REQUIRED_FOR_CHOICES = (EVERYONE, ADMINISTRATORS)

# Set at sign-in for a user who has a confirmed device although the setting does not require
# one: having set it up, they must use it. Kept in the session to spare a query on every page.
OPTED_IN_KEY = "_second_factor_opted_in"
# Wrong codes are reported to axes as failed log-ins with this stage, so that the security log
# can tell them from wrong passwords.
STAGE_KEY = "stage"
STAGE_SECOND_FACTOR = "second_factor"
STAGE_REAUTHENTICATION = "reauthentication"

# Pages an unverified session may still open: signing in and out, and the second factor's own.
UNVERIFIED_ROUTES = frozenset(
    {
        "login",
        "logout",
        "healthz",
        "language",  # the verify page is read in a language too; nothing is saved until verified
        "account:second-factor-verify",
        "account:second-factor-enrol",
    }
)

logger = logging.getLogger(__name__)


class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    WAIT = "wait"  # django-otp's back-off after a wrong code: the code was not checked
    LOCKED = "locked"  # the axes lock-out for this user name or address
    NO_DEVICE = "no_device"


def required_for(user: AbstractBaseUser) -> bool:
    """Whether the settings require a second factor of this user (administrators always)."""
    if settings.OTP_REQUIRED_FOR == EVERYONE:
        return True
    return bool(getattr(user, "is_superuser", False) or getattr(user, "is_staff", False))


def session_needs_verification(request: HttpRequest) -> bool:
    """A signed-in session that must give a code and has not given one yet."""
    user = request.user
    if not user.is_authenticated:
        return False
    if getattr(user, "otp_device", None) is not None:
        return False
    return required_for(user) or bool(request.session.get(OPTED_IN_KEY))


def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    device: TOTPDevice | None = (
        TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    )
    return device


def pending_device(user: AbstractBaseUser) -> TOTPDevice:
    """The device being set up: kept between page loads so that the QR code does not change."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    encoded = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no script, no style, no other host)."""
    code = segno.make(device.config_url, error="m", micro=False)
    svg: str = code.svg_inline(scale=4, svgclass="app-qr", lineclass=None, title=_("QR code"))
    return svg


def _credentials(user: AbstractBaseUser, stage: str) -> dict[str, str]:
    return {"username": user.get_username(), STAGE_KEY: stage}


def _count_failure(request: HttpRequest, user: AbstractBaseUser, stage: str) -> None:
    """Report a wrong code or password to axes (and so to the security log) as a failed log-in."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user, stage), request=request)


def is_locked(request: HttpRequest, user: AbstractBaseUser) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"username": user.get_username()}))


def failures_clear(request: HttpRequest, user: AbstractBaseUser) -> None:
    """Clear the lock-out counter of a completed sign-in (what AXES_RESET_ON_SUCCESS would do):
    of this user name from this address only. The failures others made with the name elsewhere,
    or with other names from here, still count towards their own, larger limits."""
    AxesProxyHandler.reset_attempts(
        ip_address=client_ip(request), username=user.get_username(), ip_or_username=False
    )


def signed_in(request: HttpRequest, user: AbstractBaseUser) -> None:
    """After the password: note an opted-in device, and finish the sign-in if no code is needed."""
    if required_for(user):
        return
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        request.session[OPTED_IN_KEY] = True
        return
    failures_clear(request, user)


def code_verify(request: HttpRequest, code: str) -> tuple[Outcome, dict[str, Any]]:
    """Check a code from the user's confirmed device and, when right, verify this session.

    Refused without looking when the user name or address is locked out or django-otp's
    back-off has not passed; a wrong code counts towards the lock-out.
    """
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # noqa: S101 - the route is for signed-in users
    if is_locked(request, user):
        return Outcome.LOCKED, {}
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()  # one check at a time: a code works once
            .filter(user=user, confirmed=True)
            .order_by("-pk")
            .first()
        )
        if device is None:
            return Outcome.NO_DEVICE, {}
        allowed, why = device.verify_is_allowed()
        if not allowed:
            return Outcome.WAIT, {"until": (why or {}).get("locked_until")}
        accepted = device.verify_token(code)
    if accepted:
        otp_login(request, device)
        failures_clear(request, user)
        security_event("second_factor_verified", request=request, username=user.get_username())
        return Outcome.ACCEPTED, {}
    _count_failure(request, user, STAGE_SECOND_FACTOR)
    if getattr(request, "axes_locked_out", False):
        return Outcome.LOCKED, {}
    return Outcome.WRONG, {}


def enrolment_confirm(request: HttpRequest, device: TOTPDevice, code: str) -> Outcome:
    """Confirm the device being set up with a code from it; the session is then verified."""
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # noqa: S101 - the route is for signed-in users
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            return Outcome.WAIT
        if not device.verify_token(code):
            security_event(
                "second_factor_enrolment_failed",
                request=request,
                level=logging.WARNING,
                username=user.get_username(),
            )
            return Outcome.WRONG
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    request.session[OPTED_IN_KEY] = True
    security_event("second_factor_enrolled", request=request, username=user.get_username())
    return Outcome.ACCEPTED


def password_confirm(request: HttpRequest, password: str) -> bool:
    """The user's own password, asked again before a second factor is removed; wrong counts."""
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # noqa: S101 - the route is for signed-in users
    if user.check_password(password):
        return True
    _count_failure(request, user, STAGE_REAUTHENTICATION)
    return False


@transaction.atomic
def second_factor_remove(*, request: HttpRequest) -> int:
    """Remove the signed-in user's devices; a user who must have one is then asked to enrol."""
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # noqa: S101 - the route is for signed-in users
    removed: int
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    request.session.pop(OPTED_IN_KEY, None)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    security_event("second_factor_removed", request=request, username=user.get_username())
    return removed


@transaction.atomic
def second_factor_reset(*, user: AbstractBaseUser, request: HttpRequest | None = None) -> int:
    """A system administrator's reset (a lost phone): the devices go and so do the user's
    sessions, so the next sign-in enrols a new device."""
    removed: int
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    ended = user_sessions_end(user=user)
    security_event(
        "second_factor_reset",
        request=request,
        level=logging.WARNING,
        username=user.get_username(),
        sessions_ended=ended,
    )
    return removed


def _refusal(request: HttpRequest) -> JsonResponse:
    has_device = confirmed_device(request.user) is not None  # type: ignore[arg-type]
    where = reverse("account:second-factor-verify" if has_device else "account:second-factor-enrol")
    message = _(
        "This account must confirm a second factor before using the API: open %(page)s in the "
        "browser session you use for the API and enter the code from your authenticator app."
    ) % {"page": where}
    security_event(
        "access_refused",
        request=request,
        level=logging.WARNING,
        reason="second_factor_missing",
    )
    return JsonResponse(
        {"error": {"code": "second_factor_required", "message": message, "details": {}}},
        status=403,
    )


class SecondFactorMiddleware(ViewMiddleware):
    """Hold a session that owes a code at the verify page (or enrolment, when there is no device
    yet); the API answers 403 with what to do. Token-authenticated API calls carry no session
    and are left to the token: each is made by its user on the tokens page, which a session
    reaches only after its second factor (program/tokens).
    """

    def check(self, request: HttpRequest, view_name: str) -> HttpResponse | None:
        if view_name in UNVERIFIED_ROUTES or not session_needs_verification(request):
            return None
        if is_api(view_name):
            return _refusal(request)
        has_device = confirmed_device(request.user) is not None  # type: ignore[arg-type]
        target = reverse(
            "account:second-factor-verify" if has_device else "account:second-factor-enrol"
        )
        if request.method in {"GET", "HEAD"}:
            target += "?next=" + quote(request.get_full_path())
        return redirect(target)
