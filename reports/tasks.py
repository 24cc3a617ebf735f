"""Celery tasks: thin adapters from the broker to plain functions that tests call directly."""

from celery import shared_task
from django.utils import timezone

from reports.alerts import channels, clock, dispatch


@shared_task(name=clock.SCAN_TASK, ignore_result=True)
def scan_deadlines() -> None:
    """The beat's tick: scan, fan out and dispatch as of now."""
    clock.tick(now=timezone.now())


# acks_late: a message whose worker dies mid-way goes back to the queue; sending is
# guarded by the delivery rows, so a second run sends only what is still pending.
@shared_task(name=dispatch.SEND_TASK, ignore_result=True, acks_late=True)
def send_deliveries(delivery_ids: list[int]) -> None:
    channels.send(delivery_ids)
