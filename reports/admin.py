from django.contrib import admin
from django.utils import timezone

from paragraphs.admin import AuditedAdmin, AuditedAdminForm
from reports.alerts import admin as alerts_admin  # noqa: F401  (registers the alert models)
from reports.models import Deadline, Schedule
from reports.services import deadline_summaries_refresh, schedule_sync_deadlines


class DeadlineInline(admin.TabularInline):
    model = Deadline
    fields = ["sequence", "due_on", "scheduled_on", "state", "delivered_on", "document_symbol"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Schedule)
class ScheduleAdmin(AuditedAdmin):
    """Managers change schedule rules here; the deadlines follow at once."""

    list_display = ["__str__", "obligation", "kind", "every_days", "every_months", "within_days"]
    list_filter = ["kind", "obligation__paragraph__resolution"]
    search_fields = ["label", "obligation__summary", "obligation__key"]
    list_select_related = ["obligation__paragraph__resolution"]
    raw_id_fields = ["obligation", "aligned_to"]
    inlines = [DeadlineInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        schedule_sync_deadlines(
            schedule=obj, by=request.user, note=form.cleaned_data.get("change_note", "")
        )

    # Deleting a schedule deletes its deadlines: their obligation's summary is recounted.

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        deadline_summaries_refresh(obligation_ids=[obj.obligation_id])

    def delete_queryset(self, request, queryset):
        obligation_ids = list(queryset.values_list("obligation_id", flat=True))
        super().delete_queryset(request, queryset)
        deadline_summaries_refresh(obligation_ids=obligation_ids)


class DeadlineAdminForm(AuditedAdminForm):
    class Meta:
        model = Deadline
        fields = [
            "schedule",
            "sequence",
            "due_on",
            "scheduled_on",
            "scheduled_reason",
            "state",
            "delivered_on",
            "document_symbol",
            "waived_reason",
        ]


@admin.register(Deadline)
class DeadlineAdmin(AuditedAdmin):
    form = DeadlineAdminForm
    list_display = [
        "schedule",
        "sequence",
        "due_on",
        "scheduled_on",
        "state",
        "delivered_on",
        "document_symbol",
    ]
    list_filter = ["state", "schedule__kind", "schedule__obligation__owner"]
    search_fields = ["document_symbol", "schedule__label", "schedule__obligation__summary"]
    list_select_related = ["schedule__obligation__paragraph__resolution"]
    raw_id_fields = ["schedule"]
    date_hierarchy = "scheduled_on"

    # Edits here bypass the deadline services, so they move the alert cursor and recount
    # the summaries themselves (of both obligations, when a deadline changes schedule).

    def save_model(self, request, obj, form, change):
        before = list(
            Deadline.objects.filter(pk=obj.pk).values_list("schedule__obligation_id", flat=True)
        )
        obj.refresh_next_alert(now=timezone.now())
        super().save_model(request, obj, form, change)
        deadline_summaries_refresh(obligation_ids=[*before, obj.schedule.obligation_id])

    def delete_model(self, request, obj):
        obligation_id = obj.schedule.obligation_id
        super().delete_model(request, obj)
        deadline_summaries_refresh(obligation_ids=[obligation_id])

    def delete_queryset(self, request, queryset):
        obligation_ids = list(queryset.values_list("schedule__obligation_id", flat=True))
        super().delete_queryset(request, queryset)
        deadline_summaries_refresh(obligation_ids=obligation_ids)
