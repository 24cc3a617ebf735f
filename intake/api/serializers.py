"""The import endpoint's input, and the JSON shape of a reading for the OpenAPI schema
(the document itself is `intake.document.to_json`'s, as the command prints it)."""

from rest_framework import serializers

from intake.reading.sources import MAX_BYTES
from intake.selectors import CHANGES, IDENTICAL, LANGUAGE, NEW
from paragraphs.enums import ObligationKind, TextLanguage, VerbCategory


class ImportInputSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=TextLanguage.choices,
        required=False,
        allow_null=True,
        help_text="The text's language; recognised from the text when absent.",
    )
    dry_run = serializers.BooleanField(
        default=False, help_text="Read only: answer with the reading and write nothing."
    )


class ImportTextSerializer(ImportInputSerializer):
    text = serializers.CharField(
        max_length=MAX_BYTES,
        trim_whitespace=False,
        help_text="The resolution's text as published (UN layout), at most 2 MiB.",
    )


class ImportFileSerializer(ImportInputSerializer):
    file = serializers.FileField(
        help_text="Text (UTF-8, UTF-16, GB18030...), .docx or text PDF; at most 2 MiB."
    )


class ActorJsonSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=["owner", "contributor"])
    new = serializers.BooleanField(help_text="Not a known actor: created on acceptance.")


class ProposalJsonSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="What another proposal's `aligned_to` names.")
    addressees = serializers.ListField(
        child=serializers.CharField(), help_text="English actor names."
    )
    kind = serializers.ChoiceField(choices=ObligationKind.choices)
    schedule = serializers.DictField(
        allow_null=True,
        help_text="The rule: `kind` (on_date, within_days, recurring, aligned, "
        "mandate_expiry) and the fields that are set (dates as ISO).",
    )
    due_dates = serializers.ListField(child=serializers.DateField())
    source = serializers.CharField(help_text="The words the proposal comes from.")
    actors = ActorJsonSerializer(many=True)


class PreambularJsonSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    text = serializers.CharField()
    opening = serializers.CharField(allow_blank=True)


class OperativeJsonSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    lead_verb = serializers.CharField(allow_blank=True, help_text="As written, e.g. `请`.")
    category = serializers.ChoiceField(choices=VerbCategory.choices)
    text = serializers.CharField()
    proposals = ProposalJsonSerializer(many=True)


class WarningJsonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField(help_text="In the language of the request.")


class ReadingSerializer(serializers.Serializer):
    symbol = serializers.CharField()
    number = serializers.IntegerField()
    year = serializers.IntegerField()
    language = serializers.ChoiceField(choices=TextLanguage.choices)
    adopted_on = serializers.DateField(allow_null=True)
    meeting = serializers.IntegerField(allow_null=True)
    mandate = serializers.CharField(allow_null=True)
    mandate_expires_on = serializers.DateField(allow_null=True)
    references = serializers.ListField(
        child=serializers.CharField(), help_text='e.g. `["2476 (2019)"]`'
    )
    preambular = PreambularJsonSerializer(many=True)
    operative = OperativeJsonSerializer(many=True)
    annexes = serializers.ListField(child=serializers.CharField())
    warnings = WarningJsonSerializer(many=True)


class DraftCreatedSerializer(serializers.Serializer):
    draft = serializers.IntegerField(help_text="The draft's id.")
    url = serializers.URLField(help_text="Its review page in the browser.")
    plan = serializers.ChoiceField(
        choices=[NEW, LANGUAGE, CHANGES, IDENTICAL],
        help_text="What accepting it would do: create the resolution, add a language, "
        "change the text held (paragraph by paragraph), or nothing (the same text).",
    )
    reading = ReadingSerializer()
