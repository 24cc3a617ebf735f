"""Importing a resolution in the browser: upload or paste, review the draft, accept.

Each view is: access helper → form → one service call → redirect, or the page again with
the errors (400). Plain forms: everything works without JavaScript.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intake import access, services
from intake.errors import IntakeError
from intake.forms import AcceptForm, ImportForm, ProposalForm, actors_for_forms
from intake.models import Decision, DraftProposal
from intake.selectors import draft_plan, drafts_for_list
from paragraphs import roles
from reports.access import viewer_required
from reports.forms import add_service_errors

RECENT_DRAFTS = 30


@viewer_required
def intake_home(request):
    """The import form (analysts and managers) and the latest drafts."""
    form = None
    status = 200
    if request.method == "POST":
        access.require_importer(request.user)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                draft = services.draft_create(
                    by=request.user,
                    data=upload.read() if upload else None,
                    text=None if upload else form.cleaned_data["text"],
                    filename=upload.name if upload else "",
                    language=form.cleaned_data["language"] or None,
                )
            except IntakeError as error:
                form.add_error("file" if upload else "text", error.message)
            else:
                return redirect(draft)
        status = 400
    elif roles.can_import_resolutions(request.user):
        form = ImportForm()
    context = {"form": form, "drafts": drafts_for_list()[:RECENT_DRAFTS]}
    return render(request, "intake/home.html", context, status=status)


def _draft_page(request, draft, *, status=200, proposal_form=None, accept_form=None):
    plan = draft_plan(draft)
    can_decide = draft.is_open and roles.can_import_resolutions(request.user)
    proposals = []
    if draft.proposals.exists():
        actors = actors_for_forms()
        for proposal in draft.proposals.all():
            bound = proposal_form if proposal_form and proposal_form.proposal == proposal else None
            proposals.append((proposal, bound or ProposalForm(proposal=proposal, actors=actors)))
    due_dates = {
        q["key"]: q["due_dates"] for p in draft.reading["operative"] for q in p["proposals"]
    }
    by_paragraph = {}
    for proposal, form in proposals:
        proposal.due_dates_read = due_dates.get(proposal.key, [])
        by_paragraph.setdefault(proposal.paragraph_number, []).append((proposal, form))
    operative = [(p, by_paragraph.get(p["number"], [])) for p in draft.reading["operative"]]
    changes = [(c, services.texts.describe(c)) for c in plan.pending_changes]
    context = {
        "draft": draft,
        "plan": plan,
        "reading": draft.reading,
        "operative": operative,
        "changes": changes,
        "pending": sum(1 for p, _f in proposals if p.decision == Decision.PENDING),
        "can_decide": can_decide,
        "accept_form": accept_form or AcceptForm(),
    }
    return render(request, "intake/draft_detail.html", context, status=status)


@viewer_required
def draft_detail(request, pk: int):
    return _draft_page(request, access.get_draft_for_user(request.user, pk))


@require_POST
@viewer_required
def proposal_update(request, pk: int):
    proposal = get_object_or_404(DraftProposal.objects.select_related("draft"), pk=pk)
    draft = access.get_draft_for_user(request.user, proposal.draft_id, write=True)
    form = ProposalForm(request.POST, proposal=proposal, actors=actors_for_forms())
    if form.is_valid():
        try:
            services.draft_proposal_update(
                proposal=proposal, by=request.user, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Proposal saved."))
            return redirect(f"{draft.get_absolute_url()}#proposal-{proposal.pk}")
    return _draft_page(request, draft, status=400, proposal_form=form)


@require_POST
@viewer_required
def draft_accept(request, pk: int):
    draft = access.get_draft_for_user(request.user, pk, write=True)
    plan = draft_plan(draft)
    form = AcceptForm(request.POST, change_ids=[c.id for c in plan.pending_changes])
    if form.is_valid():
        try:
            draft = services.draft_accept(
                draft=draft,
                by=request.user,
                confirmed=set(form.cleaned_data["change"]),
                accept_pending=form.cleaned_data["accept_pending"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft accepted. %(applied)s") % {"applied": " ".join(draft.applied[:3])},
            )
            return redirect("reports:resolution", pk=draft.resolution_id)
    return _draft_page(request, draft, status=400, accept_form=form)


@require_POST
@viewer_required
def draft_discard(request, pk: int):
    draft = access.get_draft_for_user(request.user, pk, write=True)
    try:
        services.draft_discard(draft=draft, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _draft_page(request, draft, status=400)
    messages.success(request, _("Draft discarded; nothing was applied."))
    return redirect("intake:home")
