"""Records read as JSON objects in the person page's one record-links query, made back into
(unsaved) model instances, so that the links can use the model's display methods.

The query returns each record as a JSON object of a few fields; a date or moment in it is text
in ISO form and is parsed back before the instances are sorted on it, newest first.
"""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import Model

Record = TypeVar("Record", bound=Model)


def newest_first(
    model: type[Record],
    rows: Iterable[dict[str, Any]],
    *,
    when: str,
    parse: Callable[[str], Any],
) -> list[Record]:
    """The rows as instances of `model`, newest first by the field `when` (then by pk); `parse`
    reads that field's ISO text (date.fromisoformat, datetime.fromisoformat)."""
    records = [model(**{**row, when: parse(row[when])}) for row in rows]
    return sorted(records, key=lambda record: (getattr(record, when), record.pk), reverse=True)
