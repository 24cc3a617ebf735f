"""The caller's own alerts (their inbox) and subscriptions.

Every reader has both, so any role may write here what is their own: mark alerts read,
follow and unfollow. Nothing else is reachable: another user's alert or subscription is
"not found", never "forbidden". Reads and writes are the pages' selectors and services.
"""

from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.pagination import SortKey, parse_datetime
from api.permissions import CanView, TokenAllowsWrites
from api.schema import ID, RETRY_AFTER, detail_doc, errors, list_doc
from api.views import ApiViewSet
from reports.alerts import selectors, services
from reports.alerts.api.filters import AlertFilter
from reports.alerts.api.serializers import (
    AlertDetailSerializer,
    AlertSerializer,
    MarkedReadSerializer,
    SubscriptionCreateSerializer,
    SubscriptionSerializer,
)
from reports.alerts.models import Alert, AlertDelivery, Subscription

# Viewers too, but a read-only token never writes.
OWN = [CanView, TokenAllowsWrites]


@extend_schema_view(
    list=list_doc(
        AlertSerializer,
        summary="List the alerts you received",
        description="Every alert that reached you through any channel (inbox, e-mail, "
        "digest, your webhooks), newest first. `unread=true` is what your inbox has "
        "not marked read.",
    ),
    retrieve=detail_doc(
        AlertDetailSerializer,
        summary="Read an alert you received",
        description="With your deliveries of it. 404 for an alert you did not receive.",
    ),
    read=extend_schema(
        summary="Mark an alert read",
        description="Marks it read in your inbox (again changes nothing). No If-Match: it "
        "concerns only your own inbox. 404 for an alert you did not receive.",
        request=None,
        parameters=[ID, RETRY_AFTER],
        responses={200: AlertDetailSerializer, **errors(401, 403, 404, 429)},
    ),
    read_all=extend_schema(
        summary="Mark all your alerts read",
        operation_id="alerts_read_all",
        description="Every unread alert of your inbox; answers how many there were. It "
        "takes no filters (a query parameter is a 400, not a partial marking).",
        request=None,
        parameters=[RETRY_AFTER],
        responses={200: MarkedReadSerializer, **errors(400, 401, 403, 429)},
        filters=False,
    ),
)
class AlertViewSet(ApiViewSet):
    filterset_class = AlertFilter
    permission_classes = OWN
    orderings = {"id": None, "moment": SortKey(F("moment"), parse_datetime)}
    default_ordering = "-moment"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no user
            return Alert.objects.none()
        if self.action == "list":
            return selectors.alerts_for_user(self.request.user)
        return selectors.alerts_with_deliveries_for_user(self.request.user)

    def get_serializer_class(self):
        return AlertSerializer if self.action == "list" else AlertDetailSerializer

    @action(detail=True, methods=["post"])
    def read(self, request, pk):
        try:
            services.inbox_mark_alert_read(user=request.user, alert_id=int(pk))
        except AlertDelivery.DoesNotExist as error:
            raise Http404 from error
        return Response(self.get_serializer(self.get_object()).data)

    @action(detail=False, methods=["post"], url_path="read", url_name="read-all")
    def read_all(self, request):
        if request.query_params:
            message = _("This takes no query parameters: it marks every alert read.")
            raise ValidationError({name: [message] for name in sorted(request.query_params)})
        return Response({"marked_read": services.inbox_mark_all_read(user=request.user)})


@extend_schema_view(
    list=list_doc(
        SubscriptionSerializer,
        summary="List what you follow",
        description="Your subscriptions, oldest first. You are also alerted about the "
        "obligations assigned to you, and managers about every overdue one, without one.",
    ),
    retrieve=detail_doc(
        SubscriptionSerializer,
        summary="Read one of your subscriptions",
        description="Its ETag serves If-None-Match only: subscriptions are never changed.",
    ),
    create=extend_schema(
        summary="Follow an actor, a resolution, or an actor within a resolution",
        description="Send `actor` (a code), `resolution` (an id) or both. Following the "
        "same thing twice is a 400. A subscription cannot be changed, only deleted, so "
        "there is no ETag to send back and no If-Match.",
        request=SubscriptionCreateSerializer,
        parameters=[RETRY_AFTER],
        responses={201: SubscriptionSerializer, **errors(400, 401, 403, 413, 415, 429)},
    ),
    destroy=extend_schema(
        summary="Stop following",
        description="Only your own subscriptions (anyone else's is a 404). Subscriptions "
        "are immutable, so no If-Match is needed.",
        parameters=[ID, RETRY_AFTER],
        responses={204: None, **errors(401, 403, 404, 429)},
    ),
)
class SubscriptionViewSet(ApiViewSet):
    serializer_class = SubscriptionSerializer
    permission_classes = OWN
    orderings = {"id": None}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no user
            return Subscription.objects.none()
        return selectors.subscriptions_for_user(self.request.user)

    def create(self, request):
        form = SubscriptionCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        subscription = services.subscription_create(user=request.user, **form.validated_data)
        location = reverse("api:subscription-detail", args=[subscription.pk], request=request)
        return Response(
            self.get_serializer(subscription).data, status=201, headers={"Location": location}
        )

    def destroy(self, request, pk):
        try:
            services.subscription_delete(user=request.user, subscription_id=int(pk))
        except Subscription.DoesNotExist as error:
            raise Http404 from error
        return Response(status=204)
