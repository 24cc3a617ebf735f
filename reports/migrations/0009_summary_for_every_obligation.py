"""A deadline summary for every obligation, and an index for paging in next-deadline order.

The API's `ordering=next_deadline` sorted every obligation on every page (a left join to
the summaries cannot be read in the order of the summaries' index): 40–60 ms a page on
100,000 obligations. With a summary row for every obligation the join is an inner one,
and a page is a range of the index below.

Until now an obligation got its summary with the first write of one of its deadlines
(every write of a deadline recounts its obligation's summary, and 0007 counted the
deadlines that existed), so an obligation without a summary has no deadlines: its row is
all zeros. From here on a trigger writes that row as the obligation is inserted, on
PostgreSQL and on SQLite (`make run`) alike.
"""

import datetime

from django.db import migrations, models
from django.db.models.functions import Coalesce

COLUMNS = "obligation_id, next_deadline, deadlines, open, delivered_on_time, delivered_late, waived"

POSTGRESQL = f"""
CREATE FUNCTION reports_summary_for_new_obligations() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reports_deadlinesummary ({COLUMNS})
    SELECT id, NULL, 0, 0, 0, 0, 0 FROM inserted
    ON CONFLICT (obligation_id) DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER reports_summary_for_new_obligations
AFTER INSERT ON paragraphs_obligation REFERENCING NEW TABLE AS inserted
FOR EACH STATEMENT EXECUTE FUNCTION reports_summary_for_new_obligations();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS reports_summary_for_new_obligations ON paragraphs_obligation;
DROP FUNCTION IF EXISTS reports_summary_for_new_obligations();
"""
SQLITE = f"""
CREATE TRIGGER reports_summary_for_new_obligations
AFTER INSERT ON paragraphs_obligation
BEGIN
    INSERT OR IGNORE INTO reports_deadlinesummary ({COLUMNS})
    VALUES (NEW.id, NULL, 0, 0, 0, 0, 0);
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS reports_summary_for_new_obligations;"


def add_trigger_and_missing_summaries(apps, schema_editor):
    # The trigger first: an obligation inserted while this runs is then covered either way.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE)
    Obligation = apps.get_model("paragraphs", "Obligation")
    DeadlineSummary = apps.get_model("reports", "DeadlineSummary")
    missing = Obligation.objects.filter(deadline_summary__isnull=True).values_list(
        "pk", flat=True
    )
    DeadlineSummary.objects.bulk_create(
        (DeadlineSummary(obligation_id=pk) for pk in missing.iterator()), batch_size=2000
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("paragraphs", "0004_api_tokens"),
        ("reports", "0008_alert_deadline_guard"),
    ]

    operations = [
        # The index first: PostgreSQL builds no index on a table with deferred checks
        # pending, which the summaries inserted below leave until the commit.
        migrations.AddIndex(
            model_name="deadlinesummary",
            index=models.Index(
                Coalesce(models.F("next_deadline"), models.Value(datetime.date(9999, 12, 31))),
                models.F("obligation"),
                name="reports_summary_next_order",
            ),
        ),
        migrations.RunPython(add_trigger_and_missing_summaries, drop_trigger),
    ]
