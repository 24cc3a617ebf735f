"""Per-obligation deadline summaries, counted once here for the deadlines that exist.

The counting is written against the historical models (the service that keeps the
summaries afterwards is `reports.services.deadline_summaries_refresh`); the on-time rule
comes from the same expression both use.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, F, Min, Q

from reports.querysets import delivered_late_q, delivered_on_time_q


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
