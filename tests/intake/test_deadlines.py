# ruff: noqa: E501 (the resolutions' sentences are data, kept whole)
"""Every time expression in each language, with digits, words and full-width digits.

The small resolutions are adopted on 10 January 2031 and renew a mandate until
15 January 2032 (tests/intake/helpers.py)."""

import datetime as dt

import pytest

from intake.languages.grammar import grammar
from tests.intake.helpers import last, read

D = dt.date
EVERY_90_DAYS = [D(2031, 4, 10), D(2031, 7, 9), D(2031, 10, 7), D(2032, 1, 5)]
# The mandate's quarterly cycle: the expiry and every three months before it.
QUARTERS = [D(2031, 4, 15), D(2031, 7, 15), D(2031, 10, 15), D(2032, 1, 15)]
THEREAFTER = [D(2031, 2, 9), D(2031, 5, 10), D(2031, 8, 8), D(2031, 11, 6)]
UNTIL_JUNE = [D(2031, 3, 11), D(2031, 5, 10)]

CASES = [
    (
        "en",
        "Requests the Secretary-General to report within 30 days of the adoption of this resolution;",
        [D(2031, 2, 9)],
    ),
    ("en", "Requests the Secretary-General to report within thirty days;", [D(2031, 2, 9)]),
    ("en", "Requests the Secretary-General to report within two weeks;", [D(2031, 1, 24)]),
    ("en", "Requests the Secretary-General to report within three months;", [D(2031, 4, 10)]),
    (
        "en",
        "Requests the Secretary-General to report no later than 15 March 2031;",
        [D(2031, 3, 15)],
    ),
    ("en", "Requests the Secretary-General to report by 15 March 2031;", [D(2031, 3, 15)]),
    ("en", "Requests the Secretary-General to report every 90 days;", EVERY_90_DAYS),
    ("en", "Requests the Secretary-General to report every ninety days;", EVERY_90_DAYS),
    ("en", "Requests the Secretary-General to report every three months;", QUARTERS),
    ("en", "Requests the Secretary-General to report quarterly;", QUARTERS),
    ("en", "Requests the Secretary-General to report annually;", [D(2032, 1, 15)]),
    (
        "en",
        "Requests the Secretary-General to report within 30 days and every 90 days thereafter;",
        THEREAFTER,
    ),
    (
        "en",
        "Requests the Secretary-General to report every 60 days until 30 June 2031;",
        UNTIL_JUNE,
    ),
    (
        "en",
        "Requests the Secretary-General to report every three months until the expiry of the mandate;",
        QUARTERS,
    ),
    (
        "fr",
        "Prie le Secrétaire général de lui faire rapport dans un délai de 30 jours ;",
        [D(2031, 2, 9)],
    ),
    (
        "fr",
        "Prie le Secrétaire général de lui faire rapport dans un délai de trente jours ;",
        [D(2031, 2, 9)],
    ),
    (
        "fr",
        "Prie le Secrétaire général de lui faire rapport dans les deux semaines qui suivent l'adoption de la présente résolution ;",
        [D(2031, 1, 24)],
    ),
    (
        "fr",
        "Prie le Secrétaire général de lui faire rapport dans un délai de trois mois ;",
        [D(2031, 4, 10)],
    ),
    (
        "fr",
        "Prie le Secrétaire général de lui faire rapport d'ici au 15 mars 2031 ;",
        [D(2031, 3, 15)],
    ),
    (
        "fr",
        "Prie le Secrétaire général de lui faire rapport au plus tard le 15 mars 2031 ;",
        [D(2031, 3, 15)],
    ),
    ("fr", "Prie le Secrétaire général de lui faire rapport tous les 90 jours ;", EVERY_90_DAYS),
    (
        "fr",
        "Prie le Secrétaire général de lui faire rapport tous les quatre-vingt-dix jours ;",
        EVERY_90_DAYS,
    ),
    ("fr", "Prie le Secrétaire général de lui faire rapport tous les trois mois ;", QUARTERS),
    ("fr", "Prie le Secrétaire général de lui faire rapport trimestriellement ;", QUARTERS),
    ("fr", "Prie le Secrétaire général de lui faire rapport chaque année ;", [D(2032, 1, 15)]),
    (
        "fr",
        "Prie le Secrétaire général de lui faire rapport dans un délai de 30 jours, puis tous les 90 jours par la suite ;",
        THEREAFTER,
    ),
    (
        "fr",
        "Prie le Secrétaire général de lui faire rapport tous les 60 jours jusqu'au 30 juin 2031 ;",
        UNTIL_JUNE,
    ),
    (
        "fr",
        "Prie le Secrétaire général de lui faire rapport tous les trois mois jusqu'à l'expiration de son mandat ;",
        QUARTERS,
    ),
    ("zh", "请秘书长在 30 天内向安全理事会提交报告；", [D(2031, 2, 9)]),
    ("zh", "请秘书长在三十天内向安全理事会提交报告；", [D(2031, 2, 9)]),
    ("zh", "请秘书长在３０天内向安全理事会提交报告；", [D(2031, 2, 9)]),
    ("zh", "请秘书长在两周内向安全理事会提交报告；", [D(2031, 1, 24)]),
    ("zh", "请秘书长在三个月内向安全理事会提交报告；", [D(2031, 4, 10)]),
    ("zh", "请秘书长不迟于 2031 年 3 月 15 日向安全理事会提交报告；", [D(2031, 3, 15)]),
    ("zh", "请秘书长不迟于２０３１年３月１５日向安全理事会提交报告；", [D(2031, 3, 15)]),
    ("zh", "请秘书长每 90 天向安全理事会提交报告；", EVERY_90_DAYS),
    ("zh", "请秘书长每九十天向安全理事会提交报告；", EVERY_90_DAYS),
    ("zh", "请秘书长每三个月向安全理事会提交报告；", QUARTERS),
    ("zh", "请秘书长每季度向安全理事会提交报告；", QUARTERS),
    ("zh", "请秘书长每年向安全理事会提交报告；", [D(2032, 1, 15)]),
    ("zh", "请秘书长在 30 天内并在此后每 90 天向安全理事会提交报告；", THEREAFTER),
    ("zh", "请秘书长每 60 天向安全理事会提交报告，直至 2031 年 6 月 30 日；", UNTIL_JUNE),
    ("zh", "请秘书长每三个月向安全理事会提交报告，直至任务期限结束；", QUARTERS),
]


def _dates(paragraph):
    return sorted({d for p in paragraph.proposals if p.schedule for d in p.schedule.due_dates})


@pytest.mark.parametrize(("language", "paragraph", "expected"), CASES)
def test_time_expression_gives_due_dates(language, paragraph, expected):
    reading = read(language, paragraph)

    assert _dates(last(reading)) == expected


@pytest.mark.parametrize(
    ("language", "paragraph", "kind"),
    [
        ("en", "Requests the Secretary-General to report within 30 days;", "within_days"),
        ("en", "Requests the Secretary-General to report within two weeks;", "within_days"),
        ("en", "Requests the Secretary-General to report within three months;", "on_date"),
        ("en", "Requests the Secretary-General to report by 15 March 2031;", "on_date"),
        ("en", "Requests the Secretary-General to report every 90 days;", "recurring"),
        (
            "fr",
            "Prie le Secrétaire général de lui faire rapport tous les trois mois ;",
            "recurring",
        ),
        ("zh", "请秘书长每季度向安全理事会提交报告；", "recurring"),
    ],
)
def test_time_expression_sets_schedule_kind(language, paragraph, kind):
    reading = read(language, paragraph)

    assert [p.schedule.kind for p in last(reading).proposals] == [kind]


def test_within_weeks_keeps_the_unit_as_written():
    schedule = (
        last(read("en", "Requests the Secretary-General to report within two weeks;"))
        .proposals[0]
        .schedule
    )

    assert (schedule.within_days, schedule.within_weeks) == (14, 2)


def test_within_months_is_calendar_months_clamped_at_month_end():
    text = "Requests the Secretary-General to report within one month;"
    reading = read("en", text).operative
    schedule = reading[-1].proposals[0].schedule

    # 10 January + 1 calendar month; a month is never counted as 30 days.
    assert (schedule.kind, schedule.on, schedule.within_months) == ("on_date", D(2031, 2, 10), 1)


def test_thereafter_anchors_the_cycle_on_the_first_report():
    proposals = last(
        read(
            "en",
            "Requests the Secretary-General to report within 30 days and every 90 days thereafter;",
        )
    ).proposals

    recurring = proposals[1].schedule
    assert (recurring.anchor_on, recurring.thereafter) == (D(2031, 2, 9), True)


def test_paragraph_without_time_expression_gets_no_deadline():
    paragraph = last(
        read("en", "Requests the Secretary-General to support the Government of Haiti;")
    )

    assert [p.schedule for p in paragraph.proposals] == [None]


def test_mandate_renewal_sets_expiry_milestone():
    reading = read("en", "Decides to remain seized of the matter.")
    decision = [p for p in reading.operative[0].proposals if p.kind == "decision"]

    assert [(p.schedule.kind, p.schedule.due_dates) for p in decision] == [
        ("mandate_expiry", (D(2032, 1, 15),))
    ]
    assert (reading.mandate, reading.mandate_expires_on) == ("BINUH", D(2032, 1, 15))


@pytest.mark.parametrize(
    ("language", "regular", "aligned"),
    [
        (
            "en",
            "Requests the Secretary-General to report every 90 days;",
            "Requests UNODC to brief the Council on the same cycle as the reports of the Secretary-General;",
        ),
        (
            "en",
            "Requests the Secretary-General to report every 90 days;",
            "Requests BINUH to support the Government of Haiti, and to report on progress in the Secretary-General's regular reports;",
        ),
        (
            "fr",
            "Prie le Secrétaire général de lui faire rapport tous les 90 jours ;",
            "Prie l'ONUDC de rendre compte au Conseil selon le même calendrier que les rapports du Secrétaire général ;",
        ),
        (
            "fr",
            "Prie le Secrétaire général de lui faire rapport tous les 90 jours ;",
            "Prie le BINUH d'appuyer les autorités et d'en rendre compte dans les rapports périodiques du Secrétaire général ;",
        ),
        (
            "zh",
            "请秘书长每 90 天向安全理事会提交报告；",
            "请毒品和犯罪问题办公室向安全理事会提交报告，报告周期与秘书长的报告相同；",
        ),
        (
            "zh",
            "请秘书长每 90 天向安全理事会提交报告；",
            "请联海综合办协助海地当局，并在其定期报告中说明进展；",
        ),
    ],
)
def test_aligned_schedule_takes_the_dates_it_follows(language, regular, aligned):
    reading = read(language, regular, aligned)
    schedules = [p.schedule for p in last(reading).proposals if p.schedule]

    assert [(s.kind, list(s.due_dates)) for s in schedules] == [("aligned", EVERY_90_DAYS)]
    assert schedules[0].aligned_to == reading.operative[1].proposals[0].key


def test_aligned_schedule_without_a_cycle_stays_undated_with_warning():
    reading = read("en", "Requests BINUH to report in the Secretary-General's regular reports;")

    assert last(reading).proposals[0].schedule.due_dates == ()
    assert "aligned_unknown" in [w.code for w in reading.warnings]


def test_same_cycle_uses_its_own_cycle_when_the_resolution_sets_no_other():
    # S/RES/2692, para 9: every three months, on the same cycle as BINUH.
    reading = read(
        "zh",
        "此外还请毒品和犯罪问题办公室通过秘书长，每三个月向安全理事会提交报告，报告周期与联海综合办相同；",
    )

    assert list(last(reading).proposals[0].schedule.due_dates) == QUARTERS


def test_within_days_of_an_event_is_not_counted_from_adoption():
    paragraph = last(
        read(
            "en", "Requests Member States to inform the Council within 15 days of any interdiction;"
        )
    )

    assert [p.schedule for p in paragraph.proposals] == [None]


def test_recurring_without_expiry_lists_one_year_and_warns():
    reading = read("en", "Requests the Secretary-General to report every 120 days;", mandate=False)

    dates = last(reading).proposals[0].schedule.due_dates
    assert list(dates) == [D(2031, 5, 10), D(2031, 9, 7), D(2032, 1, 5)]
    assert "open_ended_schedule" in [w.code for w in reading.warnings]


@pytest.mark.parametrize(
    ("language", "words", "value"),
    [
        ("en", "thirty", 30),
        ("en", "forty-five", 45),
        ("en", "one hundred and twenty", 120),
        ("en", "180", 180),
        ("fr", "trente", 30),
        ("fr", "quatre-vingt-dix", 90),
        ("fr", "soixante-dix", 70),
        ("fr", "cent vingt", 120),
        ("zh", "三", 3),
        ("zh", "三十", 30),
        ("zh", "十五", 15),
        ("zh", "一百二十", 120),
        ("zh", "两", 2),
    ],
)
def test_written_number_parses(language, words, value):
    assert grammar(language).parse_number(words) == value
