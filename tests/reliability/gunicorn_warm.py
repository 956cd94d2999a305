"""gunicorn settings for the PostgreSQL drill: each worker imports every URL's views before it
takes a request, as a worker that has served for a while has. A cold worker's first requests wait
for those imports, seconds on a busy machine, and would hold a load thread through the whole
outage: the drill would time a cold start instead of the database's restart."""

from typing import Any


def post_worker_init(worker: Any) -> None:
    from django.urls import get_resolver

    get_resolver()._populate()  # imports every URLconf, and so every view, once
