"""What the API reads and writes: JSON only, with a bounded body."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser


# Here, not in api.errors: DRF loads this module from its settings while
# importing its views, which errors imports, so this module imports nothing of ours.
class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


class BoundedJSONParser(JSONParser):
    """JSON bodies up to API_MAX_BODY_BYTES; deeply nested ones are a 400, not a crash."""

    # None: the API's limit (settings.API_MAX_BODY_BYTES); an endpoint may set its own.
    max_bytes: int | None = None

    def parse(self, stream, media_type=None, parser_context=None):
        limit = self.max_bytes or settings.API_MAX_BODY_BYTES
        content = stream.read(limit + 1)
        if len(content) > limit:
            raise PayloadTooLarge()
        try:
            return super().parse(io.BytesIO(content), media_type, parser_context)
        except RecursionError as error:
            raise ParseError("JSON parse error - nested too deeply") from error


class AlwaysJSON(DefaultContentNegotiation):
    """Every response is JSON (the view's first renderer), whatever Accept says: there is
    nothing else to offer, and a 406 would only hide the error the client needs to read."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
