"""Django's makemessages with this repository's defaults, so that `manage.py makemessages -l da`
alone gives the catalogue that is committed (docs/i18n.md says how the catalogue is kept).

- It skips what is not the program's own text: the virtualenv, local data, vendored front-end
  code, tests, the benchmark and anything npm left behind.
- It writes file names without line numbers, so that a change elsewhere in a file does not
  rewrite the catalogue.
- It drops strings that are gone from the code instead of keeping them as obsolete entries.
"""

from typing import Any

from django.core.management.commands import makemessages

# Directory names (or paths from the repository root) whose files hold no string of ours.
IGNORE_PATTERNS = (
    ".venv",
    "var",
    "static/vendor",
    "staticfiles",
    "tests",
    "bench",
    "node_modules",
)


class Command(makemessages.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORE_PATTERNS]
        options["add_location"] = options.get("add_location") or "file"
        options["no_obsolete"] = True
        super().handle(*args, **options)
