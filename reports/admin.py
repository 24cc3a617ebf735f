from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from paragraphs.admin import AuditedAdmin, AuditedAdminForm, ResolutionAdmin
from paragraphs.history import stamp
from paragraphs.models import Resolution
from reports.alerts import admin as alerts_admin  # noqa: F401  (registers the alert models)
from reports.models import Deadline, Schedule
from reports.services import (
    DATE_FIELDS,
    deadline_saved,
    deadlines_delete,
    renewal_link,
    resolution_schedules_sync,
    schedule_save,
    schedules_delete,
)

# Every save and delete here goes through reports.services, so the derived deadline state
# (alert cursors, summaries) follows in the same transaction. Django runs the change and
# delete views in a transaction; the bulk delete action is wrapped by the services.


class DeadlineInline(admin.TabularInline):
    model = Deadline
    fields = ["sequence", "due_on", "scheduled_on", "state", "circulated_on", "document_symbol"]
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
        schedule_save(schedule=obj, by=request.user, note=form.cleaned_data.get("change_note", ""))

    def delete_model(self, request, obj):
        schedules_delete(schedules=Schedule.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        schedules_delete(schedules=queryset)


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
            "dated_on",
            "circulated_on",
            "delivered_by",
            "delivery_evidence",
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
        "circulated_on",
        "document_symbol",
    ]
    list_filter = ["state", "schedule__kind", "schedule__obligation__owner"]
    search_fields = ["document_symbol", "schedule__label", "schedule__obligation__summary"]
    list_select_related = ["schedule__obligation__paragraph__resolution"]
    raw_id_fields = ["schedule"]
    date_hierarchy = "scheduled_on"

    def save_model(self, request, obj, form, change):
        previous = (
            Deadline.objects.filter(pk=obj.pk)
            .values_list("schedule__obligation_id", flat=True)
            .first()
        )
        super().save_model(request, obj, form, change)
        deadline_saved(deadline=obj, previous_obligation_id=previous)

    def delete_model(self, request, obj):
        deadlines_delete(deadlines=Deadline.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        deadlines_delete(deadlines=queryset)


class ResolutionDatesForm(forms.ModelForm):
    def clean(self):
        """The schedules that derive their dates from this resolution must still give a
        sensible set of deadlines with the dates entered (refused here, not halfway
        through the save)."""
        cleaned = super().clean()
        if self.instance.pk is None or not DATE_FIELDS & set(self.changed_data):
            return cleaned
        resolution = Resolution(
            **{f.attname: getattr(self.instance, f.attname) for f in Resolution._meta.fields}
        )
        for name in DATE_FIELDS:
            setattr(resolution, name, cleaned.get(name))
        schedules = Schedule.objects.filter(obligation__paragraph__resolution=self.instance)
        for schedule in schedules.select_related("obligation__paragraph", "aligned_to"):
            schedule.obligation.paragraph.resolution = resolution
            try:
                schedule.check_occurrences()
            except ValidationError as error:
                raise ValidationError(
                    _("With these dates, %(schedule)s: %(error)s")
                    % {"schedule": schedule, "error": " ".join(error.messages)}
                ) from error
            except (TypeError, ValueError):
                raise ValidationError(
                    _("%(schedule)s needs an adoption date and a mandate expiry.")
                    % {"schedule": schedule}
                ) from None
        return cleaned


admin.site.unregister(Resolution)


@admin.register(Resolution)
class ResolutionDatesAdmin(ResolutionAdmin):
    """The resolution admin, whose saves move the deadlines when the dates they derive
    from (adoption, mandate expiry) change."""

    form = ResolutionDatesForm

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        stamp(obj, by=request.user, note=_("Changed in the admin."))
        super().save_model(request, obj, form, change)
        if change and DATE_FIELDS & set(form.changed_data):
            resolution_schedules_sync(resolution=obj, by=request.user)
        if "renews" in form.changed_data and obj.renews_id:
            renewal_link(obj, by=request.user)
