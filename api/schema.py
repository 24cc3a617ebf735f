"""The OpenAPI description: the token scheme, the error shape and the words around them."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers

DESCRIPTION = """
Read and update what UN Security Council resolutions ask of whom: resolutions, their
paragraphs, actors, obligations, their schedules and deadlines, and each one's history;
and the deadline alerts each user received and the subscriptions that decide them.

**Authentication.** Systems send `Authorization: Bearer mt_…` with a token a manager
created; the request acts as the token's user, with the same role checks as the browser
(viewers read, and mark their own alerts read and manage their own subscriptions;
analysts also change obligations and deadlines; managers also assign owners and
analysts). A read-only token never writes. In the browser, the session works too (with
the CSRF header for writes).

**Safe writes.** Obligations and deadlines answer with an `ETag`. A write must send it back
in `If-Match`: without it the answer is `428`; if the object changed meanwhile, `412` and
nothing is changed. `If-None-Match` on a read answers `304` when nothing changed.

**Lists** are paginated by cursor: follow `next` until it is null. Unknown query
parameters are refused (`400`), so a misspelt filter never returns everything.

**Errors** always have the same shape: `status`, `code`, `message` and `fields` (field or
parameter → messages; `non_field_errors` for the request as a whole). Besides the codes
listed per operation: `404` for a path that names no endpoint, `405` for a method an
endpoint does not have, `413` for a body over 64 KiB.

**Rate limits** are per token, per minute; `429` says when to retry (`Retry-After`).

**Versioning.** Within v1, endpoints, fields, filters and enum values may be added;
nothing is removed, renamed or changes meaning. Breaking changes come as /api/v2/.
"""


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer"
        )


def describe(result, generator, request, public):
    """Postprocessing hook: the long description lives here, not in the settings."""
    result["info"]["description"] = DESCRIPTION.strip()
    return result


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="Stable, machine-readable, e.g. `precondition_failed`.")
    message = serializers.CharField(help_text="For people; may be translated.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field or query parameter → messages; `non_field_errors` for the whole.",
    )


ERROR_DESCRIPTIONS = {
    400: "Invalid input: malformed JSON, wrong types, unknown fields or query parameters, "
    "values the rules refuse. `fields` says which.",
    401: "No credentials, or a token that is unknown, revoked or whose user is inactive.",
    403: "Authenticated, but the role (or a read-only token) does not allow this.",
    404: "No such object.",
    409: "The object's state does not allow this (e.g. the deadline is already delivered).",
    412: "If-Match does not match the current ETag: someone changed it; nothing was changed.",
    413: "The body is larger than 64 KiB.",
    415: "The body is not `application/json`.",
    428: "If-Match is missing (or `*`): send the ETag you read.",
    429: "Too many requests for this token this minute; see Retry-After.",
}


def errors(*statuses: int) -> dict:
    return {
        s: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[s]) for s in statuses
    }


READ_ERRORS = (401, 403, 429)
LIST_ERRORS = (400, *READ_ERRORS)
DETAIL_ERRORS = (*READ_ERRORS, 404)
WRITE_ERRORS = (400, 401, 403, 404, 412, 413, 415, 428, 429)

NOT_MODIFIED = {304: OpenApiResponse(description="Not modified: your ETag is current.")}

ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 304],
    description="The version of what you read. For obligations and deadlines, send it as "
    "If-Match to change them.",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds until the rate limit resets.",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag you have: 304 (no body) if it is still current.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag you read. 428 without it, 412 if it is stale.",
)


ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


def list_doc(serializer, *, summary: str, parameters=(), description: str = "", extra_errors=()):
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[*parameters, RETRY_AFTER],
        responses={200: serializer(many=True), **errors(*LIST_ERRORS, *extra_errors)},
    )


def detail_doc(serializer, *, summary: str, path=(ID,), description: str = ""):
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[*path, IF_NONE_MATCH, ETAG, RETRY_AFTER],
        responses={200: serializer, **NOT_MODIFIED, **errors(*DETAIL_ERRORS)},
        filters=False,
    )


def write_doc(request, response, *, summary: str, description: str = "", extra_errors=()):
    """A write to a versioned object: If-Match required, ETag of the new version back."""
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        parameters=[ID, IF_MATCH, ETAG, RETRY_AFTER],
        responses={200: response, **errors(*WRITE_ERRORS, *extra_errors)},
    )
