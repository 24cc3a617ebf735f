import datetime
from pathlib import Path

import pytest

from paragraphs.parsing import (
    VERB_CATEGORIES,
    ParsedParagraph,
    ResolutionFormatError,
    parse_resolution,
)

SEED_PATH = Path(__file__).resolve().parents[2] / "paragraphs" / "data" / "s-res-2692-2023.zh.txt"

CATEGORY_VALUES = {
    "decides",
    "requests",
    "encourages",
    "urges",
    "demands",
    "reaffirms",
    "stresses",
    "recalls",
    "condemns",
    "notes",
    "recognizes",
    "welcomes",
    "expresses_concern",
    "deplores",
    "calls_upon",
    "affirms",
    "other",
}

# Front matter shared by the small hand-written texts below.
FRONT = "第 2692(2023)号决议\n\n2023 年 7 月 14 日 安全理事会第 9377 次会议通过\n\n安全理事会，\n\n"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text):
    return parse_resolution(seed_text)


def _mini(body: str) -> str:
    return FRONT + body


# --- The seed: S/RES/2692 (2023) ---------------------------------------------------------


def test_parse_resolution_seed_counts_paragraphs_by_kind(seed):
    assert (len(seed.preambular), len(seed.operative)) == (26, 19)
    assert len(seed.paragraphs) == 45
    assert [p.kind for p in seed.paragraphs] == ["preambular"] * 26 + ["operative"] * 19


def test_parse_resolution_seed_reads_front_matter(seed):
    assert seed.number == 2692
    assert seed.year == 2023
    assert seed.adopted_on == datetime.date(2023, 7, 14)
    assert seed.meeting_number == 9377
    assert seed.symbol == "S/RES/2692 (2023)"


def test_parse_resolution_seed_numbers_operative_paragraphs_from_one(seed):
    assert [(p.position, p.number) for p in seed.operative] == [(n, n) for n in range(1, 20)]


def test_parse_resolution_seed_positions_preambular_paragraphs_without_number(seed):
    assert [(p.position, p.number) for p in seed.preambular] == [(n, None) for n in range(1, 27)]


def test_parse_resolution_seed_operative_lead_verbs(seed):
    expected = [
        ("决定", "decides"),
        ("还决定", "decides"),
        ("请", "requests"),
        ("重申", "reaffirms"),
        ("鼓励", "encourages"),
        ("强烈敦促", "urges"),
        ("要求", "demands"),
        ("请", "requests"),
        ("请", "requests"),
        ("请", "requests"),
        ("鼓励", "encourages"),
        ("鼓励", "encourages"),
        ("重申", "reaffirms"),
        ("请", "requests"),
        ("强调", "stresses"),
        ("敦促", "urges"),
        ("鼓励", "encourages"),
        ("请", "requests"),
        ("决定", "decides"),
    ]

    actual = [(p.lead_verb, p.verb_category) for p in seed.operative]

    assert actual == expected


def test_parse_resolution_seed_preambular_lead_verbs(seed):
    # Every position checked against the file: 深为关切地**注意到** opens 12 and 25.
    expected = [
        ("回顾", "recalls"),
        ("重申", "reaffirms"),
        ("特别回顾", "recalls"),
        ("回顾", "recalls"),
        ("最强烈地谴责", "condemns"),
        ("强调指出", "stresses"),
        ("强调", "stresses"),
        ("表示注意到", "notes"),
        ("重申", "reaffirms"),
        ("重申", "reaffirms"),
        ("表示严重关切", "expresses_concern"),
        ("深为关切地注意到", "notes"),
        ("认识到", "recognizes"),
        ("回顾", "recalls"),
        ("敦促", "urges"),
        ("认识到", "recognizes"),
        ("还欣见", "welcomes"),
        ("还确认", "recognizes"),
        ("欢迎", "welcomes"),
        ("确认", "recognizes"),
        ("表示注意到", "notes"),
        ("痛惜", "deplores"),
        ("强调", "stresses"),
        ("表示注意到", "notes"),
        ("深为关切地注意到", "notes"),
        ("欢迎", "welcomes"),
    ]

    actual = [(p.lead_verb, p.verb_category) for p in seed.preambular]

    assert actual == expected


def test_parse_resolution_seed_texts_have_no_markup(seed):
    assert [p.position for p in seed.paragraphs if "*" in p.text] == []


def test_parse_resolution_seed_texts_are_stripped(seed):
    assert [p.position for p in seed.paragraphs if p.text != p.text.strip()] == []


def test_parse_resolution_seed_operative_text_starts_after_number(seed):
    assert seed.operative[18].text == "决定继续积极处理此案。"
    assert seed.operative[0].text.startswith(
        "决定将联合国秘书长特别代表所领导、第 2476(2019)号决议"
    )


def test_parse_resolution_seed_preambular_bold_removed_from_text(seed):
    assert seed.preambular[11].text.startswith("深为关切地注意到海地境内持续且不断恶化")


def test_parse_resolution_seed_preambular_text_kept_as_written(seed):
    assert seed.preambular[1].text == "重申对海地主权、独立、领土完整和统一的坚定承诺，"


def test_parse_resolution_seed_cites_referenced_resolutions_in_order(seed):
    assert seed.cites == ((2645, 2022), (2653, 2022), (2476, 2019), (2664, 2022))


def test_parse_resolution_seed_cites_of_operative_1(seed):
    assert seed.operative[0].cites == ((2476, 2019), (2645, 2022))


def test_parse_resolution_seed_document_symbol_and_dates_are_not_citations(seed):
    # Preambular 3 mentions S/2019/198 and the dates 2019 年 3 月 1 日 and 2019 年 10 月 16 日.
    assert seed.preambular[2].cites == ((2476, 2019),)


def test_parse_resolution_seed_cites_deduplicated_within_paragraph(seed):
    # Preambular 4 cites 2653(2022) twice and 2664(2022) once.
    assert seed.preambular[3].cites == ((2653, 2022), (2664, 2022))


def test_parse_resolution_seed_paragraph_is_frozen(seed):
    with pytest.raises(AttributeError):
        seed.operative[0].text = "changed"


# --- A second resolution in the same format ----------------------------------------------

SYNTHETIC = (
    "\ufeff\r\n\r\n"
    "  第 9001（2031）号决议  \r\n"
    "2031 年 2 月 3 日安全理事会第 12001 次会议通过\r\n"
    "\r\n"
    "安全理事会,\r\n"
    "\r\n\r\n\r\n"
    "回顾其第 2692(2023)号决议和 2476 (2019)号决议，\r\n"
    "\u3000\r\n"
    "深为关切地**注意到**该区域的局势\r\n"
    "\r\n"
    "\r\n"
    "持续恶化;\r\n"
    "1．**决定**延长任务期限；\r\n"
    "\r\n"
    "2．  **请**秘书长每 90 天提交报告，\r\n"
    "并参照 2653（2022）的规定；\r\n"
    "3．**决定**继续积极处理此案。   \r\n"
)


def test_parse_resolution_synthetic_reads_front_matter():
    resolution = parse_resolution(SYNTHETIC)

    assert (resolution.number, resolution.year) == (9001, 2031)
    assert resolution.adopted_on == datetime.date(2031, 2, 3)
    assert resolution.meeting_number == 12001
    assert resolution.symbol == "S/RES/9001 (2031)"


def test_parse_resolution_synthetic_reads_paragraphs():
    resolution = parse_resolution(SYNTHETIC)

    assert resolution.paragraphs == (
        ParsedParagraph(
            kind="preambular",
            position=1,
            number=None,
            text="回顾其第 2692(2023)号决议和 2476 (2019)号决议，",
            lead_verb="回顾",
            verb_category="recalls",
            cites=((2692, 2023), (2476, 2019)),
        ),
        ParsedParagraph(
            kind="preambular",
            position=2,
            number=None,
            text="深为关切地注意到该区域的局势持续恶化;",
            lead_verb="深为关切地注意到",
            verb_category="notes",
            cites=(),
        ),
        ParsedParagraph(
            kind="operative",
            position=1,
            number=1,
            text="决定延长任务期限；",
            lead_verb="决定",
            verb_category="decides",
            cites=(),
        ),
        ParsedParagraph(
            kind="operative",
            position=2,
            number=2,
            text="请秘书长每 90 天提交报告，并参照 2653（2022）的规定；",
            lead_verb="请",
            verb_category="requests",
            cites=((2653, 2022),),
        ),
        ParsedParagraph(
            kind="operative",
            position=3,
            number=3,
            text="决定继续积极处理此案。",
            lead_verb="决定",
            verb_category="decides",
            cites=(),
        ),
    )


def test_parse_resolution_synthetic_cites_in_first_appearance_order():
    resolution = parse_resolution(SYNTHETIC)

    assert resolution.cites == ((2692, 2023), (2476, 2019), (2653, 2022))


# --- Tolerance ----------------------------------------------------------------------------


def test_parse_resolution_crlf_and_bom_parse_like_the_file(seed, seed_text):
    text = "\ufeff" + seed_text.replace("\n", "\r\n")

    assert parse_resolution(text) == seed


def test_parse_resolution_extra_blank_and_whitespace_lines_change_nothing(seed, seed_text):
    text = seed_text.replace("\n\n", "\n \n\u3000\n\t\n")

    assert parse_resolution(text) == seed


def test_parse_resolution_trailing_and_fullwidth_spaces_are_stripped(seed, seed_text):
    text = "\n".join(f"\u3000{line}  \u3000" for line in seed_text.split("\n"))

    assert parse_resolution(text) == seed


def test_parse_resolution_single_newlines_between_preambular_paragraphs(seed, seed_text):
    text = seed_text.replace("\n\n", "\n")

    assert parse_resolution(text) == seed


def test_parse_resolution_wrapped_preambular_line_is_joined():
    text = _mini("回顾其第 2645(2022)号\n\n\n\n决议，\n重申其承诺，\n1. **决定**继续积极处理此案。")

    resolution = parse_resolution(text)

    assert [p.text for p in resolution.preambular] == [
        "回顾其第 2645(2022)号决议，",
        "重申其承诺，",
    ]
    assert resolution.preambular[0].cites == ((2645, 2022),)


def test_parse_resolution_wrapped_operative_line_is_joined():
    text = _mini(
        "回顾，\n1. **决定**将任务期限\n\n延至 2024 年 7 月 15 日；\n2. **决定**继续积极处理此案。"
    )

    resolution = parse_resolution(text)

    assert [p.text for p in resolution.operative] == [
        "决定将任务期限延至 2024 年 7 月 15 日；",
        "决定继续积极处理此案。",
    ]


def test_parse_resolution_wrapped_ascii_words_keep_a_space():
    text = _mini("回顾 United\nNations 的报告，\n1. **决定**继续积极处理此案。")

    resolution = parse_resolution(text)

    assert resolution.preambular[0].text == "回顾 United Nations 的报告，"


def test_parse_resolution_citation_split_by_wrap_is_found():
    text = _mini("回顾，\n1. **请**执行第 2476\n(2019)号决议；\n2. **决定**继续积极处理此案。")

    resolution = parse_resolution(text)

    assert resolution.operative[0].cites == ((2476, 2019),)


@pytest.mark.parametrize("separator", ["．", "、", ".", " . "])
def test_parse_resolution_operative_number_separators(separator):
    text = _mini(f"回顾，\n1{separator}**决定**延长；\n2{separator}**请**报告。")

    resolution = parse_resolution(text)

    assert [(p.number, p.text) for p in resolution.operative] == [
        (1, "决定延长；"),
        (2, "请报告。"),
    ]


def test_parse_resolution_opening_line_with_ascii_comma():
    text = FRONT.replace("安全理事会，", "安全理事会,") + "回顾，\n1. **决定**延长。"

    resolution = parse_resolution(text)

    assert len(resolution.operative) == 1


def test_parse_resolution_stray_asterisks_are_removed():
    text = _mini("回顾*其决议，\n1. **决定**延长*任务**期限。")

    resolution = parse_resolution(text)

    assert [p.text for p in resolution.paragraphs] == ["回顾其决议，", "决定延长任务期限。"]


def test_parse_resolution_bold_header_is_accepted():
    text = "**第 2692(2023)号决议**\n" + FRONT.split("\n", 1)[1] + "回顾，\n1. **决定**延长。"

    resolution = parse_resolution(text)

    assert resolution.symbol == "S/RES/2692 (2023)"


def test_parse_resolution_without_preamble():
    resolution = parse_resolution(_mini("1. **决定**延长。"))

    assert (len(resolution.preambular), len(resolution.operative)) == (0, 1)


def test_parse_resolution_self_citation_is_excluded():
    text = _mini("回顾其第 2692(2023)号决议和第 2645(2022)号决议，\n1. **决定**延长。")

    resolution = parse_resolution(text)

    assert resolution.cites == ((2645, 2022),)


# --- Lead verbs ---------------------------------------------------------------------------


def test_parse_resolution_bold_phrase_outside_vocabulary_is_other():
    resolution = parse_resolution(_mini("1. **宣布**延长。"))

    paragraph = resolution.operative[0]
    assert (paragraph.lead_verb, paragraph.verb_category) == ("宣布", "other")


def test_parse_resolution_unmarked_operative_verb_found_in_vocabulary():
    resolution = parse_resolution(_mini("1. 强烈敦促会员国合作；\n2. 还请秘书长报告。"))

    actual = [(p.lead_verb, p.verb_category) for p in resolution.operative]
    assert actual == [("强烈敦促", "urges"), ("还请", "requests")]


def test_parse_resolution_unknown_lead_verb_is_empty_and_other():
    resolution = parse_resolution(_mini("铭记其责任，\n1. **决定**延长。"))

    paragraph = resolution.preambular[0]
    assert (paragraph.lead_verb, paragraph.verb_category) == ("", "other")


def test_parse_resolution_bold_inside_sentence_is_not_the_lead_verb():
    resolution = parse_resolution(_mini("回顾其关于海地的**所有**决议，\n1. **决定**延长。"))

    paragraph = resolution.preambular[0]
    assert (paragraph.lead_verb, paragraph.verb_category) == ("回顾", "recalls")


@pytest.mark.parametrize(
    ("opening", "lead_verb", "category"),
    [
        ("还**决定**", "还决定", "decides"),
        ("满意地**注意到**", "满意地注意到", "notes"),
        ("**强调指出**", "强调指出", "stresses"),
        ("** 请 **", "请", "requests"),
    ],
)
def test_parse_resolution_bold_lead_verb_with_words_before_it(opening, lead_verb, category):
    resolution = parse_resolution(_mini(f"1. {opening}秘书长报告。"))

    paragraph = resolution.operative[0]
    assert (paragraph.lead_verb, paragraph.verb_category) == (lead_verb, category)


def test_verb_categories_use_only_known_values():
    assert set(VERB_CATEGORIES.values()) - CATEGORY_VALUES == set()


@pytest.mark.parametrize(
    ("phrase", "category"),
    [
        ("决定", "decides"),
        ("还决定", "decides"),
        ("请", "requests"),
        ("还请", "requests"),
        ("促请", "calls_upon"),
        ("鼓励", "encourages"),
        ("还鼓励", "encourages"),
        ("敦促", "urges"),
        ("强烈敦促", "urges"),
        ("要求", "demands"),
        ("重申", "reaffirms"),
        ("再次重申", "reaffirms"),
        ("强调", "stresses"),
        ("强调指出", "stresses"),
        ("还强调", "stresses"),
        ("回顾", "recalls"),
        ("特别回顾", "recalls"),
        ("还回顾", "recalls"),
        ("谴责", "condemns"),
        ("最强烈地谴责", "condemns"),
        ("注意到", "notes"),
        ("表示注意到", "notes"),
        ("深为关切地注意到", "notes"),
        ("还注意到", "notes"),
        ("认识到", "recognizes"),
        ("确认", "recognizes"),
        ("还确认", "recognizes"),
        ("欢迎", "welcomes"),
        ("欣见", "welcomes"),
        ("还欣见", "welcomes"),
        ("表示严重关切", "expresses_concern"),
        ("表示关切", "expresses_concern"),
        ("深为关切", "expresses_concern"),
        ("痛惜", "deplores"),
        ("申明", "affirms"),
    ],
)
def test_verb_categories_required_vocabulary(phrase, category):
    assert VERB_CATEGORIES[phrase] == category


# --- Errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\n\r\n", "\ufeff", "\u3000\n\t"])
def test_parse_resolution_empty_text_raises(text):
    with pytest.raises(ResolutionFormatError, match=r"^The text is empty"):
        parse_resolution(text)


def test_parse_resolution_not_a_resolution_raises():
    with pytest.raises(ResolutionFormatError, match=r"^Missing header: .*'第 2692\(2023\)号决议'"):
        parse_resolution("Minutes of the meeting\n\n1. Opening.")


def test_parse_resolution_missing_header_names_the_line_found():
    text = FRONT.split("\n", 1)[1] + "回顾，\n1. **决定**延长。"

    with pytest.raises(ResolutionFormatError, match=r"found '2023 年 7 月 14 日"):
        parse_resolution(text)


def test_parse_resolution_missing_adoption_line_raises():
    text = "第 2692(2023)号决议\n安全理事会，\n回顾，\n1. **决定**延长。"

    with pytest.raises(
        ResolutionFormatError, match=r"^Missing adoption line: .*found '安全理事会，'"
    ):
        parse_resolution(text)


def test_parse_resolution_header_only_raises_missing_adoption_line():
    with pytest.raises(ResolutionFormatError, match=r"^Missing adoption line"):
        parse_resolution("第 2692(2023)号决议")


def test_parse_resolution_adoption_line_without_date_raises():
    text = _mini("回顾，\n1. **决定**延长。").replace("2023 年 7 月 14 日 ", "")

    with pytest.raises(ResolutionFormatError, match=r"has no date like '2023 年 7 月 14 日'"):
        parse_resolution(text)


def test_parse_resolution_adoption_line_without_meeting_raises():
    text = _mini("回顾，\n1. **决定**延长。").replace("第 9377 次会议", "会议")

    with pytest.raises(ResolutionFormatError, match=r"has no meeting number like '第 9377 次会议'"):
        parse_resolution(text)


def test_parse_resolution_impossible_adoption_date_raises():
    text = _mini("回顾，\n1. **决定**延长。").replace("7 月 14 日", "2 月 30 日")

    with pytest.raises(ResolutionFormatError, match=r"'2023 年 2 月 30 日' is not a valid"):
        parse_resolution(text)


def test_parse_resolution_header_year_differs_from_adoption_year_raises():
    text = _mini("回顾，\n1. **决定**延长。").replace("2023 年 7 月", "2022 年 7 月")

    with pytest.raises(
        ResolutionFormatError, match=r"header gives the year 2023 .* adopted on 2022-07-14"
    ):
        parse_resolution(text)


def test_parse_resolution_missing_opening_line_raises():
    text = _mini("回顾，\n1. **决定**延长。").replace("安全理事会，\n", "")

    with pytest.raises(ResolutionFormatError, match=r"^Missing opening line: .*found '回顾，'"):
        parse_resolution(text)


def test_parse_resolution_front_matter_only_raises_missing_opening_line():
    text = "第 2692(2023)号决议\n2023 年 7 月 14 日 安全理事会第 9377 次会议通过"

    with pytest.raises(ResolutionFormatError, match=r"^Missing opening line: .*found ''"):
        parse_resolution(text)


def test_parse_resolution_no_operative_paragraphs_raises():
    with pytest.raises(ResolutionFormatError, match=r"^No operative paragraphs found"):
        parse_resolution(_mini("回顾，\n重申，"))


def test_parse_resolution_numbering_not_starting_at_one_raises():
    text = _mini("回顾，\n2. **决定**延长；\n3. **请**报告。")

    with pytest.raises(ResolutionFormatError, match=r"numbered from 1, but the first one is 2\."):
        parse_resolution(text)


def test_parse_resolution_numbering_gap_raises():
    text = _mini("回顾，\n1. **决定**延长；\n2. **请**报告；\n4. **鼓励**合作。")

    with pytest.raises(
        ResolutionFormatError, match=r"not numbered consecutively: 2 is followed by 4\."
    ):
        parse_resolution(text)


def test_parse_resolution_numbering_going_back_raises():
    text = _mini("回顾，\n1. **决定**延长；\n2. **请**报告；\n1. **鼓励**合作。")

    with pytest.raises(
        ResolutionFormatError, match=r"not numbered consecutively: 2 is followed by 1\."
    ):
        parse_resolution(text)


def test_parse_resolution_duplicate_number_raises():
    text = _mini("回顾，\n1. **决定**延长；\n2. **请**报告；\n2. **鼓励**合作。")

    with pytest.raises(ResolutionFormatError, match=r"^Operative paragraph 2 appears twice\.$"):
        parse_resolution(text)


def test_parse_resolution_empty_operative_paragraph_raises():
    text = _mini("回顾，\n1. **决定**延长；\n2. ****\n3. **请**报告。")

    with pytest.raises(ResolutionFormatError, match=r"^Operative paragraph 2 has no text\.$"):
        parse_resolution(text)


def test_parse_resolution_seed_gap_in_file_numbering_raises(seed_text):
    text = seed_text.replace("5. **鼓励**", "6. **鼓励**")

    with pytest.raises(
        ResolutionFormatError, match=r"not numbered consecutively: 4 is followed by 6\."
    ):
        parse_resolution(text)


def test_parse_resolution_error_is_a_value_error():
    with pytest.raises(ValueError, match=r"^The text is empty"):
        parse_resolution("")


def test_parse_resolution_seed_with_any_line_removed_parses_or_raises_format_error(seed_text):
    # Robustness: every damaged variant either parses or fails with our error, never another.
    lines = seed_text.split("\n")
    outcomes = set()

    for index in range(len(lines)):
        damaged = "\n".join(lines[:index] + lines[index + 1 :])
        try:
            parse_resolution(damaged)
            outcomes.add("parsed")
        except ResolutionFormatError:
            outcomes.add("format error")

    assert outcomes == {"parsed", "format error"}


def test_parse_resolution_seed_truncated_anywhere_parses_or_raises_format_error(seed_text):
    outcomes = set()

    for end in range(0, len(seed_text), 7):
        try:
            parse_resolution(seed_text[:end])
            outcomes.add("parsed")
        except ResolutionFormatError:
            outcomes.add("format error")

    assert outcomes == {"parsed", "format error"}
