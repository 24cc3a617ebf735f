"""French: the words of Security Council resolutions as the UN publishes them."""

from intake.languages import Language

LANGUAGE = Language(
    code="fr",
    name="Français",
    spaced=True,
    markers=(" le ", " la ", " les ", " des ", " et ", " du ", " de ", "é"),
    heading=r"R[ée]solution\s+(?P<number>\d{1,5})\s*\((?P<year>\d{4})\)",
    adoption=(
        r"Adopt[ée]e\s+par\s+le\s+Conseil\s+de\s+s[ée]curit[ée]\s+[àa]\s+sa\s+(?P<meeting>\d+)"
        r"\s*(?:e|ème|re)?\s+s[ée]ance,?\s+le\s+{date}"
    ),
    opening=r"Le\s+Conseil\s+de\s+s[ée]curit[ée]\s*,",
    months={
        "janvier": 1,
        "février": 2,
        "fevrier": 2,
        "mars": 3,
        "avril": 4,
        "mai": 5,
        "juin": 6,
        "juillet": 7,
        "août": 8,
        "aout": 8,
        "septembre": 9,
        "octobre": 10,
        "novembre": 11,
        "décembre": 12,
        "decembre": 12,
    },
    date=r"(?P<day>\d{1,2})\s*(?:er)?\s+(?P<month>{months})\s+(?P<year>\d{4})",
    masthead=(r"Nations\s+Unies", r"Conseil\s+de\s+s[ée]curit[ée]"),
    furniture=(r"Merci\s+de\s+recycler", r"Page\s+\d+(?:\s+sur\s+\d+)?", r"Original\s*:\s*\w+"),
    annex=r"Annexe(?:\s+[IVX\d]+)?",
    preambular=(
        "Rappelant",
        "Réaffirmant",
        "Réitérant",
        "Soulignant",
        "Insistant",
        "Mettant l'accent",
        "Se déclarant",
        "Se disant",
        "Se félicitant",
        "Notant",
        "Prenant note",
        "Prenant acte",
        "Saluant",
        "Accueillant",
        "Rendant hommage",
        "Considérant",
        "Estimant",
        "Condamnant",
        "Déplorant",
        "Constatant",
        "Agissant en vertu",
        "Conscient",
        "Consciente",
        "Reconnaissant",
        "Exprimant",
        "Préoccupé",
        "Gravement préoccupé",
        "Profondément préoccupé",
        "Vivement préoccupé",
        "Alarmé",
        "Encourageant",
        "Demandant",
        "Exhortant",
        "Ayant examiné",
        "Tenant compte",
        "Sachant",
        "Résolu",
        "Convaincu",
        "Affirmant",
        "Gardant à l'esprit",
        "Appelant",
    ),
    preambular_prefixes=(),
    verbs={
        r"Décide": "decides",
        r"Autorise": "decides",
        r"Prie": "requests",
        r"Charge": "requests",
        r"Demande\s+(?:(?:en\s+outre|également|de\s+nouveau|à\s+nouveau)\s+)?instamment": "urges",
        r"Demande": "calls_upon",
        r"Invite": "calls_upon",
        r"Exige": "demands",
        r"Engage\s+(?:(?:en\s+outre|également)\s+)?vivement": "urges",
        r"Exhorte": "urges",
        r"Engage": "encourages",
        r"Encourage": "encourages",
        r"Réaffirme": "reaffirms",
        r"Réitère": "reaffirms",
        r"Affirme": "affirms",
        r"Souligne": "stresses",
        r"Insiste": "stresses",
        r"Met\s+l'accent": "stresses",
        r"Rappelle": "recalls",
        r"Condamne": "condemns",
        r"Prend\s+(?:note|acte)": "notes",
        r"Note": "notes",
        r"Constate": "notes",
        r"Reconnaît": "recognizes",
        r"Salue": "welcomes",
        r"Se\s+félicite": "welcomes",
        r"Accueille\s+avec\s+satisfaction": "welcomes",
        r"Rend\s+hommage": "welcomes",
        r"Se\s+(?:déclare|dit)\s+(?:(?:vivement|profondément|gravement|très)\s+)?préoccupé": (
            "expresses_concern"
        ),
        r"Exprime\s+sa\s+(?:(?:vive|profonde|grave|sérieuse)\s+)?préoccupation": (
            "expresses_concern"
        ),
        r"Déplore": "deplores",
        r"Entend": "other",
        r"Exprime\s+son\s+intention": "other",
        r"Se\s+déclare\s+prêt": "other",
        r"Attend\s+avec\s+intérêt": "other",
        r"Demeure\s+(?:activement\s+)?saisi": "other",
    },
    verb_prefixes=(),
    verb_suffixes=("en outre", "également", "aussi", "de nouveau", "à nouveau", "encore"),
    clause_link=r"(?:[,;:]\s*|\bet\s+|\bà\s+cet\s+égard,?\s+)(?:(?:et|en\s+outre|également|à\s+cet\s+égard|de\s+plus),?\s+)*",
    sub_paragraph=r"\(?(?:[a-z]{1,2}|[ivx]{1,5}|\d{1,2})\)\s",
    addressee_glue=(
        r"(?:\s|,|\bet\b|\bainsi\s+que\b|\by\s+compris\b|\bnotamment\b|\ben\s+particulier\b|"
        r"\ble\b|\bla\b|\bles\b|\bl'|\baux\b|\bau\b|\btous\b|\btoutes\b|\bses\b|\bson\b|\bsa\b|"
        r"\bautres\b|\bconcernés\b|\bconcernées\b)*"
    ),
    pronoun=r"(?:le|la|les|lui|leur)\b",
    # "de", "d'" or "à" before an infinitive: "Prie le Conseil national de transition de ..."
    # reads on to "à adopter".
    object_start=r"(?:\bde\s+|\bd'|\bà\s+)(?=(?:lui\s+|leur\s+|en\s+|y\s+)?[\w']+(?:er|ir|re|oir)\b)",
    need=(
        r"\bla\s+(?:nécessité|nécessaire)\s+pour\s+(?P<who>.{2,160}?)\s+(?:de|d')\b",
        r"\bque\s+(?P<who>.{2,160}?)\s+(?:doit|doivent|devrait|devraient)\b",
    ),
    no_ask=(
        r"\b(?:rester|demeurer)\s+(?:activement\s+)?saisi\b",
        r"\b(?:entend|intention)\s+(?:de|d')\b",
        r"\bd'examiner\b",
    ),
    report=(
        r"\b(?:faire\s+rapport|rendre\s+compte|(?:présenter|soumettre|remettre|fournir)\s+au\s+Conseil|(?:lui\s+)?(?:présenter|soumettre|remettre)\s+"
        r"(?:(?:un|une|des|ses|son)\s+)?(?:[\w'-]+\s+){0,3}(?:rapports?|évaluation|bilan)|"
        r"(?:tenir|informer)\s+(?:le\s+Conseil\s+)?(?:régulièrement\s+)?informé|"
        r"informer\s+(?:régulièrement\s+)?le\s+Conseil|faire\s+(?:un\s+)?exposé|"
        r"(?:lui\s+)?fournir\s+(?:des\s+|une\s+)?(?:[\w'-]+\s+){0,2}(?:informations|mises?\s+à\s+jour)|"
        r"en\s+annexe\s+(?:à\s+(?:ses|chacun\s+de\s+ses)|aux)\s+rapports|"
        r"inclure\b[^.;]{0,80}\bdans\s+(?:ses|les)\s+rapports)"
    ),
    report_split=r"(?:,\s*|\s+)et\s+(?:de\s+|d'|à\s+)(?=\S)",
    standing=(
        r"^\s*(?:(?:de|à)\s+|d')?(?:continuer|poursuivre)\b|\btout\s+au\s+long\s+de\s+son\s+mandat\b|"
        r"\ben\s+permanence\b"
    ),
    generic_addressees=(
        r"autres\s+(?:entités|acteurs|partenaires|organisations)(?:\s+concernée?s)?",
        r"(?:entités|organismes)\s+(?:compétents\s+)?des\s+Nations\s+Unies",
    ),
    government=(
        r"\b(?:le\s+)?Gouvernement\s+(?:de\s+transition\s+)?(?:de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+|d')"
        r"(?P<country>[A-ZÉ][\w'-]*(?:\s+[A-ZÉ][\w'-]*){0,3})",
        r"\b(?:les\s+)?autorités\s+(?:de\s+la\s+|de\s+l'|du\s+|de\s+|d')"
        r"(?P<country>[A-ZÉ][\w'-]*(?:\s+[A-ZÉ][\w'-]*){0,3})",
        r"\b(?:le\s+)?Gouvernement\s+(?P<adj>[a-zéèï]{4,}(?:ne|n|s|e)?)\b",
        r"\b(?:les\s+)?autorités\s+(?P<adj>[a-zéèï]{4,})\b",
    ),
    authorities=r"\bles\s+autorités(?:\s+nationales|\s+compétentes)?\b",
    consultation=(
        r"\ben\s+consultation\s+avec\s+(?:le\s+Gouvernement\s+)?(?:la\s+|l'|le\s+)?"
        r"(?P<country>[A-ZÉ][\w'-]*(?:\s+[A-ZÉ][\w'-]*){0,3})"
    ),
    stakeholders=r"\btoutes\s+les\s+parties\s+prenantes\s+(?P<adj>[a-zéèï]{4,})\b",
    head_nouns=(
        "Gouvernement",
        "Conseil",
        "autorités",
        "Bureau",
        "Mission",
        "Comité",
        "Commission",
        "Groupe",
        "Force",
        "Union",
        "Organisation",
        "Fonds",
        "Programme",
        "Agence",
        "Envoyé",
        "Représentant",
        "parties",
        "États",
        "institutions",
        "organisations",
        "partenaires",
        "donateurs",
        "pays",
        "acteurs",
        "dirigeants",
    ),
    numbers={
        "un": 1,
        "une": 1,
        "deux": 2,
        "trois": 3,
        "quatre": 4,
        "cinq": 5,
        "six": 6,
        "sept": 7,
        "huit": 8,
        "neuf": 9,
        "dix": 10,
        "onze": 11,
        "douze": 12,
        "treize": 13,
        "quatorze": 14,
        "quinze": 15,
        "seize": 16,
        "vingt": 20,
        "vingts": 20,
        "trente": 30,
        "quarante": 40,
        "cinquante": 50,
        "soixante": 60,
        "quatre-vingt": 80,
        "quatre-vingts": 80,
    },
    multipliers={"cent": 100, "cents": 100},
    units={
        "jour": "days",
        "jours": "days",
        "semaine": "weeks",
        "semaines": "weeks",
        "mois": "months",
        "an": "years",
        "ans": "years",
        "année": "years",
        "années": "years",
    },
    frequencies={
        "trimestriellement": (3, "months"),
        "tous les trimestres": (3, "months"),
        "chaque trimestre": (3, "months"),
        "annuellement": (12, "months"),
        "chaque année": (12, "months"),
        "tous les ans": (12, "months"),
        "une fois par an": (12, "months"),
        "semestriellement": (6, "months"),
        "deux fois par an": (6, "months"),
        "tous les mois": (1, "months"),
        "chaque mois": (1, "months"),
        "mensuellement": (1, "months"),
    },
    within=(
        r"\bdans\s+(?:un\s+délai\s+de|les)\s+(?P<n>{num})\s+(?P<unit>{unit})(?:\s+(?:qui\s+suivent|"
        r"suivant|à\s+compter\s+de)\s+l'adoption\s+de\s+la\s+présente\s+résolution)?",
    ),
    after_event=r"\s+(?:suivant|qui\s+suivent|à\s+compter\s+de|après)\s+(?!l'adoption)",
    by_date=(
        r"\b(?:d'ici\s+(?:au|le)|au\s+plus\s+tard\s+le|avant\s+le)\s+{date}",
        r"\ble\s+{date},?\s+au\s+plus\s+tard\b",
    ),
    every=(r"\btous\s+les\s+(?P<n>{num})\s+(?P<unit>{unit})",),
    thereafter=r"\b(?:par\s+la\s+suite|ensuite|puis)\b",
    until_expiry=r"\bjusqu'à\s+l'(?:expiration|échéance|expiry)\s+(?:de\s+son|du)\s+(?:présent\s+)?mandat\b",
    until_date=r"\bjusqu'au\s+{date}",
    regular_reports=(
        r"\bdans\s+(?:ses|les)\s+rapports\s+(?:périodiques|réguliers|ordinaires)\b",
        r"\ben\s+annexe\s+(?:à\s+(?:ses|chacun\s+de\s+ses)|aux)\s+rapports\b",
    ),
    same_cycle=(
        r"\bselon\s+le\s+même\s+(?:calendrier|cycle)\s+que\s+(?P<target>[^,;.]{1,120})",
        r"\bau\s+même\s+rythme\s+que\s+(?P<target>[^,;.]{1,120})",
        r"\bsuivant\s+le\s+même\s+cycle\s+que\s+(?P<target>[^,;.]{1,120})",
    ),
    mandate_extension=(
        r"\b(?:proroger|reconduire|renouveler)\s+(?:le\s+mandat\s+(?:de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+)?)?"
        r"(?P<mission>.{2,240}?)\s+jusqu'au\s+{date}",
        r"\b(?:proroger|reconduire)\s+jusqu'au\s+{date},?\s+le\s+mandat\s+(?:de\s+la\s+|de\s+l'|du\s+|de\s+)?"
        r"(?P<mission>[^,;.]{2,200})",
    ),
    reporting_requirement=(
        r"\b(?:obligations?|dispositions)\s+(?:en\s+matière\s+de|relatives?\s+(?:à\s+la|aux))\s+"
        r"(?:présentation\s+de\s+)?rapports?\b"
    ),
)
