"""Serializer pieces that refuse what JSON did not say: DRF would turn 5 into "5" and
"yes" into True, and silently drop fields it does not know."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictSlugRelatedField(serializers.SlugRelatedField):
    """An object named by a slug, as a JSON string (a number is not quietly taken for one)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An object named by its id, as a JSON integer (not "5", 5.0 or true)."""

    def to_internal_value(self, data):
        if type(data) is not int:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer):
    """A request body: a JSON object with only the fields declared here."""

    default_error_messages = {"unknown": _("Unknown field.")}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [self.error_messages["unknown"]] for name in unknown}
                )
        return super().to_internal_value(data)


class UtcDateTimeField(serializers.DateTimeField):
    """Times in UTC (`…Z`), like the rows the list endpoints render from plain values."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default_timezone", dt.UTC)
        super().__init__(*args, **kwargs)
