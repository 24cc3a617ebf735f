import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paragraphs.enums import ParagraphKind
from paragraphs.models import Paragraph, Resolution

SEED = Path(__file__).resolve().parents[2] / "paragraphs" / "data" / "s-res-2692-2023.zh.txt"

OTHER_RESOLUTION = """
第 2701(2023)号决议

2023 年 10 月 19 日 安全理事会第 9999 次会议通过

安全理事会,

回顾其第 2692(2023)号决议,

**欢迎**会员国的支持,

1．**决定**延长措施;
2．**请**秘书长在 60 天内提交报告;
"""


def _import(path: Path) -> str:
    out = io.StringIO()
    call_command("import_resolution", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_seed_creates_26_preambular_and_19_operative():
    _import(SEED)

    resolution = Resolution.objects.get(number=2692)
    paragraphs = Paragraph.objects.filter(resolution=resolution)
    assert resolution.symbol == "S/RES/2692 (2023)"
    assert str(resolution.adopted_on) == "2023-07-14"
    assert resolution.meeting_number == 9377
    assert paragraphs.filter(kind=ParagraphKind.PREAMBULAR).count() == 26
    assert list(
        paragraphs.filter(kind=ParagraphKind.OPERATIVE).values_list("number", flat=True)
    ) == list(range(1, 20))


@pytest.mark.django_db
def test_import_seed_records_lead_verbs_and_categories():
    _import(SEED)

    operative = Paragraph.objects.filter(kind=ParagraphKind.OPERATIVE).order_by("number")
    verbs = [(p.lead_verb, p.verb_category) for p in operative]
    assert verbs[0] == ("决定", "decides")
    assert verbs[1] == ("还决定", "decides")
    assert verbs[5] == ("强烈敦促", "urges")
    assert verbs[6] == ("要求", "demands")
    assert verbs[14] == ("强调", "stresses")
    assert verbs[17] == ("请", "requests")
    assert verbs[18] == ("决定", "decides")


@pytest.mark.django_db
def test_import_seed_removes_markup():
    _import(SEED)

    assert not Paragraph.objects.filter(text_zh__contains="*").exists()
    assert Paragraph.objects.get(number=18).text_zh.startswith("请秘书长与海地协商")


@pytest.mark.django_db
def test_import_seed_links_cited_resolutions():
    _import(SEED)

    resolution = Resolution.objects.get(number=2692)
    assert sorted(resolution.references.values_list("symbol", flat=True)) == [
        "S/RES/2476 (2019)",
        "S/RES/2645 (2022)",
        "S/RES/2653 (2022)",
        "S/RES/2664 (2022)",
    ]
    assert sorted(Paragraph.objects.get(number=1).cites.values_list("number", flat=True)) == [
        2476,
        2645,
    ]


@pytest.mark.django_db
def test_import_twice_writes_nothing_the_second_time():
    _import(SEED)

    with CaptureQueriesContext(connection) as queries:
        output = _import(SEED)

    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert "nothing changed" in output
    assert Paragraph.objects.count() == 45


@pytest.mark.django_db
def test_import_updates_a_corrected_paragraph(tmp_path):
    _import(SEED)
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(
        SEED.read_text(encoding="utf-8").replace("积极处理此案", "积极处理此事"),
        encoding="utf-8",
    )

    _import(corrected)

    assert Paragraph.objects.get(number=19).text_zh == "决定继续积极处理此事。"
    assert Paragraph.objects.count() == 45


@pytest.mark.django_db
def test_import_other_resolution_in_the_same_format(tmp_path):
    path = tmp_path / "2701.txt"
    path.write_text(OTHER_RESOLUTION, encoding="utf-8")

    _import(path)

    resolution = Resolution.objects.get(number=2701)
    assert resolution.meeting_number == 9999
    assert resolution.paragraphs.count() == 4
    assert list(resolution.references.values_list("number", flat=True)) == [2692]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("这不是决议。\n只是一些文字。", "header"),
        ("", "empty"),
        (OTHER_RESOLUTION.replace("2．**请**", "3．**请**"), "consecutive"),
        (OTHER_RESOLUTION.replace("2023 年 10 月 19 日 安全理事会第 9999 次会议通过", ""), "adopt"),
    ],
    ids=["not-a-resolution", "empty", "numbering-gap", "missing-adoption-line"],
)
def test_import_refuses_bad_input_and_writes_nothing(tmp_path, text, message):
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError, match=f"(?i){message}"):
        _import(path)

    assert Resolution.objects.count() == 0
    assert Paragraph.objects.count() == 0


@pytest.mark.django_db
def test_import_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Résolution".encode("latin-1"))

    with pytest.raises(CommandError, match="not UTF-8"):
        _import(path)

    assert Resolution.objects.count() == 0


@pytest.mark.django_db
def test_import_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        _import(tmp_path / "missing.txt")
