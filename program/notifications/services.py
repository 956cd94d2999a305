"""Notifications: create them once per fact, send each e-mail once, mark them read.

Any app tells its users something through `notify` (one) or `notify_many` (a job's batch); the
e-mail is sent after commit by the worker (tasks.notification_send), and a rerun of the same
fact neither adds a row nor sends a second e-mail.

A notification is read by its recipient only, so its text is written in the recipient's
language: the caller makes it under `translation.override(...)` with the language from
program.core.selectors (user_languages for a batch, preferred_language for one user).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from program.core.errors import ApplicationError, NotFoundError
from program.core.selectors import preferred_language, user_languages
from program.notifications.models import Notification

# The worker task that sends one notification's e-mail (program/notifications/tasks.py).
SEND_TASK = "notifications.notification_send"

TEXT_LENGTH = 300


def _queue_delivery(ids: list[int]) -> None:
    # Through the outbox (program/outbox): the e-mail is queued in the transaction that made the
    # notification and sent once the broker takes it, even if Redis is down at commit time.
    from program.outbox.services import enqueue_many

    enqueue_many(SEND_TASK, [((pk,), f"notification:{pk}") for pk in ids])


def _check(kind: str, link: str) -> None:
    if kind not in Notification.Kind.values:
        raise ApplicationError(_("Unknown kind of notification."), details={"kind": [kind]})
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ApplicationError(
            _("The link must be a path on this site, starting with one /."),
            details={"link": [link]},
        )


def notify_many(rows: Sequence[Notification]) -> None:
    """Insert notifications, skipping facts already notified; queue their e-mails on commit.

    Two queries for keyed rows: the insert, and which of these facts still wait for their
    e-mail. The pending ones are queued again too: delivery is idempotent, so a message whose
    first queueing was lost is sent by the rerun, and a sent one is never sent twice.
    """
    for row in rows:
        _check(row.kind, row.link)
        row.text = row.text.strip()[:TEXT_LENGTH]
    keyed = [row for row in rows if row.dedupe_key]
    unkeyed = [row for row in rows if not row.dedupe_key]
    pending = [row.pk for row in Notification.objects.bulk_create(unkeyed)] if unkeyed else []
    if keyed:
        # The unique constraint holds each fact once, also against a second run at the same time.
        Notification.objects.bulk_create(keyed, ignore_conflicts=True)
        # A superset of these facts at most (each column matched on its own): any pending row
        # in it may be queued, since delivery is idempotent.
        pending += Notification.objects.filter(
            recipient_id__in={row.recipient_id for row in keyed},
            subject_type__in={row.subject_type for row in keyed},
            subject_id__in={row.subject_id for row in keyed},
            dedupe_key__in={row.dedupe_key for row in keyed},
            email_state=Notification.EmailState.PENDING,
        ).values_list("pk", flat=True)
    _queue_delivery(sorted(pending))


def notify_users(
    *,
    user_ids: Sequence[int],
    kind: str,
    text: Callable[[], str],
    subject_type: str,
    subject_id: int | str,
    link: str = "",
    dedupe_key: str = "",
) -> None:
    """Tell several users the same fact, each in the language they read: `text` is called once
    per language under that language. Joins the caller's transaction (two queries and the
    insert); the e-mails go after commit."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    languages = user_languages(user_ids=ids)
    texts: dict[str, str] = {}
    for language in set(languages.values()):
        with translation.override(language):
            texts[language] = str(text())
    notify_many(
        [
            Notification(
                recipient_id=pk,
                kind=kind,
                text=texts[languages[pk]],
                subject_type=subject_type,
                subject_id=str(subject_id),
                link=link,
                dedupe_key=dedupe_key,
            )
            for pk in ids
        ]
    )


@transaction.atomic
def notify(
    *,
    recipient: User,
    kind: str,
    text: str,
    subject_type: str,
    subject_id: int | str,
    link: str = "",
    dedupe_key: str = "",
) -> Notification:
    """Tell a user something, in the app and by e-mail (sent after commit by the worker).

    With a dedupe key, the same fact about the same subject for the same user is one row.
    """
    _check(kind, link)
    fields = {
        "recipient": recipient,
        "subject_type": subject_type,
        "subject_id": str(subject_id),
    }
    text = text.strip()[:TEXT_LENGTH]
    if dedupe_key:
        notification, _created = Notification.objects.get_or_create(
            **fields, dedupe_key=dedupe_key, defaults={"kind": kind, "text": text, "link": link}
        )
    else:
        notification = Notification.objects.create(**fields, kind=kind, text=text, link=link)
    if notification.email_state == Notification.EmailState.PENDING:
        _queue_delivery([notification.pk])
    return notification


@transaction.atomic
def notification_deliver(*, notification_id: int) -> str:
    """Send a pending notification's e-mail once and record the outcome; return the state.

    The row lock makes two deliveries of one message take turns: the second finds it sent.
    """
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("recipient", "recipient__preferences")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.email_state != Notification.EmailState.PENDING:
        return notification.email_state if notification else "gone"
    address = notification.recipient.email
    if not address:
        notification.email_state = Notification.EmailState.FAILED
        notification.email_error = _("The recipient has no e-mail address.")
        notification.save(update_fields=["email_state", "email_error"])
        return notification.email_state
    link = f"{getattr(settings, 'SITE_URL', '')}{notification.link}" if notification.link else ""
    # The text was written in the recipient's language when the notification was made; the
    # subject's kind is put in the same language here.
    with translation.override(preferred_language(notification.recipient)):
        subject = (
            _("%(kind)s: %(text)s")
            % {"kind": notification.get_kind_display(), "text": notification.text}
        )[:150]
    try:
        send_mail(
            subject=subject,
            message=f"{notification.text}\n\n{link}\n" if link else f"{notification.text}\n",
            from_email=None,
            recipient_list=[address],
        )
    except Exception as error:  # any delivery failure is recorded, not raised
        notification.email_state = Notification.EmailState.FAILED
        notification.email_error = f"{type(error).__name__}: {error}"[:200]
        notification.save(update_fields=["email_state", "email_error"])
        return notification.email_state
    notification.email_state = Notification.EmailState.SENT
    notification.sent_at = timezone.now()
    notification.save(update_fields=["email_state", "sent_at"])
    return notification.email_state


def notification_mark_read(*, notification_id: int, actor: User) -> Notification:
    """Mark one's own notification read (again: no change). Someone else's is "not found"."""
    Notification.objects.filter(pk=notification_id, recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    notification = Notification.objects.filter(pk=notification_id, recipient=actor).first()
    if notification is None:
        raise NotFoundError(_("No such notification of yours."))
    return notification
