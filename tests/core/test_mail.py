"""Development e-mail: `make run` writes every message to var/mail/, where a developer reads it,
and the demo users have addresses, so a demo notification's e-mail is "sent", not "failed"."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management import call_command

from program.core.demo_users import load as demo_users_load
from program.devserver import mail_note
from program.notifications import services
from program.notifications.models import Notification

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mailbox(settings, tmp_path) -> Path:
    settings.EMAIL_BACKEND = "program.core.mail.MailboxBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    return tmp_path / "mail"


def test_each_message_is_one_file_a_mail_program_opens(mailbox) -> None:
    send_mail("Første", "Tranche 7 venter på din godkendelse.", None, ["a@demo.invalid"])
    send_mail("Second", "Body two", None, ["b@demo.invalid"])
    files = sorted(mailbox.glob("*.eml"))
    assert len(files) == 2
    first = files[0].read_text(encoding="utf-8")
    assert "To: a@demo.invalid" in first
    assert not list(mailbox.glob("*.part"))


def test_the_mailbox_command_lists_and_prints_the_newest_decoded(mailbox) -> None:
    send_mail("Godkendelse", "Tranche 7 venter på din godkendelse.", None, ["a@demo.invalid"])
    listing = io.StringIO()
    call_command("mailbox", stdout=listing)
    assert "1 e-mails" in listing.getvalue()
    assert "to a@demo.invalid: Godkendelse" in listing.getvalue()
    shown = io.StringIO()
    call_command("mailbox", "--show", "last", stdout=shown)
    assert "Subject: Godkendelse" in shown.getvalue()
    assert "Tranche 7 venter på din godkendelse." in shown.getvalue()


def test_the_mailbox_command_says_when_there_is_nothing(mailbox) -> None:
    out = io.StringIO()
    call_command("mailbox", stdout=out)
    assert "No e-mail in" in out.getvalue()


@pytest.mark.django_db
def test_a_demo_users_notification_is_sent_and_lands_in_the_mailbox(mailbox) -> None:
    demo_users_load(io.StringIO())
    approver = get_user_model().objects.get(username="finance_approver")
    notification = services.notify(
        recipient=approver,
        kind=Notification.Kind.TRANCHE_OVERDUE,
        text="Tranche #7 is overdue",
        subject_type="tranche",
        subject_id=7,
        link="/finance/tranches/7/",
    )
    assert services.notification_deliver(notification_id=notification.pk) == "sent"
    [message] = mailbox.glob("*.eml")
    text = message.read_text(encoding="utf-8")
    assert "To: finance_approver@demo.invalid" in text
    assert "/finance/tranches/7/" in text


@pytest.mark.django_db
def test_every_demo_user_has_an_address_also_when_made_by_an_earlier_demo() -> None:
    user_model = get_user_model()
    user_model.objects.create_user("caseworker", email="")  # as the demo made it before
    demo_users_load(io.StringIO())
    addresses = dict(user_model.objects.values_list("username", "email"))
    assert addresses["caseworker"] == "caseworker@demo.invalid"
    assert all(address.endswith("@demo.invalid") for address in addresses.values())


def test_make_run_says_where_to_read_the_mail(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    monkeypatch.delenv("EMAIL_FILE_PATH", raising=False)
    assert f"{tmp_path / 'mail'}/" in mail_note(tmp_path)
    assert "manage.py mailbox" in mail_note(tmp_path)
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    assert "smtp" in mail_note(tmp_path)


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ("development", "program.core.mail.MailboxBackend"),
        ("production", "django.core.mail.backends.smtp.EmailBackend"),
    ],
)
def test_development_writes_files_and_production_sends_by_smtp(env, backend) -> None:
    production = {
        "SECRET_KEY": "k" * 64,
        "ALLOWED_HOSTS": "cells.example.org",
        "DATABASE_URL": "postgresql://app:pw@127.0.0.1:5432/program",
    }
    clean = {k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND", "DEBUG"}}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.EMAIL_BACKEND)",
        ],
        cwd=ROOT,
        env={
            **clean,
            **(production if env == "production" else {}),
            "DJANGO_ENV": env,
            "DJANGO_SETTINGS_MODULE": "program.settings",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1:] == [backend], result.stderr
