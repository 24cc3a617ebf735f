"""The ledger and the delivery log in the admin: read-only, since only the scan writes them."""

from django.contrib import admin

from reports.alerts.models import Alert, AlertDelivery, AlertPreference, Subscription, Webhook


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeliveryInline(admin.TabularInline):
    model = AlertDelivery
    fields = ["user", "channel", "webhook", "status", "attempts", "last_error", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["rule", "deadline", "moment", "scheduled_on", "raised_at", "fanned_out"]
    list_filter = ["kind", "fanned_out"]
    list_select_related = ["deadline__schedule__obligation__paragraph__resolution"]
    date_hierarchy = "moment"
    raw_id_fields = ["deadline"]
    inlines = [DeliveryInline]


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["alert", "user", "channel", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["channel", "status"]
    search_fields = ["user__username", "last_error", "webhook__url"]
    list_select_related = ["alert", "user"]
    raw_id_fields = ["alert", "user", "webhook"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "actor", "resolution", "created_at"]
    list_select_related = ["user", "actor", "resolution"]
    raw_id_fields = ["user"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """Webhooks are added by their owners on the subscriptions page, where the URL is
    checked to reach a public address (reports.alerts.outbound); here they can be switched
    off or removed, never pointed elsewhere."""

    list_display = ["url", "owner", "active", "created_at"]
    list_filter = ["active"]
    fields = ["url", "owner", "active", "created_at"]
    readonly_fields = ["url", "owner", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(AlertPreference)
class AlertPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "digest", "language"]
    raw_id_fields = ["user"]
