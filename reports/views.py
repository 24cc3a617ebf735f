"""The analyst workspace: resolution pages, the obligation page and its actions.

Each action view is: access helper → form → one service call → redirect, or the page
again with the form's errors (400), or with the other person's change on a conflict (409).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paragraphs import roles
from paragraphs.exceptions import EditConflict
from paragraphs.models import Mandate, Paragraph, Resolution
from paragraphs.services import evidence_add, evidence_remove, obligation_update
from reports import access, mandates, renewals
from reports import schedule as rules
from reports.enums import TIMING_LABELS
from reports.forms import (
    DEADLINE_ACTION_LABELS,
    DEADLINE_FORMS,
    EvidenceForm,
    EvidenceRemoveForm,
    ObligationAssignForm,
    ObligationCarryForwardForm,
    ObligationCloseForm,
    ObligationProgressForm,
    OverviewFilterForm,
    ResolutionRecordForm,
    add_service_errors,
)
from reports.history import changes_since, obligation_history
from reports.selectors import obligation_for_page, preambular_paragraphs, resolution_overview
from reports.services import (
    deadline_deliver,
    deadline_reschedule,
    deadline_waive,
    deadlines_on_the_same_cycle,
)

DEADLINE_ACTIONS = {
    "deliver": deadline_deliver,
    "reschedule": deadline_reschedule,
    "waive": deadline_waive,
}


@access.viewer_required
def home(request):
    """One resolution: show it. Several: list them."""
    resolutions = list(Resolution.objects.filter(paragraphs__isnull=False).distinct())
    if len(resolutions) == 1:
        return redirect("reports:resolution", pk=resolutions[0].pk)
    return render(request, "reports/resolution_list.html", {"resolutions": resolutions})


@access.viewer_required
def resolution_detail(request, pk: int):
    resolution = get_object_or_404(
        Resolution.objects.select_related("renews", "mandate").prefetch_related("references"),
        pk=pk,
    )
    today = timezone.localdate()
    filters = OverviewFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    context = {
        "resolution": resolution,
        "preambular": preambular_paragraphs(resolution),
        "paragraphs": resolution_overview(resolution, today=today, **criteria),
        "filters": filters,
        "filtered": any(criteria.values()),
        "today": today,
    }
    status = 400 if filters.is_bound and not filters.is_valid() else 200
    return render(request, "reports/resolution_detail.html", context, status=status)


def _obligation_page(request, pk: int, *, status: int = 200, conflict=None, **bound):
    """The obligation page; `bound` replaces the blank form of the same name."""
    obligation = obligation_for_page(pk)
    today = timezone.localdate()
    version = {"version": obligation.version}
    deadlines = []
    companions = deadlines_on_the_same_cycle(
        [d for s in obligation.schedules.all() for d in s.deadlines.all() if d.state == "open"]
    )
    for schedule in obligation.schedules.all():
        for deadline in schedule.deadlines.all():
            actions = [
                (
                    name,
                    DEADLINE_ACTION_LABELS[name],
                    bound.get(f"{name}-{deadline.pk}")
                    or form_class(
                        prefix=f"{name}-{deadline.pk}",
                        initial={"version": deadline.version},
                        companions=companions.get(deadline.pk, ()),
                    ),
                )
                for name, form_class in DEADLINE_FORMS.items()
            ]
            timing = deadline.timing(today)
            deadlines.append(
                {
                    "deadline": deadline,
                    "timing": timing,
                    "timing_label": TIMING_LABELS[timing],
                    "actions": actions,
                }
            )
    user = request.user
    context = {
        "obligation": obligation,
        "deadlines": deadlines,
        "history": obligation_history(obligation),
        "today": today,
        "period_ended": rules.period_ended(
            obligation.paragraph.resolution.mandate_expires_on, today
        ),
        "conflict": conflict,
        "can_edit": roles.can_edit_obligations(user),
        "can_assign": roles.can_assign(user),
        "progress_form": bound.get("progress")
        or ObligationProgressForm(
            obligation=obligation,
            initial={**version, "status": obligation.status, "note": obligation.note},
        ),
        "assign_form": bound.get("assign")
        or ObligationAssignForm(
            initial={
                **version,
                "owner": obligation.owner_id,
                "assigned_analyst": obligation.assigned_analyst_id,
            }
        ),
        "evidence_form": bound.get("evidence") or EvidenceForm(),
    }
    return render(request, "reports/obligation_detail.html", context, status=status)


@login_required
def obligation_detail(request, pk: int):
    access.get_obligation_for_user(request.user, pk)
    return _obligation_page(request, pk)


def _conflict(request, pk: int, error: EditConflict, form, form_name: str):
    """Keep the user's input, show what the other person saved, and let them save again."""
    data = form.data.copy()
    data[form.add_prefix("version")] = error.current.version
    form.data = data
    form.add_error(
        None,
        _(
            "Someone else saved this after you opened it. Your input is kept below: "
            "review their change, then save again."
        ),
    )
    conflict = {"entries": changes_since(error.current, form.cleaned_data["version"])}
    return _obligation_page(request, pk, status=409, conflict=conflict, **{form_name: form})


def _save_obligation(request, obligation, form, form_name: str, fields: list[str], message: str):
    """Validate `form`, pass `fields` and its history note to obligation_update, answer."""
    if form.is_valid():
        try:
            obligation_update(
                obligation=obligation,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                **{name: form.cleaned_data[name] for name in fields},
            )
        except EditConflict as error:
            return _conflict(request, obligation.pk, error, form, form_name)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(obligation)
    return _obligation_page(request, obligation.pk, status=400, **{form_name: form})


@login_required
@require_POST
def obligation_progress(request, pk: int):
    obligation = access.get_obligation_for_user(request.user, pk, write=True)
    form = ObligationProgressForm(request.POST, obligation=obligation)
    return _save_obligation(
        request, obligation, form, "progress", ["status", "note"], _("Progress saved.")
    )


@login_required
@require_POST
def obligation_assign(request, pk: int):
    obligation = access.get_obligation_for_user(request.user, pk, assign=True)
    form = ObligationAssignForm(request.POST)
    return _save_obligation(
        request, obligation, form, "assign", ["owner", "assigned_analyst"], _("Assignment saved.")
    )


@login_required
@require_POST
def evidence_create(request, pk: int):
    obligation = access.get_obligation_for_user(request.user, pk, write=True)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            evidence_add(obligation=obligation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Evidence added."))
            return redirect(obligation)
    return _obligation_page(request, pk, status=400, evidence=form)


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = access.get_evidence_for_user(request.user, pk)
    obligation = evidence.obligation
    form = EvidenceRemoveForm(request.POST)
    if form.is_valid():
        evidence_remove(evidence=evidence, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Evidence removed; the history keeps it."))
    else:
        messages.error(request, _("Give a reason to remove evidence."))
    return redirect(obligation)


@login_required
@require_POST
def deadline_action(request, pk: int, action: str):
    deadline = access.get_deadline_for_user(request.user, pk)
    obligation = deadline.schedule.obligation
    prefix = f"{action}-{deadline.pk}"
    companions = deadlines_on_the_same_cycle([deadline])[deadline.pk]
    form = DEADLINE_FORMS[action](request.POST, prefix=prefix, companions=companions)
    if form.is_valid():
        arguments = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            DEADLINE_ACTIONS[action](
                deadline=deadline,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **arguments,
            )
        except EditConflict as error:
            return _conflict(request, obligation.pk, error, form, prefix)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Deadline updated."))
            return redirect(obligation)
    return _obligation_page(request, obligation.pk, status=400, **{prefix: form})


# Mandates: their chain of resolutions, and what an ended period leaves to settle.


@access.viewer_required
def mandate_list(request):
    today = timezone.localdate()
    context = {
        "mandates": mandates.mandates_overview(today),
        "today": today,
        "can_record": roles.can_edit_obligations(request.user),
    }
    return render(request, "reports/mandate_list.html", context)


@access.viewer_required
def mandate_detail(request, code: str):
    mandate = get_object_or_404(Mandate, code=code)
    return _mandate_page(request, mandate)


def _mandate_page(request, mandate, *, status: int = 200, bound=None):
    today = timezone.localdate()
    chain = mandates.mandate_chain(mandate, today)
    ended = mandates.ended_open_obligations(mandate, today)
    bound = bound or {}
    for item in ended:
        pk = item.obligation.pk
        item.carry_form = bound.get(("carry", pk)) or ObligationCarryForwardForm(
            prefix=f"carry-{pk}", paragraphs=item.paragraphs
        )
        item.close_form = bound.get(("close", pk)) or ObligationCloseForm(prefix=f"close-{pk}")
    context = {
        "mandate": mandate,
        "chain": chain,
        "timeline": mandates.timeline(mandate, chain, today),
        "to_reconcile": mandates.to_reconcile(mandate, today),
        "ended": ended,
        "today": today,
        "can_edit": roles.can_edit_obligations(request.user),
    }
    return render(request, "reports/mandate_detail.html", context, status=status)


def _mandate_of(obligation) -> Mandate:
    mandate = obligation.paragraph.resolution.mandate
    if mandate is None:
        raise Http404(_("This obligation's resolution belongs to no mandate."))
    return mandate


@login_required
@require_POST
def obligation_carry_forward(request, pk: int):
    obligation = access.get_obligation_for_user(request.user, pk, write=True)
    mandate = _mandate_of(obligation)
    paragraphs = Paragraph.objects.filter(
        resolution__renews=obligation.paragraph.resolution_id
    ).select_related("resolution")
    form = ObligationCarryForwardForm(request.POST, prefix=f"carry-{pk}", paragraphs=paragraphs)
    if form.is_valid():
        try:
            carried = renewals.obligation_carry_forward(
                obligation=obligation, paragraph=form.cleaned_data["paragraph"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Carried forward. Check its schedules here."))
            return redirect(carried)
    return _mandate_page(request, mandate, status=400, bound={("carry", pk): form})


@login_required
@require_POST
def obligation_close(request, pk: int):
    obligation = access.get_obligation_for_user(request.user, pk, write=True)
    mandate = _mandate_of(obligation)
    form = ObligationCloseForm(request.POST, prefix=f"close-{pk}")
    if form.is_valid():
        try:
            renewals.obligation_close(
                obligation=obligation, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Obligation closed; the reason is in its history."))
            return redirect(mandate)
    return _mandate_page(request, mandate, status=400, bound={("close", pk): form})


@access.viewer_required
def resolution_record(request):
    """Record a resolution by its facts, without its text (a renewal, say)."""
    if not roles.can_edit_obligations(request.user):
        raise PermissionDenied(_("Your role may read but not record resolutions."))
    form = ResolutionRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resolution = renewals.resolution_record(
                number=data["number"],
                year=data["year"],
                adopted_on=data["adopted_on"],
                meeting_number=data["meeting_number"],
                title=data["title"],
                mandate=data["new_mandate"] or data["mandate"],
                mandate_expires_on=data["mandate_expires_on"],
                renews=data["renews"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(symbol)s recorded.") % {"symbol": resolution.symbol})
            if resolution.mandate:
                return redirect(resolution.mandate)
            return redirect("reports:mandates")
    status = 400 if form.is_bound else 200
    return render(request, "reports/resolution_record.html", {"form": form}, status=status)
