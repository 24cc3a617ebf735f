"""Per-obligation deadline summaries, counted once here for the deadlines that exist.

The counting is written against the historical models, with the on-time rule of the
time written out here (the service that keeps the summaries afterwards is
`reports.services.obligation_deadlines_refresh`).
"""

import django.db.models.deletion
import datetime

from django.db import migrations, models
from django.db.models import Case, Count, DateField, F, Min, Q, When
from django.db.models.functions import Cast, ExtractIsoWeekDay
from django.db.models.lookups import Exact


def _next_working_day():
    """The scheduled date, or the Monday after a weekend one (the rule of this time)."""
    weekday = ExtractIsoWeekDay("scheduled_on")
    return Case(
        When(Exact(weekday, 6), then=Cast(F("scheduled_on") + datetime.timedelta(days=2), DateField())),
        When(Exact(weekday, 7), then=Cast(F("scheduled_on") + datetime.timedelta(days=1), DateField())),
        default=F("scheduled_on"),
        output_field=DateField(),
    )


def delivered_on_time_q():
    return Q(state="delivered", delivered_on__lte=_next_working_day())


def delivered_late_q():
    return Q(state="delivered", delivered_on__gt=_next_working_day())


def count_existing(apps, schema_editor):
    Deadline = apps.get_model("reports", "Deadline")
    DeadlineSummary = apps.get_model("reports", "DeadlineSummary")
    rows = (
        Deadline.objects.order_by()
        .values(obligation_id=F("schedule__obligation_id"))
        .annotate(
            next_deadline=Min("scheduled_on", filter=Q(state="open")),
            deadlines=Count("id"),
            open=Count("id", filter=Q(state="open")),
            delivered_on_time=Count("id", filter=delivered_on_time_q()),
            delivered_late=Count("id", filter=delivered_late_q()),
            waived=Count("id", filter=Q(state="waived")),
        )
    )
    DeadlineSummary.objects.bulk_create(
        (DeadlineSummary(**row) for row in rows), batch_size=2000
    )


class Migration(migrations.Migration):

    dependencies = [
        ('paragraphs', '0004_api_tokens'),
        ('reports', '0006_deadline_schedule_no_extra_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='DeadlineSummary',
            fields=[
                ('obligation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='deadline_summary', serialize=False, to='paragraphs.obligation', verbose_name='obligation')),
                ('next_deadline', models.DateField(blank=True, db_index=True, help_text='The earliest scheduled date among its open deadlines.', null=True, verbose_name='next deadline')),
                ('deadlines', models.PositiveIntegerField(default=0, verbose_name='deadlines')),
                ('open', models.PositiveIntegerField(default=0, verbose_name='open')),
                ('delivered_on_time', models.PositiveIntegerField(default=0, verbose_name='delivered on time')),
                ('delivered_late', models.PositiveIntegerField(default=0, verbose_name='delivered late')),
                ('waived', models.PositiveIntegerField(default=0, verbose_name='waived')),
            ],
            options={
                'verbose_name': 'deadline summary',
                'verbose_name_plural': 'deadline summaries',
            },
        ),
        migrations.RunPython(count_existing, migrations.RunPython.noop, elidable=True),
    ]
