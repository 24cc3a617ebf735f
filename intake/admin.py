from django.contrib import admin

from intake.models import Draft, DraftProposal


class DraftProposalInline(admin.TabularInline):
    model = DraftProposal
    fields = ["paragraph_number", "decision", "owner_code", "kind", "summary", "obligation"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    """Read-only: drafts are reviewed, accepted and discarded on their page (/import/), where
    acceptance goes through the services; the admin would bypass them."""

    list_display = ["__str__", "status", "filename", "created_by", "created_at", "decided_by"]
    list_filter = ["status", "language"]
    search_fields = ["symbol", "filename", "sha256"]
    list_select_related = ["created_by", "decided_by"]
    inlines = [DraftProposalInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
