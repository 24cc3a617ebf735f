"""The inbox and the alert settings page: access check, form, one service call, redirect."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paragraphs import roles
from reports.access import viewer_required
from reports.alerts import selectors, services
from reports.alerts.forms import PreferenceForm, SubscriptionForm, WebhookForm
from reports.alerts.models import AlertDelivery, Subscription, Webhook
from reports.alerts.wording import headline

INBOX_PAGE_SIZE = 50


@viewer_required
def inbox(request):
    page = Paginator(selectors.inbox_for_user(request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for item in page:
        item.headline = headline(item.alert)
    return render(request, "reports/alerts/inbox.html", {"page": page})


@require_POST
@viewer_required
def inbox_read(request, pk: int):
    try:
        services.inbox_mark_read(user=request.user, delivery_id=pk)
    except AlertDelivery.DoesNotExist as error:
        raise Http404 from error
    return redirect("reports:inbox")


@require_POST
@viewer_required
def inbox_read_all(request):
    services.inbox_mark_all_read(user=request.user)
    return redirect("reports:inbox")


def _settings_page(request, *, status: int = 200, **forms):
    """The alert settings page; a form passed in (with its errors) replaces the blank one."""
    user = request.user
    preference = selectors.preference_for(user)
    may_hook = roles.can_manage_webhooks(user)
    context = {
        "subscriptions": selectors.subscriptions_for_user(user),
        "subscription_form": forms.get("subscription_form") or SubscriptionForm(),
        "preference_form": forms.get("preference_form")
        or PreferenceForm(initial={"digest": preference.digest, "language": preference.language}),
        "may_manage_webhooks": may_hook,
        "webhooks": selectors.webhooks_for_user(user) if may_hook else [],
        "webhook_log": selectors.webhook_log_for_user(user) if may_hook else [],
        "webhook_form": forms.get("webhook_form") or WebhookForm(),
        "webhook_tolerance": settings.ALERT_WEBHOOK_TOLERANCE_SECONDS,
    }
    return render(request, "reports/alerts/subscriptions.html", context, status=status)


@viewer_required
def subscriptions(request):
    if request.method != "POST":
        return _settings_page(request)
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        try:
            services.subscription_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Subscription added."))
            return redirect("reports:subscriptions")
    return _settings_page(request, status=400, subscription_form=form)


@require_POST
@viewer_required
def subscription_remove(request, pk: int):
    try:
        services.subscription_delete(user=request.user, subscription_id=pk)
    except Subscription.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("Subscription removed."))
    return redirect("reports:subscriptions")


@require_POST
@viewer_required
def preferences(request):
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.alert_preference_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Preferences saved."))
        return redirect("reports:subscriptions")
    return _settings_page(request, status=400, preference_form=form)


@require_POST
@viewer_required
def webhook_add(request):
    if not roles.can_manage_webhooks(request.user):
        raise PermissionDenied
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            services.webhook_create(owner=request.user, url=form.cleaned_data["url"])
        except ValidationError as error:
            form.add_error("url", error.messages)
        else:
            messages.success(request, _("Webhook added."))
            return redirect("reports:subscriptions")
    return _settings_page(request, status=400, webhook_form=form)


@require_POST
@viewer_required
def webhook_remove(request, pk: int):
    if not roles.can_manage_webhooks(request.user):
        raise PermissionDenied
    try:
        services.webhook_delete(owner=request.user, webhook_id=pk)
    except Webhook.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("Webhook removed."))
    return redirect("reports:subscriptions")
