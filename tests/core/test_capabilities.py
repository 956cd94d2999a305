"""The capability registry (program.core.capabilities), and the rule that no application code
outside it names a role: every "who may" question is asked of a capability."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template

from program.core import capabilities
from program.core.capabilities import can, holds, registry, require, roles_with, users_with
from program.core.errors import PermissionRefusedError
from program.core.policy import ROUTES
from program.core.roles import SYSTEM_ADMIN, Role

ROOT = Path(__file__).resolve().parents[2]
APPS = ("program", "transfers", "finance")
ROLE_VALUES = frozenset({*Role.values, SYSTEM_ADMIN})

# Where naming a role is the point: the role definitions, the capability registries, the demo
# data (which makes users of each role) and the migrations (which created the groups).
EXEMPT_NAMES = frozenset({"capabilities.py", "demo.py", "demo_users.py"})
EXEMPT_PATHS = frozenset({"program/core/roles.py"})

# Literals equal to a role's value that are not a role. Each says why.
ALLOWED_LITERALS: dict[tuple[str, str], str] = {
    # The transfer case's own field `caseworker` (the person who owns the case), its letters'
    # placeholder of that name and the case's field tags and serializer fields: not the role.
    ("transfers/models.py", "caseworker"): "TransferCase.caseworker field",
    ("transfers/selectors.py", "caseworker"): "select_related of the caseworker field",
    ("transfers/field_tags.py", "caseworker"): "field tag of the caseworker field",
    ("transfers/api/serializers.py", "caseworker"): "serializer field of the caseworker field",
    ("transfers/letters/data.py", "caseworker"): "letter placeholder: the case's caseworker",
    ("transfers/letters/render.py", "caseworker"): "letter placeholder: the case's caseworker",
    # Who asked for a visit (Visit.requested_by_kind): the person's caseworker, a choice value.
    ("program/visits/models.py", "caseworker"): "Visit requester kind, a choice value",
}
# Names of role constants that are allowed where they are used. Each says why.
ALLOWED_NAMES: dict[tuple[str, str], str] = {
    # The security log names a change of the superuser flag as the system administrator role
    # being granted or taken: it describes a role change, it does not decide who may do what.
    ("program/core/security_events.py", "SYSTEM_ADMIN"): "describes a role change in the log",
}


def _modules(root: Path) -> list[Path]:
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            if path.name in EXEMPT_NAMES or relative in EXEMPT_PATHS:
                continue
            found.append(path)
    return found


def role_names_in(root: Path) -> list[str]:
    """Every place under `root` that names a role: `Role.X`, a role constant, or a string
    literal equal to a role's value (not allowed above)."""
    problems = []
    for path in _modules(root):
        relative = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        for node in ast.walk(tree):
            where = f"{relative}:{getattr(node, 'lineno', '?')}"
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "Role"
            ):
                problems.append(f"{where}: Role.{node.attr}")
            elif isinstance(node, ast.Name) and node.id == "SYSTEM_ADMIN":
                if (relative, node.id) not in ALLOWED_NAMES:
                    problems.append(f"{where}: SYSTEM_ADMIN")
            elif isinstance(node, ast.ImportFrom) and node.module == "program.core.roles":
                for alias in node.names:
                    if alias.name in {"Role", "SYSTEM_ADMIN"} and (
                        (relative, alias.name) not in ALLOWED_NAMES
                    ):
                        problems.append(f"{where}: imports {alias.name}")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value in ROLE_VALUES
                and (relative, node.value) not in ALLOWED_LITERALS
            ):
                problems.append(f"{where}: {node.value!r}")
    return problems


def test_no_application_code_names_a_role() -> None:
    problems = role_names_in(ROOT)
    assert not problems, "ask a capability (program.core.capabilities) instead:\n" + "\n".join(
        problems
    )


def test_the_scan_finds_a_role_named_in_code(tmp_path: Path) -> None:
    """The scan is not blind: each way of naming a role is found."""
    module = tmp_path / "program" / "sample" / "views.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from program.core.roles import Role\n"
        "a = Role.CASEWORKER\n"
        "b = 'finance_approver' in roles\n"
        "c = 'system_admin'\n",
        encoding="utf-8",
    )
    found = role_names_in(tmp_path)
    assert len(found) == 4, found


def test_every_allowance_is_still_needed() -> None:
    """An allowance whose literal is gone would hide a later one: remove it instead."""
    for (relative, value), _why in {**ALLOWED_LITERALS, **ALLOWED_NAMES}.items():
        assert value in (ROOT / relative).read_text(encoding="utf-8"), (relative, value)


def test_every_capability_is_held_by_known_roles_only() -> None:
    for name, roles in registry().items():
        assert roles, f"{name} is held by nobody"
        assert roles <= ROLE_VALUES, name


def test_every_route_names_known_capabilities() -> None:
    known = registry().keys()
    for name, access in ROUTES.items():
        for capability in (access.read, access.write):
            assert not capability or capability in known, (name, capability)


def test_roles_with_and_holds() -> None:
    assert roles_with("tranche.approve") == {Role.FINANCE_APPROVER}
    assert holds({Role.FINANCE_APPROVER}, "tranche.approve")
    assert not holds({Role.FINANCE_OFFICER}, "tranche.approve")
    assert holds({Role.CASEWORKER, Role.AUDITOR}, "case.move")
    with pytest.raises(ImproperlyConfigured):
        roles_with("tranche.approve.typo")


def test_an_app_cannot_declare_a_capability_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(capabilities.CAPABILITIES, "tranche.approve", frozenset({Role.AUDITOR}))
    with pytest.raises(ImproperlyConfigured):
        capabilities._load()


@pytest.mark.django_db
def test_can_require_and_users_with(make_user) -> None:
    approver = make_user("ann", Role.FINANCE_APPROVER)
    officer = make_user("otto", Role.FINANCE_OFFICER)
    gone = make_user("gone", Role.FINANCE_APPROVER)
    gone.is_active = False
    gone.save()
    admin = make_user("root", superuser=True)
    assert can(approver, "tranche.approve")
    assert not can(officer, "tranche.approve")
    assert not can(None, "tranche.approve")
    require(approver, "tranche.approve")
    with pytest.raises(PermissionRefusedError) as refused:
        require(officer, "tranche.approve", "approve a tranche")
    assert refused.value.http_status == 403
    assert refused.value.details == {"roles": [Role.FINANCE_APPROVER]}
    assert set(users_with("tranche.approve")) == {approver}
    assert admin in set(users_with("system.status.read"))
    assert admin not in set(users_with("tranche.approve"))


@pytest.mark.django_db
def test_the_template_filter(make_user) -> None:
    approver = make_user("ann", Role.FINANCE_APPROVER)
    officer = make_user("otto", Role.FINANCE_OFFICER)
    page = Template('{% load capabilities %}{% if user|can:"tranche.approve" %}yes{% endif %}')
    assert page.render(Context({"user": approver})) == "yes"
    assert page.render(Context({"user": officer})) == ""
