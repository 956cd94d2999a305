from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from program.core import selectors, work_queues
from program.core.navigation import navigation_for
from program.core.roles import user_roles


class MeView(APIView):
    """The signed-in user, their roles and the sections they may open: the home page's twin."""

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "full_name": serializers.CharField(),
                "roles": serializers.ListField(child=serializers.CharField()),
                "sections": serializers.ListField(child=serializers.CharField()),
            },
        )
    )
    def get(self, request: Request) -> Response:
        roles = user_roles(request.user)
        return Response(
            {
                "username": request.user.get_username(),
                "full_name": request.user.get_full_name(),  # type: ignore[union-attr]
                "roles": sorted(roles),
                "sections": [item.url_name for item in navigation_for(roles)],
            }
        )


class SystemStatusView(APIView):
    """Database, broker and the background jobs' last runs: the system status page's twin."""

    @extend_schema(
        responses=inline_serializer(
            "SystemStatus",
            {
                "checks": serializers.ListField(child=serializers.DictField()),
                "heartbeats": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request: Request) -> Response:
        checks = [selectors.database_check(), selectors.broker_check()]
        body: dict[str, Any] = {
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks],
            "heartbeats": [
                {"name": b.name, "last_run_at": b.last_run_at, "runs": b.runs, "worker": b.worker}
                for b in selectors.heartbeats()
            ],
        }
        return Response(body)


_WORK_QUEUE_ITEM_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "id": serializers.IntegerField(),
    "text": serializers.CharField(help_text="Numbers, states and dates only; never a name."),
    "detail": serializers.CharField(),
    "urgent": serializers.BooleanField(help_text="Overdue or otherwise late."),
    "web_url": serializers.CharField(help_text="The item's page in the web application."),
    "api_url": serializers.CharField(help_text="The item's resource in this API."),
}


class WorkQueuesView(APIView):
    """What waits for the signed-in user: the home page's "Waiting for you" twin. One entry per
    work queue of the user's roles (none for a role without queues), with its count and its
    first items, each linked to its API resource (program/core/work_queues.py)."""

    @extend_schema(
        summary="My work queues, with counts and the items waiting",
        parameters=[],
        responses={
            200: inline_serializer(
                "WorkQueue",
                {
                    "key": serializers.CharField(),
                    "label": serializers.CharField(),
                    "count": serializers.IntegerField(help_text="Every item in the queue."),
                    "web_url": serializers.CharField(help_text="The queue's list on the web."),
                    "items": inline_serializer("WorkQueueItem", _WORK_QUEUE_ITEM_FIELDS, many=True),
                    "truncated": serializers.BooleanField(
                        help_text=f"More than the {work_queues.API_ROWS} items listed wait."
                    ),
                },
                many=True,
            ),
            400: OpenApiResponse(description="A query parameter was given: none is accepted."),
        },
    )
    def get(self, request: Request) -> Response:
        if request.query_params:
            # Nothing is ignored quietly (as on every list, program/core/api/filters.py).
            refusal = "Not a parameter of this list. It accepts: none."
            raise ValidationError({name: [refusal] for name in sorted(request.query_params)})
        return Response(work_queues.api_queues(request))
