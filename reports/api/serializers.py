"""Response shapes and request bodies.

Obligations and deadlines are read as plain values (reports.selectors) and shaped here,
by their serializer's `to_representation`, for lists and details alike: the declared
fields describe the JSON for OpenAPI, and a test holds them to what is rendered.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.conditional import row_etag
from api.fields import StrictCharField, StrictSerializer, StrictSlugRelatedField
from paragraphs import roles
from paragraphs.dates import validate_tracked_date
from paragraphs.enums import ObligationKind, ObligationStatus
from paragraphs.models import Actor
from paragraphs.validators import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from reports import schedule as rules
from reports.enums import DeadlineState
from reports.models import Schedule
from reports.selectors import contributors, deadline_timing


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
        help_text="One of its open deadlines has passed (a weekend date counts until the "
        "Monday, and each schedule has a tolerance of a few days) in a mandate period that "
        "has not ended."
    )
    period_ends_on = serializers.DateField(
        allow_null=True, help_text="The end of its resolution's mandate period."
    )
    to_reconcile = serializers.BooleanField(
        help_text="Its period ended with deadlines still open: someone must record what happened."
    )
    version = serializers.IntegerField(help_text="Raised by every change.")
    updated_at = serializers.DateTimeField()
    url = serializers.URLField()
    history = serializers.URLField()
    etag = serializers.CharField(help_text="Its ETag: send it as If-Match to change it.")

    def to_representation(self, row):
        """`row` is one of `reports.selectors.obligation_rows`; the context gives the list's
        absolute URL (`base`) and the day (`today`)."""
        base, today = self.context["base"], self.context["today"]
        due = row["next_deadline"]
        data = {
            "id": row["id"],
            "key": row["key"],
            "resolution": row["resolution_symbol"],
            "resolution_id": row["resolution_pk"],
            "paragraph": row["paragraph_number"],
            "summary": row["summary"],
            "owner": row["owner_code"],
            "contributors": contributors(row),
            "kind": row["kind"],
            "status": row["status"],
            "note": row["note"],
            "assigned_analyst": row["analyst_username"],
            "next_deadline": due,
            "overdue": rules.obligation_overdue(row["overdue_from"], today, row["period_ends_on"]),
            "period_ends_on": row["period_ends_on"],
            "to_reconcile": rules.to_reconcile(
                open_deadlines=row["open_deadlines"] or 0,
                today=today,
                period_ends_on=row["period_ends_on"],
            ),
            "version": row["version"],
            "updated_at": row["updated_at"],
            "url": f"{base}{row['id']}/",
            "history": f"{base}{row['id']}/history/",
        }
        data["etag"] = row_etag(data)
        return data


class ObligationPatchSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=ObligationStatus.choices, required=False)
    note = StrictCharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)
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
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text="Kept in the history.",
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
        help_text="Derived from the dates today: upcoming, due, overdue, on time, late, "
        "unconfirmed (delivered, the date not confirmed), waived, to_reconcile (open when "
        "its mandate period ended).",
    )
    delivered_on = serializers.DateField(
        allow_null=True,
        help_text="When it counts as delivered: circulated_on, or else dated_on.",
    )
    dated_on = serializers.DateField(allow_null=True, help_text="The date the document bears.")
    circulated_on = serializers.DateField(
        allow_null=True, help_text="The day it reached the Council."
    )
    delivered_by = serializers.DateField(
        allow_null=True, help_text="When the date is not confirmed: a day by which it existed."
    )
    delivery_evidence = serializers.CharField(
        allow_blank=True, help_text="How the delivery is known."
    )
    tolerance_days = serializers.IntegerField(
        help_text="Days after the scheduled date (and the weekend rule) a delivery is still "
        "on time."
    )
    period_ends_on = serializers.DateField(
        allow_null=True, help_text="The end of its resolution's mandate period."
    )
    document_symbol = serializers.CharField(allow_blank=True)
    waived_reason = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    url = serializers.URLField()
    history = serializers.URLField()
    etag = serializers.CharField(help_text="Its ETag: send it as If-Match to change it.")

    def to_representation(self, row):
        """`row` is one of `reports.selectors.deadline_rows`; the context as for
        obligations."""
        base, today = self.context["base"], self.context["today"]
        data = {
            "id": row["id"],
            "obligation": row["obligation_pk"],
            "schedule": row["schedule_id"],
            "sequence": row["sequence"],
            "due_on": row["due_on"],
            "scheduled_on": row["scheduled_on"],
            "scheduled_reason": row["scheduled_reason"],
            "status": row["state"],
            "timing": deadline_timing(row, today),
            "delivered_on": rules.delivery_date(
                circulated_on=row["circulated_on"], dated_on=row["dated_on"]
            ),
            "dated_on": row["dated_on"],
            "circulated_on": row["circulated_on"],
            "delivered_by": row["delivered_by"],
            "delivery_evidence": row["delivery_evidence"],
            "tolerance_days": row["tolerance_days"],
            "period_ends_on": row["period_ends_on"],
            "document_symbol": row["document_symbol"],
            "waived_reason": row["waived_reason"],
            "version": row["version"],
            "updated_at": row["updated_at"],
            "url": f"{base}{row['id']}/",
            "history": f"{base}{row['id']}/history/",
        }
        data["etag"] = row_etag(data)
        return data


class DeliverSerializer(StrictSerializer):
    circulated_on = serializers.DateField(
        required=False,
        allow_null=True,
        validators=[validate_tracked_date],
        help_text="The day it reached the Council.",
    )
    dated_on = serializers.DateField(
        required=False,
        allow_null=True,
        validators=[validate_tracked_date],
        help_text="The date the document bears.",
    )
    delivered_on = serializers.DateField(
        required=False,
        allow_null=True,
        validators=[validate_tracked_date],
        help_text="Earlier name of circulated_on, still accepted.",
    )
    delivered_by = serializers.DateField(
        required=False,
        allow_null=True,
        validators=[validate_tracked_date],
        help_text="When neither date is confirmed: a day by which it existed.",
    )
    evidence = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text="How the delivery is known, e.g. the meeting that discussed it.",
    )
    document_symbol = StrictCharField(
        required=False, allow_blank=True, max_length=40, help_text="e.g. S/2024/62"
    )
    note = StrictCharField(required=False, allow_blank=True, max_length=REASON_MAX_LENGTH)
    also = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=20,
        help_text="Ids of open deadlines on the same cycle, at the same occurrence, delivered "
        "with this one (an annex of the same report).",
    )

    def validate(self, attrs):
        if "delivered_on" in attrs:
            if attrs.get("circulated_on") not in (None, attrs["delivered_on"]):
                raise serializers.ValidationError(
                    {"delivered_on": _("Give circulated_on or delivered_on, not both.")}
                )
            attrs["circulated_on"] = attrs.pop("delivered_on")
        return attrs


class RescheduleSerializer(StrictSerializer):
    scheduled_on = serializers.DateField(validators=[validate_tracked_date])
    reason = StrictCharField(allow_blank=True, max_length=REASON_MAX_LENGTH, help_text="Required.")


class WaiveSerializer(StrictSerializer):
    reason = StrictCharField(allow_blank=True, max_length=REASON_MAX_LENGTH, help_text="Required.")


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


class TokenRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The 12 characters after mt_.")


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True, help_text="Username; `system` for automation.")
    token = TokenRefSerializer(
        allow_null=True, help_text="The API token the change was made through, if any."
    )
    subject = serializers.CharField(help_text="What changed: the obligation, a schedule, …")
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    note = serializers.CharField(allow_blank=True, help_text="Why, as the writer gave it.")
    changes = ChangeSerializer(many=True)
