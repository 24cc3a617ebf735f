"""POST /api/v1/imports/: read a resolution, as the command does, and keep a draft for
review in the browser (or, with dry_run, only answer with the reading)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.content import BoundedJSONParser
from api.permissions import CanView, TokenAllowsWrites
from api.schema import RETRY_AFTER, ErrorSerializer, errors
from intake import access
from intake.api.serializers import (
    DraftCreatedSerializer,
    ImportFileSerializer,
    ImportTextSerializer,
    ReadingSerializer,
)
from intake.document import to_json
from intake.errors import IntakeError
from intake.reading.sources import MAX_BYTES
from intake.selectors import draft_plan
from intake.services import draft_create, read_input


class ImportJSONParser(BoundedJSONParser):
    # A resolution's text, with room for JSON's escapes of non-ASCII characters.
    max_bytes = 3 * MAX_BYTES


class Unreadable(exceptions.APIException):
    """The input is not a resolution the intake can read; the code says why."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, error: IntakeError):
        if error.code == "too_large":
            self.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        super().__init__(error.message, error.code)


DESCRIPTION = """
The same input as `manage.py import_resolution`: a file (multipart, field `file`: text in
any usual encoding, .docx or a text PDF) or a text (JSON, field `text`), in English,
French or Chinese, at most 2 MiB. With `dry_run` the answer is the reading (200) and
nothing is written; viewers and read-only tokens may do that. Otherwise (analysts and
managers, with a writable token) the text is kept as a draft and the answer (201) gives
its review page: nothing is tracked until someone accepts it there.

Errors name the reason in `code`: `empty`, `nul_bytes`, `too_large` (413),
`unknown_format`, `undecodable`, `unreadable_docx`, `unreadable_pdf`, `no_text`,
`unknown_language`, `missing_header`, `missing_adoption`, `no_operative` and the like.
"""


class ImportView(APIView):
    parser_classes = [ImportJSONParser, MultiPartParser]
    permission_classes = [CanView]

    @extend_schema(
        operation_id="imports_create",
        summary="Read a resolution; keep a draft for review",
        description=DESCRIPTION.strip(),
        request={
            "application/json": ImportTextSerializer,
            "multipart/form-data": ImportFileSerializer,
        },
        parameters=[RETRY_AFTER],
        responses={
            200: OpenApiResponse(ReadingSerializer, description="dry_run: the reading."),
            201: OpenApiResponse(DraftCreatedSerializer, description="The draft kept."),
            413: OpenApiResponse(ErrorSerializer, description="Over 2 MiB."),
            **errors(400, 401, 403, 415, 429),
        },
    )
    def post(self, request):
        upload = request.content_type.startswith("multipart/")
        serializer = (ImportFileSerializer if upload else ImportTextSerializer)(data=request.data)
        serializer.is_valid(raise_exception=True)
        unknown = sorted(set(request.data) - set(serializer.fields))
        if unknown:
            raise exceptions.ValidationError({name: [_("Unknown field.")] for name in unknown})
        data = serializer.validated_data
        if not data["dry_run"]:
            if not TokenAllowsWrites().has_permission(request, self):
                raise exceptions.PermissionDenied(TokenAllowsWrites.message)
            access.require_importer(request.user)
        file = data.get("file")
        if file is not None and file.size > MAX_BYTES:
            raise Unreadable(
                IntakeError(
                    "too_large",
                    _("The file is %(size)s KB; the limit is %(limit)s KB."),
                    size=file.size // 1024,
                    limit=MAX_BYTES // 1024,
                )
            )
        source = {"data": file.read(), "filename": file.name} if file else {"text": data["text"]}
        try:
            if data["dry_run"]:
                reading, _text, _digest = read_input(language=data.get("language"), **source)
                return Response(to_json(reading))
            draft = draft_create(by=request.user, language=data.get("language"), **source)
        except IntakeError as error:
            raise Unreadable(error) from error
        body = {
            "draft": draft.pk,
            "url": request.build_absolute_uri(draft.get_absolute_url()),
            "plan": draft_plan(draft).mode,
            "reading": draft.reading,
        }
        return Response(body, status=status.HTTP_201_CREATED)
