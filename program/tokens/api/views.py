"""The API tokens page's twin: one's own tokens, and revoking one.

Tokens are made on the page only, in a browser session that has given its second factor where
one is required: a token cannot make further tokens and so outlive its own expiry.
"""

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from program.core.acting import acting_user
from program.core.api.own_records import OwnRecordsViewSet
from program.tokens import selectors, services
from program.tokens.api.serializers import ApiTokenSerializer
from program.tokens.models import ApiToken


@extend_schema_view(list=extend_schema(summary="My API tokens, newest first"))
class ApiTokenViewSet(OwnRecordsViewSet[ApiToken]):
    """Each user sees only their own tokens; someone else's is "not found"."""

    model = ApiToken
    serializer_class = ApiTokenSerializer

    def own(self, user: User) -> QuerySet[ApiToken]:
        return selectors.tokens_of(user)

    @extend_schema(
        summary="Revoke one of my API tokens",
        description="It stops working at once. Revoking a revoked token changes nothing.",
        request=None,
        responses={
            200: ApiTokenSerializer,
            404: OpenApiResponse(description="No such token of yours."),
        },
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        token = services.api_token_revoke(token_id=int(pk), actor=acting_user(request))
        return Response(ApiTokenSerializer(token).data)
