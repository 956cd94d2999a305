"""`manage.py mailbox`: the e-mails the development backend wrote to var/mail/
(program/core/mail.py)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from program.core.mail import mailbox_dir, message_text, messages_in, read_message


class Command(BaseCommand):
    help = (
        "List the e-mails written by the development mail backend (newest last), or print one: "
        "`mailbox --show last` or `mailbox --show FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--show", metavar="FILE", help="`last`, or a file name from the list")
        parser.add_argument("--limit", type=int, default=20, help="how many to list (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = mailbox_dir()
        found = messages_in(folder)
        if options["show"]:
            self._show(found, options["show"])
            return
        if not found:
            self.stdout.write(f"No e-mail in {folder} yet.")
            return
        self.stdout.write(f"{len(found)} e-mails in {folder}; the last {options['limit']}:")
        for path in found[-options["limit"] :]:
            parsed = read_message(path)
            self.stdout.write(f"  {path.name}  to {parsed['To']}: {parsed['Subject']}")

    def _show(self, found: list[Any], wanted: str) -> None:
        if not found:
            raise CommandError(f"No e-mail in {mailbox_dir()} yet.")
        matches = found[-1:] if wanted == "last" else [p for p in found if p.name == wanted]
        if not matches:
            raise CommandError(f"No e-mail named {wanted!r}; `manage.py mailbox` lists them.")
        parsed = read_message(matches[0])
        for header in ("Date", "From", "To", "Subject"):
            self.stdout.write(f"{header}: {parsed[header]}")
        self.stdout.write("")
        self.stdout.write(message_text(parsed))
