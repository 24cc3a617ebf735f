"""Structure: front matter, paragraphs joined by structure, furniture, annexes, verbs."""

import datetime as dt

import pytest

from intake.errors import IntakeError
from intake.reading import detect_language, read_text
from intake.reading.furniture import furniture_kinds, remove_furniture
from tests.intake.helpers import CORPUS, FRONT, resolution

SEED = (CORPUS / "s-res-2692-2023.zh.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed():
    return read_text(SEED)


def test_seed_has_26_preambular_and_19_operative(seed):
    assert (len(seed.preambular), len(seed.operative)) == (26, 19)
    assert [p.number for p in seed.operative] == list(range(1, 20))


def test_pdf_copy_of_seed_has_26_preambular_and_19_operative(seed):
    copy = read_text((CORPUS / "s-res-2692-2023.zh.pdfcopy.txt").read_text(encoding="utf-8"))

    assert (len(copy.preambular), len(copy.operative)) == (26, 19)

    # A space at a line's end is lost by the wrap ("第" / "2664"): compare without spaces.
    def words(paragraphs):
        return ["".join(p.text.split()) for p in paragraphs]

    assert words(copy.preambular) == words(seed.preambular)
    assert words(copy.operative) == words(seed.operative)


def test_seed_header(seed):
    assert (seed.symbol, seed.number, seed.year, seed.language) == (
        "S/RES/2692 (2023)",
        2692,
        2023,
        "zh",
    )
    assert (seed.adopted_on, seed.meeting) == (dt.date(2023, 7, 14), 9377)
    assert (seed.mandate, seed.mandate_expires_on) == ("BINUH", dt.date(2024, 7, 15))
    assert seed.references == ("2645 (2022)", "2653 (2022)", "2476 (2019)", "2664 (2022)")


def test_seed_lead_verbs_are_the_bold_words_without_markup(seed):
    assert [(p.lead_verb, p.category) for p in seed.operative[:4]] == [
        ("决定", "decides"),
        ("还决定", "decides"),
        ("请", "requests"),
        ("重申", "reaffirms"),
    ]
    assert seed.preambular[11].opening == "深为关切地注意到"
    assert not any("*" in p.text for p in (*seed.preambular, *seed.operative))


@pytest.mark.parametrize(
    ("line", "kinds"),
    [
        ("United Nations S/RES/2692 (2023)", ["masthead"]),
        ("Security Council Distr.: General 14 July 2023", ["masthead"]),
        ("联 合 国 S/RES/2692 (2023)", ["masthead"]),
        ("安全理事会 Distr.: General", ["masthead"]),
        ("Nations Unies", ["masthead"]),
        ("Conseil de sécurité", ["masthead"]),
        ("23-13843 (E)", ["job_number"]),
        ("23-13843 (C)", ["job_number"]),
        ("*2313843*", ["bar_code"]),
        ("2/5", ["page_number"]),
        ("Page 2", ["page_number"]),
        ("S/RES/2692 (2023)", ["running_header"]),
        ("Please recycle", ["recycle"]),
        ("请回收", ["recycle"]),
        ("23-13843 (C) 1/1", ["job_number", "page_number"]),
    ],
)
def test_furniture_line_is_recognised(line, kinds):
    assert furniture_kinds(line) == kinds


@pytest.mark.parametrize(
    "line",
    ["安全理事会，", "The Security Council,", "14 July 2023,", "15 日;", "Resolution 2692 (2023)"],
)
def test_text_line_is_not_furniture(line):
    assert furniture_kinds(line) is None


def test_footnotes_and_their_marks_are_removed():
    text = (
        "Taking note of the report of 2 March 2031,2\n"
        "and of the letter of 3 March 2031,³\n\n"
        "2 S/2031/154.\n3 S/2031/160.\n31-12345 (E)\n"
    )

    cleaned = remove_furniture(text)

    assert [line for line in cleaned.lines if line] == [
        "Taking note of the report of 2 March 2031,",
        "and of the letter of 3 March 2031,",
    ]
    assert (cleaned.removed["footnote"], cleaned.removed["footnote_marker"]) == (2, 2)


def test_removed_furniture_is_reported_as_warnings():
    reading = read_text((CORPUS / "s-res-9901-2031.en.txt").read_text(encoding="utf-8"))
    codes = {w.code for w in reading.warnings}

    assert {
        "removed_masthead",
        "removed_job_number",
        "removed_bar_code",
        "removed_page_number",
        "removed_running_header",
        "removed_recycle",
        "removed_footnote",
        "removed_footnote_marker",
    } <= codes


def test_paragraph_broken_by_a_page_is_joined_across_the_furniture():
    text = FRONT["en"] + (
        "1. Requests the Secretary-General to report to the\n\n"
        "31-12345 (E)\n2/3\n\nS/RES/9950 (2031)\n\n"
        "Council every 90 days on the situation;\n\n2. Decides to remain seized of the matter.\n"
    )

    reading = read_text(text)

    assert reading.operative[0].text == (
        "Requests the Secretary-General to report to the Council every 90 days on the situation;"
    )


def test_english_line_wrapped_after_a_comma_continues_its_paragraph():
    text = FRONT["en"] + (
        "Stressing that the Government bears the primary responsibility,\n"
        "including for the protection of civilians,\n"
        "Noting with concern the flows of arms,\n"
        "1. Decides to remain seized of the matter.\n"
    )

    reading = read_text(text)

    assert [p.opening for p in reading.preambular] == ["Recalling", "Stressing", "Noting"]


def test_hyphenated_word_is_rejoined():
    text = FRONT["en"] + (
        "1. Requests the Secretary-General to report on the implemen-\n"
        "tation of the implementation plan, and on troop-\ncontributing countries;\n"
    )

    paragraph = read_text(text).operative[0]

    assert paragraph.text == (
        "Requests the Secretary-General to report on the implementation of the implementation "
        "plan, and on troop-contributing countries;"
    )


def test_sub_paragraphs_stay_with_their_paragraph():
    text = (
        FRONT["zh"]
        + "1. 请秘书长：\n（a） 提交报告；\n(b) 协助当局；\n\n2. 决定继续积极处理此案。\n"
    )

    reading = read_text(text)

    assert len(reading.operative) == 2
    assert reading.operative[0].text == "请秘书长：\n（a） 提交报告；\n(b) 协助当局；"


def test_full_width_numbers_open_operative_paragraphs_and_text_is_kept_as_written():
    text = FRONT["zh"] + "１．请秘书长提交报告；\n\n２．决定继续积极处理此案。\n"

    reading = read_text(text)

    assert [p.number for p in reading.operative] == [1, 2]
    assert reading.operative[0].text == "请秘书长提交报告；"


def test_annex_is_kept_apart_and_its_numbers_do_not_count():
    text = resolution("en", "Decides to remain seized of the matter.") + (
        "Annex\n\nBenchmarks\n\n1. Elections held.\n\n3. Violence reduced.\n"
    )

    reading = read_text(text)

    assert [p.number for p in reading.operative] == [1, 2]
    assert reading.operative[-1].text == "Decides to remain seized of the matter."
    assert reading.annexes == ("Annex\nBenchmarks\n1. Elections held.\n3. Violence reduced.",)


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ((1, 2, 4), "2 is followed by 4"),
        ((1, 2, 2), "Operative paragraph 2 appears twice."),
        ((2, 3), "numbered from 1, but the first is 2"),
    ],
)
def test_bad_numbering_is_refused_naming_the_numbers(numbers, message):
    body = "".join(f"{n}. Requests the Secretary-General to act;\n\n" for n in numbers)

    with pytest.raises(IntakeError) as error:
        read_text(FRONT["en"] + body)

    assert error.value.code == "bad_numbering"
    assert message in error.value.message


def test_numbering_gap_is_a_warning_when_not_strict():
    body = "1. Requests the Secretary-General to act;\n\n3. Decides to remain seized.\n"

    reading = read_text(FRONT["en"] + body, strict_numbering=False)

    assert "numbering_gap" in [w.code for w in reading.warnings]


def test_missing_header_is_refused():
    with pytest.raises(IntakeError) as error:
        read_text("The Security Council,\n\n1. Decides to remain seized of the matter.\n")

    assert error.value.code == "missing_header"


def test_no_operative_paragraph_is_refused():
    with pytest.raises(IntakeError) as error:
        read_text(FRONT["en"])

    assert error.value.code == "no_operative"


@pytest.mark.parametrize(
    ("language", "paragraph", "lead_verb", "category"),
    [
        ("en", "Further requests the Secretary-General to act;", "Further requests", "requests"),
        ("en", "Calls upon Member States to act;", "Calls upon", "calls_upon"),
        ("en", "Strongly condemns all attacks;", "Strongly condemns", "condemns"),
        (
            "en",
            "Expresses grave concern at the violence;",
            "Expresses grave concern",
            "expresses_concern",
        ),
        ("fr", "Prie en outre le Secrétaire général d'agir ;", "Prie en outre", "requests"),
        ("fr", "Exige que toutes les parties cessent les hostilités ;", "Exige", "demands"),
        ("fr", "Décide de rester saisi de la question.", "Décide", "decides"),
        ("fr", "Demande instamment aux parties de cesser ;", "Demande instamment", "urges"),
        ("zh", "请秘书长提交报告；", "请", "requests"),
        ("zh", "强烈敦促会员国采取行动；", "强烈敦促", "urges"),
        ("zh", "还请秘书长提交报告；", "还请", "requests"),
    ],
)
def test_lead_verb_as_written_and_category(language, paragraph, lead_verb, category):
    reading = read_text(resolution(language, paragraph, mandate=False))

    assert (reading.operative[0].lead_verb, reading.operative[0].category) == (lead_verb, category)


def test_unknown_verb_is_other_with_a_warning():
    reading = read_text(resolution("en", "Beseeches the parties to talk;", mandate=False))

    assert (reading.operative[0].lead_verb, reading.operative[0].category) == ("Beseeches", "other")
    assert "unknown_verb" in [w.code for w in reading.warnings]


@pytest.mark.parametrize(
    ("text", "language"),
    [(FRONT["en"], "en"), (FRONT["fr"], "fr"), (FRONT["zh"], "zh")],
)
def test_language_is_detected(text, language):
    assert detect_language(text) == language


def test_language_given_by_the_caller_wins_with_a_warning():
    french = " ".join(["les activités de la mission et des forces de la région"] * 10)
    reading = read_text(FRONT["en"] + f"1. Decides that {french}.\n", language="en")

    assert reading.language == "en"
    assert "language_mismatch" in [w.code for w in reading.warnings]


@pytest.mark.parametrize(
    ("language", "mandate", "expiry"),
    [
        ("en", "BINUH", dt.date(2032, 1, 15)),
        ("fr", "BINUH", dt.date(2032, 1, 15)),
        ("zh", "BINUH", dt.date(2032, 1, 15)),
    ],
)
def test_mandate_renewal_sets_mandate_and_expiry(language, mandate, expiry):
    reading = read_text(
        resolution(
            language,
            "Decides to remain seized."
            if language == "en"
            else "决定继续积极处理此案。"
            if language == "zh"
            else "Décide de rester saisi.",
        )
    )

    assert (reading.mandate, reading.mandate_expires_on) == (mandate, expiry)


def test_references_in_order_without_the_resolution_itself():
    text = (
        FRONT["fr"].replace(
            "Rappelant ses résolutions antérieures,",
            "Rappelant ses résolutions 2476 (2019) et 9950 (2031), et la résolution 2645 (2022),",
        )
        + "1. Décide de rester saisi de la question.\n"
    )

    assert read_text(text).references == ("2476 (2019)", "2645 (2022)")
