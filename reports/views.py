"""The analyst workspace: resolution pages, the obligation page and its actions.

Each action view is: access helper → form → one service call → redirect, or the page
again with the form's errors (400), or with the other person's change on a conflict (409).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paragraphs import roles
from paragraphs.exceptions import EditConflict
from paragraphs.models import Resolution
from paragraphs.services import evidence_add, evidence_remove, obligation_update
from reports import access
from reports.enums import TIMING_LABELS
from reports.forms import (
    DEADLINE_ACTION_LABELS,
    DEADLINE_FORMS,
    EvidenceForm,
    EvidenceRemoveForm,
    ObligationAssignForm,
    ObligationProgressForm,
    OverviewFilterForm,
    add_service_errors,
)
from reports.history import changes_since, obligation_history
from reports.selectors import obligation_for_page, preambular_paragraphs, resolution_overview
from reports.services import deadline_deliver, deadline_reschedule, deadline_waive

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
        Resolution.objects.select_related("renews").prefetch_related("references"), pk=pk
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
    for schedule in obligation.schedules.all():
        for deadline in schedule.deadlines.all():
            actions = [
                (
                    name,
                    DEADLINE_ACTION_LABELS[name],
                    bound.get(f"{name}-{deadline.pk}")
                    or form_class(
                        prefix=f"{name}-{deadline.pk}", initial={"version": deadline.version}
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
    form = DEADLINE_FORMS[action](request.POST, prefix=prefix)
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
