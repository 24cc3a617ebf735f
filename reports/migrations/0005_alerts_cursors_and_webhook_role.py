"""Starts the alert cursor of every open deadline, and lets managers add webhooks.

Cursors start now: moments that passed before alerts existed are not raised late, so an
upgrade never floods anyone. The permission list is written out, as in 0002.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

from reports.alerts import rules

MANAGER_PERMISSIONS = ["add_webhook", "delete_webhook"]


def start_cursors(apps, schema_editor):
    Deadline = apps.get_model("reports", "Deadline")
    now = timezone.now()
    zone = timezone.get_default_timezone()
    for deadline in Deadline.objects.filter(state="open").select_related("schedule"):
        plan = rules.AlertPlan(
            scheduled_on=deadline.scheduled_on,
            zone=zone,
            lead_days=rules.normalise_lead_days(deadline.schedule.lead_days),
            overdue_every_days=deadline.schedule.overdue_every_days,
        )
        deadline.next_alert_at = rules.next_moment(plan, after=now, inclusive=True)
        deadline.save(update_fields=["next_alert_at"])


def grant_webhooks(apps, schema_editor):
    app_config = apps.get_app_config("reports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    manager = Group.objects.filter(name="manager").first()
    if manager is not None:
        manager.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="reports", codename__in=MANAGER_PERMISSIONS
            )
        )


def revoke_webhooks(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="manager"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="reports", codename__in=MANAGER_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_alerts")]

    operations = [
        migrations.RunPython(start_cursors, migrations.RunPython.noop),
        migrations.RunPython(grant_webhooks, revoke_webhooks),
    ]
