"""Migration 0007 moves each paragraph's Chinese text and lead verb to its text in Chinese,
and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("paragraphs", "0006_history_api_token")]
AFTER = [("paragraphs", "0007_paragraph_texts")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_texts_move_to_paragraph_texts_and_back():
    old = _migrate(BEFORE)
    resolution = old.get_model("paragraphs", "Resolution").objects.create(
        symbol="S/RES/9990 (2030)", number=9990, year=2030
    )
    old.get_model("paragraphs", "Paragraph").objects.create(
        resolution=resolution,
        kind="operative",
        position=1,
        number=1,
        text_zh="请秘书长在 30 天内提交报告；",
        lead_verb="请",
    )

    new = _migrate(AFTER)
    (text,) = new.get_model("paragraphs", "ParagraphText").objects.values_list(
        "language", "text", "lead_verb"
    )
    back = _migrate(BEFORE)
    paragraph = back.get_model("paragraphs", "Paragraph").objects.get()
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # every app, latest

    assert text == ("zh", "请秘书长在 30 天内提交报告；", "请")
    assert (paragraph.text_zh, paragraph.lead_verb) == ("请秘书长在 30 天内提交报告；", "请")
