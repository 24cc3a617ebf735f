from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from paragraphs.models import Obligation, Resolution
from reports.history import obligation_history
from reports.selectors import obligation_for_page, resolution_overview


@login_required
def home(request):
    """One resolution: show it. Several: list them."""
    resolutions = list(Resolution.objects.filter(paragraphs__isnull=False).distinct())
    if len(resolutions) == 1:
        return redirect("reports:resolution", pk=resolutions[0].pk)
    return render(request, "reports/resolution_list.html", {"resolutions": resolutions})


@login_required
def resolution_detail(request, pk: int):
    resolution = get_object_or_404(
        Resolution.objects.select_related("renews").prefetch_related("references"), pk=pk
    )
    today = timezone.localdate()
    context = {
        "resolution": resolution,
        "paragraphs": resolution_overview(resolution, today=today),
        "today": today,
    }
    return render(request, "reports/resolution_detail.html", context)


@login_required
def obligation_detail(request, pk: int):
    try:
        obligation = obligation_for_page(pk)
    except Obligation.DoesNotExist as error:
        raise Http404 from error
    today = timezone.localdate()
    deadlines = [
        (deadline, deadline.timing(today))
        for schedule in obligation.schedules.all()
        for deadline in schedule.deadlines.all()
    ]
    context = {
        "obligation": obligation,
        "deadlines": deadlines,
        "history": obligation_history(obligation),
        "today": today,
    }
    return render(request, "reports/obligation_detail.html", context)
