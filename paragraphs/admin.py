from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from paragraphs.enums import ObligationStatus
from paragraphs.history import stamp
from paragraphs.models import (
    Actor,
    ApiToken,
    Evidence,
    Mandate,
    Obligation,
    Paragraph,
    ParagraphText,
    Resolution,
)
from paragraphs.roles import ROLE_LABELS, set_role
from paragraphs.services import _check_transition, api_token_revoke, obligation_update


class AuditedAdminForm(forms.ModelForm):
    """Admin forms ask why, so admin edits carry a note in the history like every other write.

    For objects with a `version` (obligations, deadlines) the form carries the version the
    user opened, and saving locks the row and refuses if someone saved it meanwhile, as the
    services do. The admin's change view runs in one transaction, so the lock taken here
    holds until the save commits.
    """

    change_note = forms.CharField(
        label=_("Note for the history"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.versioned = self.instance.pk is not None and hasattr(self.instance, "version")
        if self.versioned:
            self.initial.setdefault("opened_version", self.instance.version)
        self.locked_version = None

    def clean(self):
        cleaned = super().clean()
        if self.versioned:
            model = type(self.instance)
            self.locked_version = (
                model.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned.get("opened_version") != self.locked_version:
                raise ValidationError(
                    _(
                        "Someone else saved this after you opened it. Nothing was saved: "
                        "reload the page to see their change, then edit again."
                    ),
                    code="edit_conflict",
                )
        return cleaned


class NoRevertHistoryAdmin(SimpleHistoryAdmin):
    """History may be read in the admin but never reverted: a revert would write an old
    row back past the services (lowering a version, skipping the status rules and the
    derived deadline state). To undo a change, make the opposite change."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied(_("History cannot be reverted here."))
        return super().history_form_view(request, object_id, version_id, extra_context)


class AuditedAdmin(NoRevertHistoryAdmin):
    form = AuditedAdminForm

    def save_model(self, request, obj, form, change):
        if change and form.locked_version is not None:
            obj.version = form.locked_version + 1  # versions only go up
        stamp(obj, by=request.user, note=form.cleaned_data.get("change_note", ""))
        super().save_model(request, obj, form, change)


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = [
        "symbol",
        "adopted_on",
        "meeting_number",
        "mandate",
        "mandate_expires_on",
        "renews",
    ]
    list_filter = ["year", "mandate"]
    search_fields = ["symbol", "title", "mandate__code", "mandate__name"]
    list_select_related = ["mandate", "renews"]
    filter_horizontal = ["references"]
    raw_id_fields = ["renews"]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class ParagraphTextInline(admin.TabularInline):
    """Read-only: a text changes through an import, which shows the difference and keeps
    the history; the admin would change it silently."""

    model = ParagraphText
    fields = ["language", "lead_verb", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    inlines = [ParagraphTextInline]
    list_display = ["__str__", "kind", "verb_category"]
    list_filter = ["resolution", "kind", "verb_category"]
    search_fields = ["texts__text", "summary_en", "texts__lead_verb"]
    list_select_related = ["resolution"]
    filter_horizontal = ["cites"]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "abbreviation", "code"]
    search_fields = ["name_en", "name_zh", "abbreviation", "code"]


class ObligationAdminForm(AuditedAdminForm):
    class Meta:
        model = Obligation
        fields = [
            "paragraph",
            "key",
            "summary",
            "owner",
            "contributors",
            "kind",
            "status",
            "note",
            "assigned_analyst",
        ]

    def clean_status(self):
        status = self.cleaned_data["status"]
        old = self.initial.get("status")
        if self.instance.pk and old and status != old:
            try:
                _check_transition(old, status)
            except ValidationError as error:
                raise ValidationError(error.message_dict["status"]) from error
        return status


def _bulk_status_action(status: ObligationStatus):
    def action(modeladmin, request, queryset):
        done = 0
        for obligation in queryset:
            try:
                obligation_update(
                    obligation=obligation,
                    by=request.user,
                    status=status,
                    reason=_("Admin bulk action"),
                )
                done += 1
            except ValidationError as error:
                modeladmin.message_user(
                    request, f"{obligation}: {' '.join(error.messages)}", level=messages.WARNING
                )
        modeladmin.message_user(
            request,
            ngettext("%(count)d obligation updated.", "%(count)d obligations updated.", done)
            % {"count": done},
        )

    action.__name__ = f"mark_{status.value}"
    action.short_description = format_lazy(_("Mark selected as “{status}”"), status=status.label)
    action.allowed_permissions = ("change",)
    return action


@admin.register(Obligation)
class ObligationAdmin(AuditedAdmin):
    form = ObligationAdminForm
    list_display = [
        "paragraph",
        "summary",
        "owner",
        "kind",
        "status",
        "assigned_analyst",
        "updated_at",
    ]
    list_filter = ["status", "kind", "owner", "paragraph__resolution"]
    search_fields = ["summary", "note", "key", "paragraph__texts__text"]
    list_select_related = ["paragraph__resolution", "owner", "assigned_analyst"]
    autocomplete_fields = ["owner", "contributors"]
    raw_id_fields = ["paragraph", "assigned_analyst"]
    # Closing an ended period's obligation takes a reason (reports.renewals), not a bulk action.
    actions = [
        _bulk_status_action(status)
        for status in ObligationStatus
        if status != ObligationStatus.CLOSED
    ]


@admin.register(Evidence)
class EvidenceAdmin(NoRevertHistoryAdmin):
    list_display = ["obligation", "document_symbol", "url", "dated", "added_by", "added_at"]
    search_fields = ["document_symbol", "url", "note", "obligation__summary"]
    list_select_related = ["obligation__paragraph__resolution", "added_by"]
    raw_id_fields = ["obligation", "added_by"]


def _grant_role_action(role: str):
    def action(modeladmin, request, queryset):
        for user in queryset:
            set_role(user, role)
        modeladmin.message_user(
            request,
            _("%(count)d users are now %(role)s.")
            % {"count": len(queryset), "role": ROLE_LABELS[role]},
        )

    action.__name__ = f"grant_{role}"
    action.short_description = format_lazy(
        _("Make the selected users {role}"), role=ROLE_LABELS[role]
    )
    action.allowed_permissions = ("change",)
    return action


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class RoleUserAdmin(UserAdmin):
    """The stock user admin, plus actions that give users one of the three roles."""

    actions = [_grant_role_action(role) for role in ROLE_LABELS]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only record of tokens, with a revoke action.

    Tokens are created through the API or `manage.py create_api_token`, which show the
    token once; the admin never sees it, only its prefix.
    """

    list_display = [
        "name",
        "prefix",
        "user",
        "read_only",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["read_only", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user", "created_by"]
    readonly_fields = [
        "name",
        "prefix",
        "user",
        "read_only",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Revoked tokens stay, so "who could call the API as whom, and until when" is kept.
        return False

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        done = 0
        for token in queryset.filter(revoked_at=None):
            api_token_revoke(token=token, by=request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", done)
            % {"count": done},
        )
