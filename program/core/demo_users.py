"""One demo user per role, plus a system administrator. Development only: their passwords are
printed by load_demo and are the same on every machine."""

from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from program.core.roles import Role, roles_sync

ADMIN_USERNAME = "admin"
# `.invalid` is reserved (RFC 2606): no real mailbox has it, so a demo set up against a real mail
# server by mistake cannot reach anyone. In development the messages land in var/mail/.
DEMO_MAIL_DOMAIN = "demo.invalid"


def demo_password(username: str) -> str:
    return f"{username}-demo-2026"


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_MAIL_DOMAIN}"


def _give_address(user: Any) -> None:
    # Users made by an earlier demo had none, and every notification e-mail to them failed.
    if not user.email:
        user.email = demo_email(user.get_username())
        user.save(update_fields=["email"])


def load(out: TextIO) -> None:
    """Make the users (first of all the demo's steps: other apps post them, name them as
    preparers and address their notifications)."""
    roles_sync()
    user_model = get_user_model()
    for role in Role:
        user, created = user_model.objects.get_or_create(
            username=role.value,
            defaults={"first_name": "Demo", "last_name": str(role.label)},
        )
        _give_address(user)
        if created:
            user.set_password(demo_password(role.value))
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role.value))
    admin, created = user_model.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={
            "first_name": "Demo",
            "last_name": "Administrator",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    _give_address(admin)
    if created:
        admin.set_password(demo_password(ADMIN_USERNAME))
        admin.save(update_fields=["password"])
    # No second factor is made for the admin: it sets one up at its first sign-in (README).
    out.write(f"Demo users: {len(Role) + 1}\n")


def print_logins(out: TextIO) -> None:
    """The log-ins, printed last so that they are what a developer sees after the load."""
    rows = [(role.value, str(role.label)) for role in Role]
    rows.append((ADMIN_USERNAME, "System administrator (sets up a second factor at sign-in)"))
    out.write("Demo log-ins (username / password, role):\n")
    for username, label in rows:
        out.write(f"  {username:<18} {demo_password(username):<28} {label}\n")
