from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api import permissions
from api.pagination import SortKey
from api.schema import ID, detail_doc, errors, list_doc
from api.views import ApiViewSet
from paragraphs.api.filters import ActorFilter, ApiTokenFilter, ParagraphFilter, ResolutionFilter
from paragraphs.api.serializers import (
    ActorSerializer,
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    NewApiTokenSerializer,
    ParagraphSerializer,
    ResolutionSerializer,
)
from paragraphs.enums import ParagraphKind
from paragraphs.models import Actor, ApiToken, Obligation, Paragraph, Resolution
from paragraphs.services import api_token_create, api_token_revoke


@extend_schema_view(
    list=list_doc(ResolutionSerializer, summary="List resolutions"),
    retrieve=detail_doc(ResolutionSerializer, summary="Read a resolution"),
)
class ResolutionViewSet(ApiViewSet):
    queryset = Resolution.objects.select_related("renews", "mandate").prefetch_related(
        "references", "renewed_by"
    )
    serializer_class = ResolutionSerializer
    filterset_class = ResolutionFilter
    orderings = {"id": None, "number": SortKey(F("number"), int)}


RESOLUTION_ID = OpenApiParameter("resolution_id", int, OpenApiParameter.PATH)
CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]{1,40}$")
LABEL = OpenApiParameter(
    "label",
    str,
    OpenApiParameter.PATH,
    pattern=r"^([0-9]{1,4}|PP[0-9]{1,4})$",
    description="An operative paragraph's number (18), or PP and a preambular position (PP3).",
)


@extend_schema_view(
    list=list_doc(
        ParagraphSerializer,
        summary="List a resolution's paragraphs",
        description="In the order of the text: preambular, then operative.",
        parameters=[RESOLUTION_ID],
        extra_errors=[404],
    ),
    retrieve=detail_doc(
        ParagraphSerializer, summary="Read a paragraph", path=[RESOLUTION_ID, LABEL]
    ),
)
class ParagraphViewSet(ApiViewSet):
    serializer_class = ParagraphSerializer
    filterset_class = ParagraphFilter
    lookup_field = lookup_url_kwarg = "label"
    lookup_value_regex = r"[0-9]{1,4}|PP[0-9]{1,4}"
    # Imported in reading order, so the id is the order of the text.
    orderings = {"id": None}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no kwargs
            return Paragraph.objects.none()
        return (
            Paragraph.objects.filter(resolution_id=self.kwargs["resolution_id"])
            .select_related("resolution")
            .prefetch_related(
                "cites",
                "texts",
                Prefetch("obligations", queryset=Obligation.objects.only("id", "paragraph_id")),
            )
        )

    def list(self, request, resolution_id):
        get_object_or_404(Resolution.objects.only("id"), pk=resolution_id)
        return super().list(request)

    def get_object(self):
        label = self.kwargs["label"]
        if label.startswith("PP"):
            lookup = {"kind": ParagraphKind.PREAMBULAR, "position": int(label[2:])}
        else:
            lookup = {"kind": ParagraphKind.OPERATIVE, "number": int(label)}
        return get_object_or_404(self.get_queryset(), **lookup)


@extend_schema_view(
    list=list_doc(ActorSerializer, summary="List actors"),
    retrieve=detail_doc(ActorSerializer, summary="Read an actor", path=[CODE]),
)
class ActorViewSet(ApiViewSet):
    queryset = Actor.objects.all()
    serializer_class = ActorSerializer
    filterset_class = ActorFilter
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,40}"
    orderings = {"id": None, "code": SortKey(F("code"), str)}


@extend_schema_view(
    list=list_doc(ApiTokenSerializer, summary="List API tokens (managers)"),
    retrieve=detail_doc(ApiTokenSerializer, summary="Read an API token (managers)"),
    create=extend_schema(
        summary="Create an API token (managers)",
        description="The answer carries the token itself, once: only its digest is kept.",
        request=ApiTokenCreateSerializer,
        responses={201: NewApiTokenSerializer, **errors(400, 401, 403, 413, 415, 429)},
    ),
    revoke=extend_schema(
        summary="Revoke an API token (managers)",
        description="For good: the token stops working at once; the record stays.",
        request=None,
        parameters=[ID],
        responses={200: ApiTokenSerializer, **errors(401, 403, 404, 409, 429)},
    ),
)
class ApiTokenViewSet(ApiViewSet):
    # Signed-in managers only (see permissions.SignedInManager).

    queryset = ApiToken.objects.select_related("user", "created_by", "revoked_by")
    serializer_class = ApiTokenSerializer
    filterset_class = ApiTokenFilter
    permission_classes = permissions.MANAGE_TOKENS
    orderings = {"id": None}
    default_ordering = "-id"

    def create(self, request):
        form = ApiTokenCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        token, text = api_token_create(
            **{"user": request.user, **form.validated_data}, by=request.user
        )
        token.token = text
        data = NewApiTokenSerializer(token, context=self.get_serializer_context()).data
        location = reverse("api:token-detail", args=[token.pk], request=request)
        return Response(data, status=201, headers={"Location": location})

    @action(detail=True, methods=["post"])
    def revoke(self, request, pk):
        token = api_token_revoke(token=self.get_object(), by=request.user)
        return Response(self.get_serializer(token).data)
