from pathlib import Path

from intake.document import read_resolution_text

CORPUS = Path(__file__).resolve().parent / "corpus"

FRONT = {
    "en": (
        "Resolution 9950 (2031)\n\nAdopted by the Security Council at its 10500th meeting, "
        "on 10 January 2031\n\nThe Security Council,\n\n"
        "Recalling its previous resolutions,\n\n"
    ),
    "fr": (
        "Résolution 9950 (2031)\n\nAdoptée par le Conseil de sécurité à sa 10500e séance, "
        "le 10 janvier 2031\n\nLe Conseil de sécurité,\n\n"
        "Rappelant ses résolutions antérieures,\n\n"
    ),
    "zh": (
        "第 9950(2031)号决议\n\n2031 年 1 月 10 日 安全理事会第 10500 次会议通过\n\n"
        "安全理事会，\n\n回顾其以往各项决议，\n\n"
    ),
}
MANDATE = {
    "en": "1. Decides to extend the mandate of BINUH until 15 January 2032;\n\n",
    "fr": "1. Décide de proroger le mandat du BINUH jusqu'au 15 janvier 2032 ;\n\n",
    "zh": "1. 决定将联海综合办的任务期限延长至 2032 年 1 月 15 日；\n\n",
}


def resolution(language: str, *operative: str, mandate: bool = True) -> str:
    """A small resolution: front matter, one preambular paragraph, then `operative`
    numbered from 1 (or from 2 after a mandate renewal until 15 January 2032)."""
    body = MANDATE[language] if mandate else ""
    start = 2 if mandate else 1
    body += "".join(f"{n}. {text}\n\n" for n, text in enumerate(operative, start=start))
    return FRONT[language] + body


def read(language: str, *operative: str, mandate: bool = True):
    return read_resolution_text(resolution(language, *operative, mandate=mandate))


def last(reading):
    return reading.operative[-1]
