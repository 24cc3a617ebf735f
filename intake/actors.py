"""Who resolutions address: one multilingual alias table keyed by actor code.

Codes are those of the curated data (reports/data/s-res-2692-2023.yaml) where they exist.
Aliases are regular expressions matched without case against the folded text. Countries
are listed so that "the Government of Haiti", "le Gouvernement haïtien" and "海地政府"
become one actor, `government-of-haiti`; any other country named the same way becomes a
new actor of the same form.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class KnownActor:
    code: str
    en: str
    aliases: dict[str, tuple[str, ...]]
    acronym: str | None = None
    # A peace operation or political mission: the one whose mandate a resolution renews.
    mission: bool = False
    country: str | None = None  # a mission's host country (a code of COUNTRIES)


@dataclass(frozen=True)
class Country:
    code: str
    en: str
    names: dict[str, tuple[str, ...]]
    # Adjectives: "Haitian", "haïtien(ne)(s)"; "the Haitian authorities" is its government.
    adjectives: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _mission(code, en, acronym, country, fr, zh, fr_acronym=None, zh_short=None):
    return KnownActor(
        code=code,
        en=en,
        acronym=acronym,
        mission=True,
        country=country,
        aliases={
            "en": (en, acronym),
            "fr": tuple(a for a in (fr, fr_acronym or acronym) if a),
            "zh": tuple(a for a in (zh, zh_short, acronym) if a),
        },
    )


ACTORS: tuple[KnownActor, ...] = (
    KnownActor(
        "security-council",
        "Security Council",
        {
            "en": (r"Security\s+Council",),
            "fr": (r"Conseil\s+de\s+sécurité",),
            "zh": ("安全理事会", "安理会"),
        },
        acronym="SC",
    ),
    KnownActor(
        "secretary-general",
        "Secretary-General",
        {"en": (r"Secretary-General",), "fr": (r"Secrétaire\s+général",), "zh": ("秘书长",)},
        acronym="SG",
    ),
    KnownActor(
        "member-states",
        "Member States",
        {
            "en": (r"Member\s+States", r"all\s+States"),
            "fr": (r"États\s+Membres", r"tous\s+les\s+États"),
            "zh": ("会员国", "所有国家", "各国"),
        },
    ),
    KnownActor(
        "states-of-the-region",
        "States of the region",
        {
            "en": (r"States\s+(?:of|in)\s+the\s+region", r"neighbouring\s+States"),
            "fr": (r"États\s+de\s+la\s+région", r"pays\s+de\s+la\s+région", r"États\s+voisins"),
            "zh": ("该区域各国", "该区域其他国家", "区域各国", "邻国"),
        },
    ),
    KnownActor(
        "all-parties",
        "All parties and relevant actors",
        {
            "en": (
                r"all\s+(?:relevant\s+)?parties(?:\s+to\s+the\s+conflict)?",
                r"all\s+relevant\s+actors",
            ),
            "fr": (
                r"toutes\s+les\s+parties(?:\s+au\s+conflit)?(?:\s+concernées)?",
                r"tous\s+les\s+acteurs\s+concernés",
            ),
            "zh": ("所有各方", "冲突各方", "所有相关行为体", "所有有关行为体", "所有当事方"),
        },
    ),
    KnownActor(
        "regional-organisations",
        "Regional and subregional organisations",
        {
            "en": (
                r"regional\s+and\s+sub-?regional\s+organi[sz]ations",
                r"(?:sub-?)?regional\s+organi[sz]ations",
            ),
            "fr": (
                r"organisations\s+régionales\s+et\s+sous-régionales",
                r"organisations\s+(?:sous-)?régionales",
            ),
            "zh": ("区域组织和次区域组织", "区域和次区域组织", "区域组织", "次区域组织"),
        },
    ),
    KnownActor(
        "ifis",
        "International financial institutions",
        {
            "en": (r"international\s+financial\s+institutions",),
            "fr": (r"institutions\s+financières\s+internationales",),
            "zh": ("国际金融机构",),
        },
        acronym="IFIs",
    ),
    KnownActor(
        "un-entities",
        "Relevant United Nations entities",
        {
            "en": (r"(?:other\s+)?(?:relevant\s+)?United\s+Nations\s+(?:entities|agencies)",),
            "fr": (r"(?:autres\s+)?entités\s+(?:compétentes\s+)?des\s+Nations\s+Unies",),
            "zh": ("联合国有关机构", "联合国其他相关机构", "联合国相关机构"),
        },
    ),
    KnownActor(
        "other-entities",
        "Other entities",
        {"en": (r"other\s+entities",), "fr": (r"autres\s+entités",), "zh": ("其他实体",)},
    ),
    KnownActor(
        "international-organisations",
        "Relevant international organizations",
        {
            "en": (r"relevant\s+international\s+organi[sz]ations",),
            "fr": (r"organisations\s+internationales\s+compétentes",),
            "zh": ("相关国际组织",),
        },
    ),
    KnownActor(
        "unct",
        "United Nations country team",
        {
            "en": (r"United\s+Nations\s+country\s+team",),
            "fr": (r"équipe\s+de\s+pays\s+des\s+Nations\s+Unies",),
            "zh": (r"联合国[\u4e00-\u9fff]{0,8}?国家工作队", "国家工作队"),
        },
        acronym="UNCT",
    ),
    KnownActor(
        "unodc",
        "United Nations Office on Drugs and Crime",
        {
            "en": (r"United\s+Nations\s+Office\s+on\s+Drugs\s+and\s+Crime", "UNODC"),
            "fr": (
                r"Office\s+des\s+Nations\s+Unies\s+contre\s+la\s+drogue\s+et\s+le\s+crime",
                "ONUDC",
            ),
            "zh": (
                "联合国毒品和犯罪问题办公室",
                "毒品和犯罪问题办公室",
                "毒品和犯罪问题办",
                "UNODC",
            ),
        },
        acronym="UNODC",
    ),
    KnownActor(
        "ohchr",
        "Office of the United Nations High Commissioner for Human Rights",
        {
            "en": (
                r"Office\s+of\s+the\s+(?:United\s+Nations\s+)?High\s+Commissioner\s+for\s+Human\s+Rights",
                "OHCHR",
            ),
            "fr": (
                r"Haut-Commissariat\s+des\s+Nations\s+Unies\s+aux\s+droits\s+de\s+l'homme",
                "HCDH",
            ),
            "zh": ("联合国人权事务高级专员办事处", "人权事务高级专员办事处", "人权高专办"),
        },
        acronym="OHCHR",
    ),
    KnownActor(
        "undp",
        "United Nations Development Programme",
        {
            "en": (r"United\s+Nations\s+Development\s+Programme", "UNDP"),
            "fr": (r"Programme\s+des\s+Nations\s+Unies\s+pour\s+le\s+développement", "PNUD"),
            "zh": ("联合国开发计划署", "开发署"),
        },
        acronym="UNDP",
    ),
    KnownActor(
        "unicef",
        "United Nations Children's Fund",
        {
            "en": (r"United\s+Nations\s+Children's\s+Fund", "UNICEF"),
            "fr": (r"Fonds\s+des\s+Nations\s+Unies\s+pour\s+l'enfance", "UNICEF"),
            "zh": ("联合国儿童基金会", "儿基会"),
        },
        acronym="UNICEF",
    ),
    KnownActor(
        "african-union",
        "African Union",
        {"en": (r"African\s+Union",), "fr": (r"Union\s+africaine",), "zh": ("非洲联盟", "非盟")},
        acronym="AU",
    ),
    KnownActor(
        "european-union",
        "European Union",
        {"en": (r"European\s+Union",), "fr": (r"Union\s+européenne",), "zh": ("欧洲联盟", "欧盟")},
        acronym="EU",
    ),
    KnownActor(
        "caricom",
        "Caribbean Community",
        {
            "en": (r"Caribbean\s+Community", "CARICOM"),
            "fr": (r"Communauté\s+des\s+Caraïbes", "CARICOM"),
            "zh": ("加勒比共同体", "加共体"),
        },
        acronym="CARICOM",
    ),
    KnownActor(
        "peacebuilding-commission",
        "Peacebuilding Commission",
        {
            "en": (r"Peacebuilding\s+Commission",),
            "fr": (r"Commission\s+de\s+consolidation\s+de\s+la\s+paix",),
            "zh": ("建设和平委员会",),
        },
    ),
    KnownActor(
        "troop-and-police-contributors",
        "Troop- and police-contributing countries",
        {
            "en": (
                r"troop-\s+and\s+police-contributing\s+countries",
                r"troop-contributing\s+countries",
            ),
            "fr": (
                r"pays\s+fournisseurs\s+de\s+contingents(?:\s+ou\s+de\s+personnel\s+de\s+police)?",
            ),
            "zh": ("出兵和出警国", "出兵国"),
        },
    ),
    # Named by pattern ("the Committee established pursuant to resolution 2653 (2022)"); listed
    # so that the ones analysts already track are not proposed as new.
    KnownActor(
        "sanctions-committee-2653",
        "Security Council Committee established pursuant to resolution 2653 (2022)",
        {},
    ),
    KnownActor("panel-of-experts-2653", "Panel of Experts on Haiti (resolution 2653)", {}),
    _mission(
        "binuh",
        "United Nations Integrated Office in Haiti",
        "BINUH",
        "haiti",
        r"Bureau\s+intégré\s+des\s+Nations\s+Unies\s+en\s+Haïti",
        "联合国海地综合办事处",
        zh_short="联海综合办",
    ),
    _mission(
        "minusca",
        "United Nations Multidimensional Integrated Stabilization Mission in the Central "
        "African Republic",
        "MINUSCA",
        "central-african-republic",
        r"Mission\s+multidimensionnelle\s+intégrée\s+des\s+Nations\s+Unies\s+pour\s+la\s+stabilisation\s+en\s+République\s+centrafricaine",
        "联合国中非共和国多层面综合稳定特派团",
        zh_short="中非稳定团",
    ),
    _mission(
        "monusco",
        "United Nations Organization Stabilization Mission in the Democratic Republic of the Congo",
        "MONUSCO",
        "democratic-republic-of-the-congo",
        r"Mission\s+de\s+l'Organisation\s+des\s+Nations\s+Unies\s+pour\s+la\s+stabilisation\s+en\s+République\s+démocratique\s+du\s+Congo",
        "联合国组织刚果民主共和国稳定特派团",
        zh_short="联刚稳定团",
    ),
    _mission(
        "unmiss",
        "United Nations Mission in South Sudan",
        "UNMISS",
        "south-sudan",
        r"Mission\s+des\s+Nations\s+Unies\s+au\s+Soudan\s+du\s+Sud",
        "联合国南苏丹特派团",
        fr_acronym="MINUSS",
        zh_short="南苏丹特派团",
    ),
    _mission(
        "unifil",
        "United Nations Interim Force in Lebanon",
        "UNIFIL",
        "lebanon",
        r"Force\s+intérimaire\s+des\s+Nations\s+Unies\s+au\s+Liban",
        "联合国驻黎巴嫩临时部队",
        fr_acronym="FINUL",
        zh_short="联黎部队",
    ),
    _mission(
        "unama",
        "United Nations Assistance Mission in Afghanistan",
        "UNAMA",
        "afghanistan",
        r"Mission\s+d'assistance\s+des\s+Nations\s+Unies\s+en\s+Afghanistan",
        "联合国阿富汗援助团",
        fr_acronym="MANUA",
        zh_short="联阿援助团",
    ),
    _mission(
        "unsmil",
        "United Nations Support Mission in Libya",
        "UNSMIL",
        "libya",
        r"Mission\s+d'appui\s+des\s+Nations\s+Unies\s+en\s+Libye",
        "联合国利比亚支助团",
        fr_acronym="MANUL",
        zh_short="联利支助团",
    ),
)

# Actors named by a pattern. Group `res` is the resolution that established a committee; a
# Panel of Experts takes the number of the committee it serves.
COMMITTEE = {
    "en": (
        r"(?:Security\s+Council\s+)?Committee\s+(?:established\s+)?(?:pursuant\s+to|by)\s+"
        r"(?:its\s+)?resolution\s+(?P<res>\d{3,4})\s*\(\s*(?P<year>\d{4})\s*\)"
    ),
    "fr": (
        r"Comité\s+(?:du\s+Conseil\s+de\s+sécurité\s+)?(?:créé|établi|constitué)\s+(?:par|en\s+"
        r"application\s+de)\s+(?:la\s+|sa\s+)?résolution\s+(?P<res>\d{3,4})\s*\(\s*(?P<year>\d{4})\s*\)"
    ),
    "zh": (
        r"第\s*(?P<res>\d{3,4})\s*\(\s*(?P<year>\d{4})\s*\)\s*号决议所设(?:立)?的?(?:制裁)?委员会"
    ),
}
# "the Committee" alone: the committee the resolution names elsewhere, if it names one.
COMMITTEE_BARE = {
    "en": r"\bthe\s+Committee\b",
    "fr": r"\ble\s+Comité\b",
    "zh": r"(?:该|制裁)?委员会",
}
PANEL = {"en": r"Panel\s+of\s+Experts", "fr": r"Groupe\s+d'experts", "zh": r"专家(?:小)?组"}

COUNTRIES: tuple[Country, ...] = (
    Country(
        "haiti",
        "Haiti",
        {"en": ("Haiti",), "fr": ("Haïti",), "zh": ("海地",)},
        {"en": ("Haitian",), "fr": ("haïtien", "haïtienne", "haïtiens", "haïtiennes")},
    ),
    Country(
        "central-african-republic",
        "Central African Republic",
        {
            "en": ("Central African Republic",),
            "fr": ("République centrafricaine",),
            "zh": ("中非共和国",),
        },
        {"en": ("Central African",), "fr": ("centrafricain", "centrafricaine", "centrafricains")},
    ),
    Country(
        "democratic-republic-of-the-congo",
        "Democratic Republic of the Congo",
        {
            "en": ("Democratic Republic of the Congo",),
            "fr": ("République démocratique du Congo",),
            "zh": ("刚果民主共和国", "刚果(金)"),
        },
        {"en": ("Congolese",), "fr": ("congolais", "congolaise", "congolaises")},
    ),
    Country(
        "south-sudan",
        "South Sudan",
        {"en": ("South Sudan",), "fr": ("Soudan du Sud",), "zh": ("南苏丹",)},
        {"en": ("South Sudanese",), "fr": ("sud-soudanais", "sud-soudanaise")},
    ),
    Country(
        "sudan",
        "Sudan",
        {"en": ("Sudan",), "fr": ("Soudan",), "zh": ("苏丹",)},
        {"en": ("Sudanese",), "fr": ("soudanais", "soudanaise")},
    ),
    Country(
        "lebanon",
        "Lebanon",
        {"en": ("Lebanon",), "fr": ("Liban",), "zh": ("黎巴嫩",)},
        {"en": ("Lebanese",), "fr": ("libanais", "libanaise", "libanaises")},
    ),
    Country(
        "afghanistan",
        "Afghanistan",
        {"en": ("Afghanistan",), "fr": ("Afghanistan",), "zh": ("阿富汗",)},
        {"en": ("Afghan",), "fr": ("afghan", "afghane", "afghans", "afghanes")},
    ),
    Country(
        "libya",
        "Libya",
        {"en": ("Libya",), "fr": ("Libye",), "zh": ("利比亚",)},
        {"en": ("Libyan",), "fr": ("libyen", "libyenne", "libyens", "libyennes")},
    ),
    Country(
        "mali",
        "Mali",
        {"en": ("Mali",), "fr": ("Mali",), "zh": ("马里",)},
        {"en": ("Malian",), "fr": ("malien", "malienne", "maliens", "maliennes")},
    ),
    Country(
        "somalia",
        "Somalia",
        {"en": ("Somalia",), "fr": ("Somalie",), "zh": ("索马里",)},
        {"en": ("Somali",), "fr": ("somalien", "somalienne", "somaliens")},
    ),
    Country(
        "iraq",
        "Iraq",
        {"en": ("Iraq",), "fr": ("Iraq",), "zh": ("伊拉克",)},
        {"en": ("Iraqi",), "fr": ("iraquien", "iraquienne", "iraquiens")},
    ),
    Country(
        "yemen",
        "Yemen",
        {"en": ("Yemen",), "fr": ("Yémen",), "zh": ("也门",)},
        {"en": ("Yemeni",), "fr": ("yéménite", "yéménites")},
    ),
    Country(
        "colombia",
        "Colombia",
        {"en": ("Colombia",), "fr": ("Colombie",), "zh": ("哥伦比亚",)},
        {"en": ("Colombian",), "fr": ("colombien", "colombienne", "colombiens")},
    ),
    Country(
        "cyprus",
        "Cyprus",
        {"en": ("Cyprus",), "fr": ("Chypre",), "zh": ("塞浦路斯",)},
        {"en": ("Cypriot",), "fr": ("chypriote", "chypriotes")},
    ),
)

ACTORS_BY_CODE = {actor.code: actor for actor in ACTORS}
COUNTRIES_BY_CODE = {country.code: country for country in COUNTRIES}
