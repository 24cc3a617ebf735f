"""One JSON shape for every error the API answers, whatever raised it:

    {"status": 412, "code": "precondition_failed", "message": "…", "fields": {"status": ["…"]}}

`fields` maps a field (or query parameter) to its messages; errors that concern the
request as a whole sit under "non_field_errors". It is empty when no field is to blame.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import resolve
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from api.content import PayloadTooLarge
from paragraphs.exceptions import EditConflict

NON_FIELD = "non_field_errors"
# Domain errors that are about the object's state, not the request's content.
CONFLICT_CODES = {"not_open", "already_revoked"}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The object is not in a state that allows this.")
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "Someone changed this since you read it (its ETag no longer matches If-Match). "
        "Nothing was changed: read it again and retry."
    )
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Send If-Match with the ETag you read, so that you never overwrite a change you "
        "have not seen."
    )
    default_code = "precondition_required"


def _fields(detail) -> dict[str, list[str]]:
    """DRF's error detail as {"field": [messages]}; a bare list concerns the whole."""
    if isinstance(detail, dict):
        return {
            str(name): [str(m) for m in (messages if isinstance(messages, list) else [messages])]
            for name, messages in detail.items()
        }
    return {NON_FIELD: [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def body(status_code: int, code: str, message: str, fields=None) -> dict:
    return {"status": status_code, "code": code, "message": message, "fields": fields or {}}


def _from_domain(error: DjangoValidationError) -> exceptions.APIException:
    """A service's ValidationError: field errors as they are; a state conflict is a 409."""
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    if any(e.code in CONFLICT_CODES for e in error.error_list):
        return Conflict(" ".join(error.messages))
    return exceptions.ValidationError({NON_FIELD: error.messages})


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = _from_domain(exc)
    elif isinstance(exc, EditConflict):
        exc = PreconditionFailed()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):  # from reports.access, with its reason
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, RequestDataTooBig):  # over Django's own limit, before our parser's
        exc = PayloadTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        message = gettext("The request is invalid: see the fields.")
        fields = _fields(exc.detail)
        code = "invalid"
    else:
        message = str(exc.detail)
        fields = {}
        code = exc.detail.code if hasattr(exc.detail, "code") else exc.default_code
    response.data = body(response.status_code, code, message, fields)
    return response


@csrf_exempt  # it changes nothing; without this, a POST here would get Django's HTML 403
def not_found(request, *args, **kwargs):
    """Any path under /api/v1/ that names no endpoint: the JSON 404, not the HTML page.

    A path that only lacks its trailing slash is redirected with 308, which keeps the
    method and the body (a 301 would turn a PATCH into a GET).
    """
    if not request.path_info.endswith("/"):
        match = resolve(request.path_info + "/")
        if match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            location = request.path + "/" + (f"?{query}" if query else "")
            return HttpResponse(status=308, headers={"Location": location})
    return JsonResponse(
        body(404, "not_found", gettext("There is no such endpoint in API v1.")),
        status=404,
        json_dumps_params={"separators": (",", ":")},
    )
