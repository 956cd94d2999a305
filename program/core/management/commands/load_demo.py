from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from program.core.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo programmes and one user per role (idempotent; never in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "The demo programme and its known passwords are refused in production."
            )
        demo_load(out=self.stdout)  # type: ignore[arg-type]  # OutputWrapper is a TextIO in all but name
