"""Development e-mail: every message a file in a folder a developer can open.

`make run` uses this backend unless EMAIL_BACKEND says otherwise: each message is written, as
sent, to EMAIL_FILE_PATH (var/mail/ by default) as one `.eml` file, which any mail program opens
and `python manage.py mailbox` lists and prints decoded. Nothing leaves the machine, yet a
notification's delivery runs the whole way and is recorded "sent", as it would be in production.
Production sends through SMTP (settings: EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT).
"""

import logging
import os
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage as ParsedMessage
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

logger = logging.getLogger(__name__)

SUFFIX = ".eml"


def mailbox_dir() -> Path:
    return Path(settings.EMAIL_FILE_PATH)


class MailboxBackend(BaseEmailBackend):
    """Writes each message to `<EMAIL_FILE_PATH>/<UTC time>-<random>.eml`.

    The name sorts by time, so the newest message is the last file; the random part keeps two
    workers writing in the same second apart. The log line names the file only: the address and
    the subject may say who a message is for.
    """

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.folder = mailbox_dir()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            if not self.fail_silently:
                raise
            return 0
        for message in email_messages:
            if not message.recipients():
                continue
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
            path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}{SUFFIX}"
            try:
                # Written under a temporary name and renamed: a reader never sees half a message.
                partial = path.with_suffix(".part")
                partial.write_bytes(message.message().as_bytes())
                os.replace(partial, path)
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            logger.info("E-mail written to %s", path)
            sent += 1
        return sent


def messages_in(folder: Path) -> list[Path]:
    """The messages in `folder`, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix == SUFFIX)


def read_message(path: Path) -> ParsedMessage:
    parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(parsed, ParsedMessage)  # noqa: S101 - policy.default makes this class
    return parsed


def message_text(parsed: ParsedMessage) -> str:
    """The plain-text body, decoded (quoted-printable or base64 undone)."""
    body = parsed.get_body(preferencelist=("plain",))
    if body is None:
        return ""
    content = body.get_content()
    return content if isinstance(content, str) else ""
