"""One demo user per role, plus a system administrator. Development only: their passwords are
printed by load_demo and are the same on every machine."""

from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from program.core.roles import Role, roles_sync

ADMIN_USERNAME = "admin"


def demo_password(username: str) -> str:
    return f"{username}-demo-2026"


def load(out: TextIO) -> None:
    roles_sync()
    user_model = get_user_model()
    rows: list[tuple[str, str]] = []
    for role in Role:
        user, created = user_model.objects.get_or_create(
            username=role.value,
            defaults={"first_name": "Demo", "last_name": str(role.label), "email": ""},
        )
        if created:
            user.set_password(demo_password(role.value))
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role.value))
        rows.append((role.value, str(role.label)))
    admin, created = user_model.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={
            "first_name": "Demo",
            "last_name": "Administrator",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(demo_password(ADMIN_USERNAME))
        admin.save(update_fields=["password"])
    # No second factor is made for the admin: it sets one up at its first sign-in (README).
    rows.append((ADMIN_USERNAME, "System administrator (sets up a second factor at sign-in)"))
    out.write("Demo log-ins (username / password, role):\n")
    for username, label in rows:
        out.write(f"  {username:<18} {demo_password(username):<28} {label}\n")
