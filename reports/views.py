from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from paragraphs.models import Resolution
from reports.selectors import resolution_overview


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
