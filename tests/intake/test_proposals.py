# ruff: noqa: E501 (the resolutions' sentences are data, kept whole)
"""Who is asked, and what kind of obligation it is."""

import pytest

from tests.intake.helpers import last, read

COMMITTEE = {
    "en": "Recalls the Committee established pursuant to resolution 2653 (2022);",
    "fr": "Rappelle le Comité créé par la résolution 2653 (2022) ;",
    "zh": "回顾第 2653(2022)号决议所设委员会；",
}


def _codes(paragraph):
    return {a.code for p in paragraph.proposals for a in p.addressees}


@pytest.mark.parametrize(
    ("language", "paragraph", "codes"),
    [
        ("en", "Requests the Secretary-General to act;", {"secretary-general"}),
        ("en", "Calls upon Member States to act;", {"member-states"}),
        ("en", "Requests BINUH to act;", {"binuh"}),
        ("en", "Requests the United Nations Integrated Office in Haiti to act;", {"binuh"}),
        ("en", "Requests MINUSCA and UNMISS to act;", {"minusca", "unmiss"}),
        ("en", "Requests the United Nations Office on Drugs and Crime to act;", {"unodc"}),
        ("en", "Requests OHCHR to act;", {"ohchr"}),
        (
            "en",
            "Requests the Committee established pursuant to resolution 2653 (2022) to act;",
            {"sanctions-committee-2653"},
        ),
        ("en", "Requests the Panel of Experts to act;", {"panel-of-experts-2653"}),
        ("en", "Calls upon the Government of Haiti to act;", {"government-of-haiti"}),
        ("en", "Calls upon the Haitian authorities to act;", {"government-of-haiti"}),
        ("en", "Urges all parties to act;", {"all-parties"}),
        ("en", "Calls upon States of the region to act;", {"states-of-the-region"}),
        (
            "en",
            "Encourages regional organizations and international financial institutions to act;",
            {"regional-organisations", "ifis"},
        ),
        ("en", "Calls upon all Haitian stakeholders to agree;", {"haitian-stakeholders"}),
        ("fr", "Prie le Secrétaire général d'agir ;", {"secretary-general"}),
        ("fr", "Demande aux États Membres d'agir ;", {"member-states"}),
        ("fr", "Prie le Bureau intégré des Nations Unies en Haïti d'agir ;", {"binuh"}),
        ("fr", "Prie l'Office des Nations Unies contre la drogue et le crime d'agir ;", {"unodc"}),
        ("fr", "Prie le Groupe d'experts d'agir ;", {"panel-of-experts-2653"}),
        ("fr", "Demande au Gouvernement haïtien d'agir ;", {"government-of-haiti"}),
        ("fr", "Exige que toutes les parties cessent les hostilités ;", {"all-parties"}),
        ("fr", "Demande aux États de la région d'agir ;", {"states-of-the-region"}),
        ("zh", "请秘书长采取行动；", {"secretary-general"}),
        ("zh", "吁请会员国采取行动；", {"member-states"}),
        ("zh", "请联海综合办采取行动；", {"binuh"}),
        ("zh", "请毒品和犯罪问题办公室采取行动；", {"unodc"}),
        ("zh", "请第 2653(2022)号决议所设委员会采取行动；", {"sanctions-committee-2653"}),
        ("zh", "请专家小组采取行动；", {"panel-of-experts-2653"}),
        ("zh", "促请海地政府采取行动；", {"government-of-haiti"}),
        ("zh", "要求所有各方停止敌对行动；", {"all-parties"}),
        ("zh", "鼓励会员国，包括该区域各国，采取行动；", {"member-states", "states-of-the-region"}),
        ("zh", "还请海地所有利益攸关方达成协议；", {"haitian-stakeholders"}),
    ],
)
def test_addressee_alias_is_matched(language, paragraph, codes):
    reading = read(language, COMMITTEE[language], paragraph)

    assert _codes(last(reading)) == codes


@pytest.mark.parametrize(
    ("language", "paragraph", "code", "name"),
    [
        (
            "en",
            "Calls upon the Government of Freedonia to act;",
            "government-of-freedonia",
            "Government of Freedonia",
        ),
        (
            "en",
            "Encourages the Transitional National Council to act;",
            "transitional-national-council",
            "Transitional National Council",
        ),
        (
            "fr",
            "Demande au Gouvernement de la Syldavie d'agir ;",
            "government-of-syldavie",
            "Government of Syldavie",
        ),
    ],
)
def test_unknown_addressee_is_a_new_actor(language, paragraph, code, name):
    addressees = last(read(language, paragraph)).proposals[0].addressees

    assert [(a.code, a.name, a.new) for a in addressees] == [(code, name, True)]


def test_owners_come_first_then_contributors():
    paragraph = last(
        read("en", "Requests BINUH, in cooperation with UNODC, to support the Government of Haiti;")
    )

    assert [(a.code, a.role) for a in paragraph.proposals[0].addressees] == [
        ("binuh", "owner"),
        ("unodc", "contributor"),
        ("government-of-haiti", "contributor"),
    ]


def test_second_verb_in_a_paragraph_asks_its_own_addressee():
    paragraph = last(
        read(
            "zh",
            "请联海综合办协助当局，此外还请毒品和犯罪问题办公室通过秘书长向安全理事会提交报告；",
        )
    )

    assert [p.addressees[0].code for p in paragraph.proposals] == ["binuh", "unodc"]


def test_pronoun_stands_for_the_previous_addressee():
    paragraph = last(
        read(
            "en", "Requests the Secretary-General to act, and requests him to report every 90 days;"
        )
    )

    assert [p.addressees[0].code for p in paragraph.proposals] == [
        "secretary-general",
        "secretary-general",
    ]


@pytest.mark.parametrize(
    ("language", "paragraph"),
    [
        ("en", "Reaffirms the importance of UNODC's engagement;"),
        ("en", "Expresses grave concern at the violence against civilians;"),
        ("en", "Expresses its intention to consider further measures;"),
        ("en", "Decides to remain seized of the matter."),
        ("fr", "Se déclare profondément préoccupé par la violence ;"),
        ("fr", "Décide de rester activement saisi de la question."),
        ("zh", "重申毒品和犯罪问题办公室参与的重要性；"),
        ("zh", "决定继续积极处理此案。"),
    ],
)
def test_statement_asks_nothing(language, paragraph):
    assert last(read(language, paragraph)).proposals == ()


def test_statement_of_a_need_asks_who_needs():
    paragraph = last(read("en", "Stresses the need for all parties to respect the ceasefire;"))

    assert [(p.kind, p.addressees[0].code) for p in paragraph.proposals] == [
        ("action", "all-parties")
    ]


@pytest.mark.parametrize(
    ("paragraph", "kinds"),
    [
        ("Requests the Secretary-General to report every 90 days;", ["report"]),
        ("Calls upon Member States to prevent arms transfers;", ["action"]),
        ("Encourages BINUH to continue its support to the police;", ["standing"]),
        ("Requests BINUH to support the police throughout its mandate;", ["standing"]),
        (
            "Requests BINUH to support the national police in its investigations, and to report on progress in the Secretary-General's regular reports;",
            ["action", "report"],
        ),
    ],
)
def test_kind_follows_what_is_asked(paragraph, kinds):
    assert [p.kind for p in last(read("en", paragraph)).proposals] == kinds


def test_mandate_renewal_proposes_standing_mandate_and_council_decision():
    proposals = read("en", "Decides to remain seized.").operative[0].proposals

    assert [(p.kind, p.addressees[0].code) for p in proposals] == [
        ("standing", "binuh"),
        ("decision", "security-council"),
    ]


def test_source_is_the_words_of_the_paragraph():
    text = (
        "Requests BINUH to support the police, and further requests UNODC to report every 90 days;"
    )
    paragraph = last(read("en", text))

    for proposal in paragraph.proposals:
        start, end = proposal.span
        assert paragraph.text[start:end] == proposal.source
    assert paragraph.proposals[1].source == "further requests UNODC to report every 90 days"
