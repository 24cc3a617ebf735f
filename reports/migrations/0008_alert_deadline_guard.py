"""The alert ledger's reference to its deadline, kept by the scan and a delete trigger.

A foreign-key constraint checks each inserted alert with a query of its own; for the
thousands of alerts of a first scan that was the most expensive of its writes. The scan
instead inserts alerts in the statement that locks their deadlines, so they exist until it
commits (reports.alerts.scan); this trigger covers the other direction: deleting a
deadline that alerts still name fails, as it did under the constraint. Django deletes a
deadline's alerts (and their deliveries) before the deadline, so deletes through the ORM
and the admin pass. SQLite (`make run`) relies on that cascade alone.
"""

from django.db import migrations, models

CREATE = """
CREATE FUNCTION reports_deadline_keeps_its_alerts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM reports_alert a JOIN gone ON gone.id = a.deadline_id) THEN
        RAISE foreign_key_violation USING
            MESSAGE = 'a deleted deadline is still named by alerts (reports_alert.deadline_id)',
            TABLE = 'reports_alert';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER reports_deadline_keeps_its_alerts
AFTER DELETE ON reports_deadline REFERENCING OLD TABLE AS gone
FOR EACH STATEMENT EXECUTE FUNCTION reports_deadline_keeps_its_alerts();
"""

DROP = """
DROP TRIGGER IF EXISTS reports_deadline_keeps_its_alerts ON reports_deadline;
DROP FUNCTION IF EXISTS reports_deadline_keeps_its_alerts();
"""


def create_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0007_deadline_summary"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alert",
            name="deadline",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="alerts",
                to="reports.deadline",
                verbose_name="deadline",
            ),
        ),
        migrations.RunPython(create_guard, drop_guard),
    ]
