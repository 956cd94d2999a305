"""What feeds the security event log (security_log.py), and what follows from a user change.

Signals, on purpose: the events happen inside Django's log-in code, inside django-axes, and in
the Django admin, which saves users and their groups directly. Listening to the signals is the
one way to catch every path (the admin, a service, `manage.py changepassword`, a shell) rather
than the paths someone remembered. connect() is called once from CoreConfig.ready().

Besides logging, two user changes end sessions wherever they are made:
- a new password ends the user's other sessions (the one that changed it stays signed in);
- deactivating a user ends all of theirs (Django would only ignore them, and they would come
  back to life if the user were reactivated).
"""

import logging
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.http import HttpRequest

from program.core import second_factor
from program.core.lockout import lockout_rule
from program.core.roles import SYSTEM_ADMIN
from program.core.security_log import current_request, security_event
from program.core.sessions import user_sessions_end

# The flags whose change is a change of powers, with the name the log gives each.
_FLAGS = {"is_superuser": SYSTEM_ADMIN, "is_staff": "staff", "is_active": "active"}
_BEFORE = "_security_flags_before"


def _logged_in(sender: Any, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> None:
    second_factor.signed_in(request, user)
    security_event(
        "login",
        request=request,
        username=user.get_username(),
        second_factor_required=second_factor.required_for(user)
        or bool(request.session.get(second_factor.OPTED_IN_KEY)),
    )


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    stage = credentials.get(second_factor.STAGE_KEY)
    typed = str(credentials.get("username") or "")
    # A name typed at the log-in page is logged only when it is a real account: people type
    # their password into the user name field, and a password must never reach the log.
    known = get_user_model()._default_manager.filter(username=typed).exists()
    event = {
        second_factor.STAGE_SECOND_FACTOR: "second_factor_failed",
        second_factor.STAGE_REAUTHENTICATION: "reauthentication_failed",
    }.get(str(stage), "login_failed")
    security_event(
        event,
        request=request,
        level=logging.WARNING,
        username=typed if known else None,
        known_user=known,
    )


def _logged_out(
    sender: Any, request: HttpRequest, user: AbstractBaseUser | None, **kwargs: Any
) -> None:
    if user is not None:
        security_event("logout", request=request, username=user.get_username())


def _locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    known = bool(username) and get_user_model()._default_manager.filter(username=username).exists()
    security_event(
        "lockout",
        request=request,
        level=logging.WARNING,
        username=username if known else None,
        known_user=known,
        locked_ip=ip_address,
        # Which count reached its limit: the name from this address, the address, or the name.
        rule=lockout_rule(request),
    )


def _flags_before(
    sender: Any, instance: AbstractBaseUser, raw: bool = False, **kwargs: Any
) -> None:
    """Remember the stored flags, to log what a save changes (one query, on user saves only)."""
    update_fields = kwargs.get("update_fields")
    if raw or instance.pk is None or (update_fields and not set(update_fields) & set(_FLAGS)):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values(*_FLAGS).first()
    setattr(instance, _BEFORE, stored)


def _user_saved(
    sender: Any, instance: AbstractBaseUser, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    username = instance.get_username()
    before = instance.__dict__.pop(_BEFORE, None)
    if created:
        security_event("user_created", username=username)
    elif before:
        for flag, name in _FLAGS.items():
            old, new = bool(before[flag]), bool(getattr(instance, flag))
            if old == new:
                continue
            if flag == "is_active":
                _activity_changed(instance, active=new)
            else:
                event = "role_granted" if new else "role_revoked"
                security_event(event, level=logging.WARNING, username=username, role=name)
    # set_password() keeps the new password in _password until the save: a real change, as
    # opposed to a hash upgrade at log-in, which clears it before saving.
    if not created and getattr(instance, "_password", None) is not None:
        request = current_request()
        keep = request.session.session_key if request is not None else None
        ended = user_sessions_end(user=instance, keep_session_key=keep)
        security_event("password_changed", username=username, other_sessions_ended=ended)


def _activity_changed(user: AbstractBaseUser, *, active: bool) -> None:
    if active:
        security_event("user_reactivated", level=logging.WARNING, username=user.get_username())
        return
    ended = user_sessions_end(user=user)
    security_event(
        "user_deactivated",
        level=logging.WARNING,
        username=user.get_username(),
        sessions_ended=ended,
    )


def _groups_changed(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    model: Any,
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    """A role is a group: log each membership added or removed, from either side."""
    user_model = get_user_model()
    if action == "pre_clear":
        # After the clear there is no telling who was in it; note it now.
        related = instance.groups.all() if not reverse else instance.user_set.all()
        instance._security_cleared = set(related.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if action == "post_clear":
        pk_set = instance.__dict__.pop("_security_cleared", set())
    if not pk_set:
        return
    event = "role_granted" if action == "post_add" else "role_revoked"
    if reverse:  # group.user_set.add(users)
        pairs = [(name, instance.name) for name in _usernames(user_model, pk_set)]
    else:  # user.groups.add(groups)
        names = Group.objects.filter(pk__in=pk_set).values_list("name", flat=True)
        pairs = [(instance.get_username(), name) for name in names]
    for username, role in pairs:
        security_event(event, level=logging.WARNING, username=username, role=role)


def _usernames(user_model: Any, pks: set[Any]) -> list[str]:
    field = user_model.USERNAME_FIELD
    return list(user_model._default_manager.filter(pk__in=pks).values_list(field, flat=True))


def connect() -> None:
    user_model = get_user_model()
    user_logged_in.connect(_logged_in, dispatch_uid="security.logged_in")
    user_login_failed.connect(_login_failed, dispatch_uid="security.login_failed")
    user_logged_out.connect(_logged_out, dispatch_uid="security.logged_out")
    user_locked_out.connect(_locked_out, dispatch_uid="security.locked_out")
    pre_save.connect(_flags_before, sender=user_model, dispatch_uid="security.flags_before")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="security.user_saved")
    m2m_changed.connect(
        _groups_changed, sender=user_model.groups.through, dispatch_uid="security.groups"
    )
