"""The bulk-read alert: one user reading many people's records within an hour tells the auditors.

Every read of a person is in the access log (a record viewed names one person, a list names
everyone on its page), so the count is taken there, after each list is logged: the distinct
people this user has read in the last hour. Past AUDIT_BULK_READ_ALERT_PEOPLE the auditors get
an in-app notification (and its e-mail) and the security log gets a `bulk_read_alert` event,
once per reader and clock hour (UTC): a scraper paging through the register raises one alert,
not one per page.
"""

import json
import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from program.audit.models import AccessLogEntry
from program.core.capabilities import users_with
from program.core.security_log import security_event
from program.notifications.models import Notification
from program.notifications.services import notify_many

WINDOW = timedelta(hours=1)
READER_SUBJECT = "user"

# One pass over the reader's rows of the hour (the index on actor_username, at): the people each
# list named and the one each record view named, counted once each.
_DISTINCT_PEOPLE = """
SELECT count(DISTINCT person)
  FROM audit_accesslogentry,
       unnest(array_append(subject_ids, subject_id)) AS person
 WHERE actor_username = %s AND at >= %s AND subject_type = %s AND person <> ''
"""


# The list's row, written, and the distinct people its reader has read in the hour, counted, in
# one statement: the row a CTE inserts is not yet visible to the same statement's scan of the
# table, so its people are added to the count from the parameter.
_INSERT_AND_COUNT = """
WITH entry AS (
    INSERT INTO audit_accesslogentry (
        at, actor_id, actor_username, action, subject_type, subject_id, subject_ids, purpose,
        request_id, route, criterion)
    VALUES (%(at)s, %(actor)s, %(username)s, %(action)s, %(type)s, '', %(ids)s::varchar[],
            %(purpose)s, %(request_id)s, %(route)s, %(criterion)s::jsonb)
    RETURNING id
)
SELECT (SELECT id FROM entry),
       (SELECT count(DISTINCT person) FROM (
            SELECT person
              FROM audit_accesslogentry,
                   unnest(array_append(subject_ids, subject_id)) AS person
             WHERE actor_username = %(username)s AND at >= %(since)s
               AND subject_type = %(type)s AND person <> ''
            UNION ALL
            SELECT unnest(%(ids)s::varchar[])
        ) AS people)
"""


def watching() -> bool:
    return int(settings.AUDIT_BULK_READ_ALERT_PEOPLE) > 0


def people_read(*, username: str, subject_type: str, since: datetime) -> int:
    """How many distinct subjects of this type the user has read since then."""
    with connection.cursor() as cursor:
        cursor.execute(_DISTINCT_PEOPLE, [username, since, subject_type])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def insert_and_count(entry: AccessLogEntry) -> int:
    """Write the list's row (setting its id) and return its reader's distinct people of the
    hour, the row's own included: one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_AND_COUNT,
            {
                "at": entry.at,
                "actor": entry.actor_id,
                "username": entry.actor_username,
                "action": entry.action,
                "type": entry.subject_type,
                "ids": list(entry.subject_ids),
                "purpose": entry.purpose,
                "request_id": entry.request_id,
                "route": entry.route,
                "criterion": json.dumps(entry.criterion, cls=DjangoJSONEncoder),
                "since": entry.at - WINDOW,
            },
        )
        row = cursor.fetchone()
    if row is None:  # an INSERT … RETURNING in the CTE always gives its row
        raise RuntimeError("the access-log row was not written")
    entry.pk = row[0]
    entry._state.adding = False
    return int(row[1])


def bulk_read_check(*, request: HttpRequest, entry: AccessLogEntry, read: int) -> bool:
    """After a list is logged: alert the auditors if its reader is over the hour's limit
    (`read`: the reader's distinct people of the hour). Returns whether an alert was raised."""
    limit = int(settings.AUDIT_BULK_READ_ALERT_PEOPLE)
    if limit <= 0 or entry.actor_id is None or read <= limit:
        return False
    return _alert(request=request, entry=entry, read=read, limit=limit)


def _access_log_link(username: str) -> str:
    try:
        return f"{reverse('audit:access-log')}?{urlencode({'user': username})}"
    except NoReverseMatch:  # a URLconf without the auditor pages
        return ""


@transaction.atomic
def _alert(*, request: HttpRequest, entry: AccessLogEntry, read: int, limit: int) -> bool:
    hour = entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H")
    key = f"bulk_read:{hour}"
    reader = str(entry.actor_id)
    if Notification.objects.filter(
        subject_type=READER_SUBJECT, subject_id=reader, dedupe_key=key
    ).exists():
        return False  # already raised this hour
    auditors = users_with("audit.alert.receive")
    text = _(
        "%(user)s has read the records of %(n)s people within an hour; the alert is set at "
        "%(limit)s. Check the access log for what was read and why."
    ) % {"user": entry.actor_username, "n": read, "limit": limit}
    link = _access_log_link(entry.actor_username)
    notify_many(
        [
            Notification(
                recipient=auditor,
                kind=Notification.Kind.BULK_READ,
                text=text,
                subject_type=READER_SUBJECT,
                subject_id=reader,
                link=link,
                dedupe_key=key,
            )
            for auditor in auditors
        ]
    )
    security_event(
        "bulk_read_alert",
        request=request,
        level=logging.WARNING,
        username=entry.actor_username,
        people=read,
        limit=limit,
        window_minutes=int(WINDOW.total_seconds() // 60),
        subject_type=entry.subject_type,
    )
    return True
