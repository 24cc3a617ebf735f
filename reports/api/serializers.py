"""Response shapes (for the OpenAPI description: obligations and deadlines are rendered
from plain values in views.py, not through these) and request bodies."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from mandate_tracker.api.fields import StrictCharField, StrictSerializer, StrictSlugRelatedField
from paragraphs import roles
from paragraphs.enums import ObligationKind, ObligationStatus
from paragraphs.models import Actor
from reports import schedule as rules
from reports.enums import DeadlineState
from reports.models import Schedule


class ObligationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField(help_text="Stable identifier, e.g. 2692-op18-options-report.")
    resolution = serializers.CharField(help_text="Its resolution's symbol.")
    resolution_id = serializers.IntegerField()
    paragraph = serializers.IntegerField(
        allow_null=True, help_text="The operative paragraph's number."
    )
    summary = serializers.CharField()
    owner = serializers.CharField(help_text="The owning actor's code.")
    contributors = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the contributing actors."
    )
    kind = serializers.ChoiceField(choices=ObligationKind.choices)
    status = serializers.ChoiceField(choices=ObligationStatus.choices)
    note = serializers.CharField(allow_blank=True, help_text="The progress note.")
    assigned_analyst = serializers.CharField(allow_null=True, help_text="A username.")
    next_deadline = serializers.DateField(
        allow_null=True, help_text="Earliest scheduled date among its open deadlines."
    )
    overdue = serializers.BooleanField(
        help_text="That deadline has passed (a weekend date counts until the Monday)."
    )
    version = serializers.IntegerField(help_text="Raised by every change.")
    updated_at = serializers.DateTimeField()
    url = serializers.URLField()
    history = serializers.URLField()
    etag = serializers.CharField(help_text="Its ETag: send it as If-Match to change it.")


class ObligationPatchSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=ObligationStatus.choices, required=False)
    note = StrictCharField(required=False, allow_blank=True, max_length=10_000)
    owner = StrictSlugRelatedField(
        slug_field="code",
        queryset=Actor.objects.all(),
        required=False,
        help_text="An actor's code. Managers only.",
    )
    assigned_analyst = StrictSlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="A username (or null). Managers only.",
    )
    reason = StrictCharField(
        required=False, allow_blank=True, max_length=2_000, help_text="Kept in the history."
    )

    def validate_assigned_analyst(self, user):
        if user is not None and not roles.can_edit_obligations(user):
            raise serializers.ValidationError(
                _("%(name)s has no role that may work on obligations.") % {"name": user}
            )
        return user

    def validate(self, attrs):
        if not set(attrs) - {"reason"}:
            raise serializers.ValidationError(
                _("Nothing to change: send status, note, owner or assigned_analyst.")
            )
        return attrs


class DeadlineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    obligation = serializers.IntegerField()
    schedule = serializers.IntegerField()
    sequence = serializers.IntegerField(help_text="Its place among its schedule's occurrences.")
    due_on = serializers.DateField(help_text="The nominal date the rule gives.")
    scheduled_on = serializers.DateField(help_text="When it is actually expected.")
    scheduled_reason = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=DeadlineState.choices, help_text="What was recorded.")
    timing = serializers.ChoiceField(
        choices=[(t.value, t.value) for t in rules.Timing],
        help_text="Derived from the dates today: upcoming, due, overdue, on time, late, waived.",
    )
    delivered_on = serializers.DateField(allow_null=True)
    document_symbol = serializers.CharField(allow_blank=True)
    waived_reason = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    url = serializers.URLField()
    history = serializers.URLField()
    etag = serializers.CharField()


class DeliverSerializer(StrictSerializer):
    delivered_on = serializers.DateField()
    document_symbol = StrictCharField(
        required=False, allow_blank=True, max_length=40, help_text="e.g. S/2024/62"
    )
    note = StrictCharField(required=False, allow_blank=True, max_length=2_000)


class RescheduleSerializer(StrictSerializer):
    scheduled_on = serializers.DateField()
    reason = StrictCharField(allow_blank=True, max_length=2_000, help_text="Required.")


class WaiveSerializer(StrictSerializer):
    reason = StrictCharField(allow_blank=True, max_length=2_000, help_text="Required.")


class ScheduleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:schedule-detail")
    history = serializers.HyperlinkedIdentityField(view_name="api:schedule-history")

    class Meta:
        model = Schedule
        fields = [
            "id",
            "obligation",
            "kind",
            "label",
            "on_date",
            "within_days",
            "anchor_on",
            "every_days",
            "every_months",
            "until",
            "aligned_to",
            "rationale",
            "url",
            "history",
        ]


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField(allow_null=True, help_text="As displayed (labels, names).")
    new = serializers.CharField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True, help_text="Username; `system` for automation.")
    subject = serializers.CharField(help_text="What changed: the obligation, a schedule, …")
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    note = serializers.CharField(allow_blank=True, help_text="Why, as the writer gave it.")
    changes = ChangeSerializer(many=True)
