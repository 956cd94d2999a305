"""The signed-in user of a page request in one query: roles, second-factor device, unread count.

Every signed-in page needs the same things before it fetches a row of its own: the session, the
user, the user's roles (the route policy and the navigation), the second-factor device the
session was verified with (django-otp) and the header's unread-notification count. Loaded the
stock way that is five queries on every request. Here it is two:

1. the session (Django's database session store);
2. the user, with the names of its groups, the number of its unread notifications and, when the
   session names a TOTP device, that device's columns, all as subqueries of the one SELECT.

`RequestUserBackend` is Django's ModelBackend (same password check, same `is_active` rule) with
that richer `get_user`; `RequestUserOTPMiddleware` is django-otp's middleware telling it which
device the session names before the user is loaded, and taking the device it brought. The
results are kept on the user object for the request: `program.core.roles.user_roles` reads the
roles, the header's context processor the count (`unread_notifications_loaded`).

The count is the one the request started with: a view that marks notifications read answers
with a redirect, so the next page shows the new count.

Sessions signed in before this backend existed name Django's ModelBackend; they are moved to
this one (a subclass: the same user, the same checks) the first time they are read, so nobody is
signed out by the change.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db import router
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from program.notifications.models import Notification

BACKEND_PATH = "program.core.request_user.RequestUserBackend"
LEGACY_BACKEND_PATH = "django.contrib.auth.backends.ModelBackend"

# The TOTP device the current request's session names, while its user is being loaded.
_wanted_device: ContextVar[int | None] = ContextVar("wanted_otp_device", default=None)
_NOT_LOADED = object()
_DEVICE_PREFIX = f"{TOTPDevice._meta.app_label}.{TOTPDevice._meta.model_name}/"
_DEVICE_FIELDS = [field.attname for field in TOTPDevice._meta.concrete_fields]


def _totp_device_pk(persistent_id: Any) -> int | None:
    """The primary key in a TOTP device's persistent id ("otp_totp.totpdevice/12"), or None
    for anything else (another kind of device is then loaded the stock way)."""
    if not isinstance(persistent_id, str) or not persistent_id.startswith(_DEVICE_PREFIX):
        return None
    tail = persistent_id[len(_DEVICE_PREFIX) :]
    return int(tail) if tail.isdigit() else None


def unread_subquery() -> Coalesce:
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


class RequestUserBackend(ModelBackend):
    """ModelBackend whose get_user brings the roles, the unread count and the device along."""

    def get_user(self, user_id: Any) -> Any:
        from program.core.roles import roles_from_names

        model = get_user_model()
        queryset = model._default_manager.annotate(
            _group_names=ArraySubquery(
                Group.objects.filter(user=OuterRef("pk")).order_by().values("name")
            ),
            _unread=unread_subquery(),
        )
        device_pk = _wanted_device.get()
        if device_pk is not None:
            device = TOTPDevice.objects.filter(pk=device_pk, user=OuterRef("pk"))
            queryset = queryset.annotate(
                **{f"_otp_{name}": Subquery(device.values(name)[:1]) for name in _DEVICE_FIELDS}
            )
        try:
            user = queryset.get(pk=user_id)
        except (model.DoesNotExist, ValueError, TypeError):
            return None
        if not self.user_can_authenticate(user):
            return None
        values = user.__dict__
        user._role_cache = roles_from_names(  # type: ignore[attr-defined]
            values.pop("_group_names") or [], is_superuser=getattr(user, "is_superuser", False)
        )
        user._unread_notifications = values.pop("_unread")  # type: ignore[attr-defined]
        if device_pk is not None:
            row = [values.pop(f"_otp_{name}") for name in _DEVICE_FIELDS]
            user._loaded_otp_device = (  # type: ignore[attr-defined]
                None
                if row[_DEVICE_FIELDS.index("id")] is None
                else TOTPDevice.from_db(router.db_for_read(TOTPDevice), _DEVICE_FIELDS, row)
            )
        return user


def unread_notifications_loaded(user: Any) -> int | None:
    """The unread count loaded with the user for this request, or None when it was not."""
    value = getattr(user, "_unread_notifications", None)
    return None if value is None else int(value)


class RequestUserOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, loading the session's TOTP device with the user (one query)."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        session = request.session
        if session.get(BACKEND_SESSION_KEY) == LEGACY_BACKEND_PATH:
            session[BACKEND_SESSION_KEY] = BACKEND_PATH
        persistent_id = session.get(DEVICE_ID_SESSION_KEY)
        token = _wanted_device.set(_totp_device_pk(persistent_id) if persistent_id else None)
        try:
            authenticated = user.is_authenticated  # loads the user while the device is wanted
        finally:
            _wanted_device.reset(token)
        self._init_user_fields(user)
        if authenticated:
            device: Any = None
            if persistent_id:
                device = getattr(user, "_loaded_otp_device", _NOT_LOADED)
                if device is _NOT_LOADED:
                    device = self._device_from_persistent_id(persistent_id)
            user.otp_device = self._finalize_device(request, user, device)
        return user
