"""One read path and one owner of derived deadline state.

- The stored JSON of obligations (0010) goes: the API renders every row it sends.
- The alert ledger's reference to its deadline is a foreign-key constraint again, in place
  of the delete trigger of 0008.
- Obligations no longer get a zero summary from a trigger (0009): the summary's one owner,
  `reports.services.obligation_deadlines_refresh`, writes it; reads outer-join it. The
  index for paging over the summaries in next-deadline order goes with the inner join.
"""

import django.db.models.deletion
from django.db import migrations, models

DROP_POSTGRESQL = """
DROP TRIGGER IF EXISTS reports_deadline_keeps_its_alerts ON reports_deadline;
DROP FUNCTION IF EXISTS reports_deadline_keeps_its_alerts();
DROP TRIGGER IF EXISTS reports_summary_for_new_obligations ON paragraphs_obligation;
DROP FUNCTION IF EXISTS reports_summary_for_new_obligations();
"""
DROP_SQLITE = "DROP TRIGGER IF EXISTS reports_summary_for_new_obligations;"


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_POSTGRESQL)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP_SQLITE)


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0010_obligation_json"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="obligationjson",
            name="obligation",
        ),
        migrations.DeleteModel(
            name="ObligationJsonGeneration",
        ),
        migrations.DeleteModel(
            name="ObligationJson",
        ),
        migrations.RemoveIndex(
            model_name="deadlinesummary",
            name="reports_summary_next_order",
        ),
        migrations.AlterField(
            model_name="alert",
            name="deadline",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="alerts",
                to="reports.deadline",
                verbose_name="deadline",
            ),
        ),
    ]
