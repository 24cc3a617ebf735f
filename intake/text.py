"""Small text helpers shared by the readers and the proposers.

`fold` maps each character to at most one character, so offsets in the folded text are
offsets in the original: patterns match the folded text, and the words returned are sliced
from the text as written.
"""

import re
import unicodedata

_FOLD_MAP = {chr(0xFF01 + i): chr(0x21 + i) for i in range(94)}  # full-width ASCII
_FOLD_MAP.update(
    {
        "\u3000": " ",  # ideographic space
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u00ad": "-",  # a soft hyphen left by a word processor at a line end
    }
)
_FOLD = str.maketrans(_FOLD_MAP)

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_SUPERSCRIPT_DIGITS = str.maketrans(SUPERSCRIPTS, "1234567890")
_SPACES = re.compile(r"[ \t\u3000\u00a0\u202f]+")
_MARKUP = re.compile(r"\*+")


# Some PDF fonts map Chinese glyphs to the radical code points that share their shape
# (⻓ for 长, ⾄ for 至): Kangxi radicals have a compatibility mapping, the supplement's
# whole-character radicals need this table.
_RADICALS = str.maketrans(
    "⺠⺟⺩⺝⺜⺧⺮⺶⺼⻁⻄⻅⻆⻉⻋⻑⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳⻗⻊",
    "民母王月日牛竹羊肉虎西见角贝车長长门青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙龟雨足",
)
_KANGXI = re.compile("[\u2f00-\u2fdf]")


_LIGATURES = re.compile("[\ufb00-\ufb06]")


def repair_pdf_text(text: str) -> str:
    """What PDF fonts do to text, undone: radical code points put back as the characters
    they stand for, typographic ligatures (ﬁ, ﬃ) as their letters."""
    text = _KANGXI.sub(lambda m: unicodedata.normalize("NFKC", m[0]), text)
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m[0]), text)
    return text.translate(_RADICALS)


def fold(text: str) -> str:
    """Full-width digits and punctuation as ASCII, odd spaces and quotes as plain ones."""
    return text.translate(_FOLD)


def superscript_digits(text: str) -> str:
    return text.translate(_SUPERSCRIPT_DIGITS)


def strip_markup(text: str) -> str:
    """`**bold**` markers (and any stray asterisk) are formatting, never text."""
    return _MARKUP.sub("", text)


def squeeze(text: str) -> str:
    """Runs of spaces as one, lines trimmed; line breaks kept."""
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def width(text: str) -> int:
    """Display columns: a Chinese character takes two, as on the printed page."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def slug(text: str) -> str:
    """A code for a new actor: lower case, words joined by hyphens, Chinese kept."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s-]", "", text).strip()
    return re.sub(r"[\s_-]+", "-", text).strip("-")
