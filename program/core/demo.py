"""The demo programme, loaded by `manage.py load_demo`.

Each app that has demo data keeps it in its own `demo.py` and registers a loader here, so core
needs to import no app. Loaders run in `order`, all in one transaction, and must be idempotent:
they create what is missing and never overwrite what exists.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from django.db import transaction
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class DemoLoader:
    order: int
    name: str
    load: Callable[[TextIO], None]


_LOADERS: list[DemoLoader] = []


def register(*, order: int) -> Callable[[Callable[[TextIO], None]], Callable[[TextIO], None]]:
    def decorator(func: Callable[[TextIO], None]) -> Callable[[TextIO], None]:
        if not any(loader.load is func for loader in _LOADERS):
            _LOADERS.append(DemoLoader(order=order, name=func.__module__, load=func))
        return func

    return decorator


@transaction.atomic
def demo_load(*, out: TextIO) -> None:
    """Load every app's demo data in order, all or nothing."""
    autodiscover_modules("demo")
    for loader in sorted(_LOADERS, key=lambda item: item.order):
        loader.load(out)


# The users come first: the host staff's postings (60), the handovers' caseworker (56) and every
# later step that names a user need them. Until this was so, a fresh database's demo had no
# handovers and its host staff were posted nowhere, so every host page answered 404.
@register(order=1)
def _users(out: TextIO) -> None:
    from program.core import demo_users

    demo_users.load(out)


@register(order=1000)
def _logins(out: TextIO) -> None:
    from program.core import demo_users

    demo_users.print_logins(out)
