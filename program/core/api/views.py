from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from program.core import selectors
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
