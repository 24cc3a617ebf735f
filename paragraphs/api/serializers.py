from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.reverse import reverse

from api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictSerializer,
    UtcDateTimeField,
)
from paragraphs.enums import TextLanguage
from paragraphs.models import Actor, ApiToken, Paragraph, ParagraphText, Resolution


class ResolutionSerializer(serializers.ModelSerializer):
    mandate = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="e.g. BINUH"
    )
    renews = serializers.SlugRelatedField(slug_field="symbol", read_only=True, allow_null=True)
    renewed_by = serializers.SlugRelatedField(
        slug_field="symbol",
        many=True,
        read_only=True,
        help_text="The resolutions that renewed it; its mandate period ends at its expiry.",
    )
    references = serializers.SlugRelatedField(slug_field="symbol", many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:resolution-detail")
    paragraphs = serializers.SerializerMethodField(help_text="Its paragraphs.")

    class Meta:
        model = Resolution
        fields = [
            "id",
            "symbol",
            "number",
            "year",
            "adopted_on",
            "meeting_number",
            "title",
            "mandate",
            "mandate_expires_on",
            "renews",
            "renewed_by",
            "references",
            "url",
            "paragraphs",
        ]

    def get_paragraphs(self, resolution) -> str:
        return reverse("api:paragraph-list", args=[resolution.pk], request=self.context["request"])


class ParagraphTextSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParagraphText
        fields = ["language", "lead_verb", "text"]


class ParagraphSerializer(serializers.ModelSerializer):
    resolution = serializers.SlugRelatedField(slug_field="symbol", read_only=True)
    cites = serializers.SlugRelatedField(slug_field="symbol", many=True, read_only=True)
    obligations = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the obligations this paragraph creates."
    )
    label = serializers.CharField(
        read_only=True, help_text="The number of an operative paragraph, PP<n> otherwise."
    )
    texts = ParagraphTextSerializer(
        many=True,
        read_only=True,
        help_text="The paragraph's text in each language imported (zh, en, fr), all authoritative.",
    )
    # Kept for v1's clients, from `texts`: the Chinese text and its lead verb ("" when the
    # paragraph has no Chinese text).
    text_zh = serializers.SerializerMethodField(help_text="The Chinese text; see `texts`.")
    lead_verb = serializers.SerializerMethodField(
        help_text="The Chinese text's lead verb, as written; see `texts`."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Paragraph
        fields = [
            "id",
            "resolution",
            "kind",
            "number",
            "position",
            "label",
            "texts",
            "text_zh",
            "summary_en",
            "lead_verb",
            "verb_category",
            "cites",
            "obligations",
            "url",
        ]

    @staticmethod
    def _chinese(paragraph) -> ParagraphText | None:
        return next((t for t in paragraph.texts.all() if t.language == TextLanguage.CHINESE), None)

    def get_text_zh(self, paragraph) -> str:
        text = self._chinese(paragraph)
        return text.text if text else ""

    def get_lead_verb(self, paragraph) -> str:
        text = self._chinese(paragraph)
        return text.lead_verb if text else ""

    def get_url(self, paragraph) -> str:
        return reverse(
            "api:paragraph-detail",
            args=[paragraph.resolution_id, paragraph.label],
            request=self.context["request"],
        )


class ActorSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:actor-detail", lookup_field="code")

    class Meta:
        model = Actor
        fields = ["id", "code", "name_en", "name_zh", "abbreviation", "url"]


class ApiTokenSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    revoked_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    created_at = UtcDateTimeField(read_only=True)
    last_used_at = UtcDateTimeField(read_only=True)
    revoked_at = UtcDateTimeField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:token-detail")

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "user",
            "read_only",
            "created_by",
            "created_at",
            "last_used_at",
            "revoked_at",
            "revoked_by",
            "url",
        ]


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="Shown only in this response; only its digest is kept."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]


class ApiTokenCreateSerializer(StrictSerializer):
    name = StrictCharField(max_length=100, help_text="Which system will use it.")
    user = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.all(),
        required=False,
        help_text="The username the token acts as (its role decides what it may do): "
        "yourself, the default; another account only if you are an administrator.",
    )
    read_only = StrictBooleanField(default=True)
