"""Response shapes of alerts and subscriptions, and the body that creates a subscription."""

from rest_framework import serializers
from rest_framework.reverse import reverse

from api.fields import (
    StrictPrimaryKeyRelatedField,
    StrictSerializer,
    StrictSlugRelatedField,
    UtcDateTimeField,
)
from paragraphs.models import Actor
from reports.alerts.models import Alert, AlertDelivery, Subscription
from reports.alerts.selectors import subscribable_resolutions
from reports.alerts.wording import headline


class DeliverySerializer(serializers.ModelSerializer):
    webhook = serializers.SlugRelatedField(
        slug_field="url",
        read_only=True,
        allow_null=True,
        help_text="The webhook's URL (webhook deliveries only).",
    )
    sent_at = UtcDateTimeField(read_only=True)
    read_at = UtcDateTimeField(read_only=True, help_text="Inbox only: when you marked it read.")

    class Meta:
        model = AlertDelivery
        fields = [
            "id",
            "channel",
            "webhook",
            "status",
            "attempts",
            "last_error",
            "sent_at",
            "read_at",
        ]
        extra_kwargs = {
            "id": {"help_text": "The X-Mandate-Delivery header of a webhook call."},
            "last_error": {"help_text": "Why the last attempt failed, if it did."},
        }


class AlertSerializer(serializers.ModelSerializer):
    # Of `selectors.alerts_for_user`: the obligation and its relations come with the alert,
    # and `inbox_read_at` is annotated. (No docstring: it would become the schema's text.)

    moment = UtcDateTimeField(read_only=True, help_text="When the rule fell due.")
    raised_at = UtcDateTimeField(read_only=True, help_text="When the scan recorded it.")
    deadline_url = serializers.SerializerMethodField()
    obligation = serializers.IntegerField(source="deadline.schedule.obligation_id", read_only=True)
    obligation_url = serializers.SerializerMethodField()
    resolution = serializers.CharField(
        source="deadline.schedule.obligation.paragraph.resolution.symbol",
        read_only=True,
        help_text="The resolution's symbol.",
    )
    resolution_id = serializers.IntegerField(
        source="deadline.schedule.obligation.paragraph.resolution_id", read_only=True
    )
    paragraph = serializers.IntegerField(
        source="deadline.schedule.obligation.paragraph.number",
        read_only=True,
        allow_null=True,
        help_text="The operative paragraph's number.",
    )
    summary = serializers.CharField(
        source="deadline.schedule.obligation.summary",
        read_only=True,
        help_text="The obligation's summary.",
    )
    owner = serializers.CharField(
        source="deadline.schedule.obligation.owner.code",
        read_only=True,
        help_text="The owning actor's code.",
    )
    headline = serializers.SerializerMethodField(
        help_text="For people, in the request's language, e.g. “Due in 7 days”."
    )
    read = serializers.SerializerMethodField(help_text="You marked it read in your inbox.")
    url = serializers.HyperlinkedIdentityField(view_name="api:alert-detail")

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "rule",
            "moment",
            "scheduled_on",
            "raised_at",
            "deadline",
            "deadline_url",
            "obligation",
            "obligation_url",
            "resolution",
            "resolution_id",
            "paragraph",
            "summary",
            "owner",
            "headline",
            "read",
            "url",
        ]
        extra_kwargs = {
            "rule": {"help_text": "e.g. lead-14d, due, overdue-2."},
            "scheduled_on": {"help_text": "The deadline's scheduled date, as it stood then."},
            "deadline": {"help_text": "The deadline's id."},
        }

    def get_deadline_url(self, alert) -> str:
        return reverse("api:deadline-detail", args=[alert.deadline_id], request=self._request)

    def get_obligation_url(self, alert) -> str:
        return reverse(
            "api:obligation-detail",
            args=[alert.deadline.schedule.obligation_id],
            request=self._request,
        )

    def get_headline(self, alert) -> str:
        return headline(alert)

    def get_read(self, alert) -> bool:
        return alert.inbox_read_at is not None

    @property
    def _request(self):
        return self.context["request"]


class AlertDetailSerializer(AlertSerializer):
    deliveries = DeliverySerializer(
        source="user_deliveries",
        many=True,
        read_only=True,
        help_text="How it reached you: one per channel (and per webhook of yours).",
    )

    class Meta(AlertSerializer.Meta):
        fields = [*AlertSerializer.Meta.fields, "deliveries"]


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many were unread until now.")


class SubscriptionSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="An actor's code."
    )
    resolution = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="A resolution's id."
    )
    resolution_symbol = serializers.CharField(
        source="resolution.symbol", read_only=True, allow_null=True
    )
    created_at = UtcDateTimeField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:subscription-detail")

    class Meta:
        model = Subscription
        fields = ["id", "actor", "resolution", "resolution_symbol", "created_at", "url"]


class SubscriptionCreateSerializer(StrictSerializer):
    actor = StrictSlugRelatedField(
        slug_field="code",
        queryset=Actor.objects.all(),
        required=False,
        allow_null=True,
        help_text="Follow the obligations this actor owns or contributes to.",
    )
    resolution = StrictPrimaryKeyRelatedField(
        queryset=subscribable_resolutions(),
        required=False,
        allow_null=True,
        help_text="Follow this resolution's obligations (with `actor`: only that actor's).",
    )
