"""From bytes to text: plain text in any of the usual encodings, Word files and PDFs.

PDFs are read with pypdf rather than pdfminer.six: it is pure Python with no
dependencies, several times faster on a 20-page document, and its layout mode keeps
what structure needs, i.e. the vertical gaps between paragraphs (as blank lines) and
first-line indents; pdfminer's layout analysis would give the same paragraphs at a
higher cost. Page furniture is left in the text: `intake.reading.furniture` removes it
the same way whatever the source.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from intake.errors import IntakeError, Notice
from intake.text import is_cjk, repair_pdf_text

# A resolution is a few dozen kilobytes of text, a few hundred as a PDF or Word file with
# fonts embedded; the longest ones with annexes stay under 1 MB. Anything larger is not a
# single resolution, and reading it would only waste time.
MAX_BYTES = 2 * 1024 * 1024

PAGE_BREAK = "\f"

# Share of the decoded text's non-ASCII characters that must look like the language of
# the encoding for a legacy encoding to be accepted.
_PLAUSIBLE = 0.97
_LATIN = set("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸàâäçéèêëîïôöùûüÿœŒæÆáíóúñÁÍÓÚÑ’‘“”«»–—…€°\u00a0")
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")


@dataclass
class Extracted:
    text: str
    format: str  # text | docx | pdf
    notices: list[Notice] = field(default_factory=list)
    footnote_markers: int = 0


def extract(data: bytes, *, filename: str | None = None) -> Extracted:
    """The text of an uploaded file, or IntakeError saying why it cannot be read.

    1. Refuse what is too large or empty.
    2. Tell the format from the first bytes (the file name only breaks no tie: a
       renamed file is read as what it is).
    3. Extract: PDF and Word through their libraries, anything else decoded as text.
    """
    if len(data) > MAX_BYTES:
        raise IntakeError(
            "too_large",
            _(
                "The file is %(size)s KB; a resolution is at most a few hundred kilobytes "
                "(the limit is %(limit)s KB). Upload one resolution at a time."
            ),
            size=len(data) // 1024,
            limit=MAX_BYTES // 1024,
        )
    if not data.strip():
        raise IntakeError("empty", _("The file is empty."))
    head = data[:1024]
    if b"%PDF-" in head:
        return _from_pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return _from_docx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise IntakeError(
            "unknown_format",
            _("This is an old Word (.doc) file: save it as .docx or as text, then upload it."),
        )
    if data.startswith(b"{\\rtf"):
        raise IntakeError("unknown_format", _("This is an RTF file: save it as .docx or as text."))
    if data.startswith(_IMAGE_MAGIC):
        raise IntakeError(
            "unknown_format",
            _("This is an image: upload the resolution as text, a Word file or a PDF."),
        )
    return Extracted(*decode(data))


def decode(data: bytes) -> tuple[str, str, list[Notice]]:
    """Decode text bytes: a BOM decides; otherwise UTF-8, then GB18030, then Windows-1252,
    each only if the result is clean. Never a silent guess: IntakeError when none is."""
    for bom, encoding in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise _undecodable(f"{encoding} (byte-order mark)") from None
            return _checked_text(text), "text", []
    if b"\x00" in data:
        raise IntakeError(
            "nul_bytes",
            _(
                "The file contains NUL bytes, so it is not plain text (a UTF-16 file needs "
                "its byte-order mark). Upload the PDF or Word file, or save it as UTF-8."
            ),
        )
    try:
        return _checked_text(data.decode("utf-8")), "text", []
    except UnicodeDecodeError:
        pass
    for encoding, plausible in (("gb18030", _looks_chinese), ("cp1252", _looks_latin)):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if plausible(text):
            notice = Notice(
                "encoding",
                _("The text was not UTF-8; it was read as %(encoding)s."),
                {"encoding": encoding.upper()},
            )
            return _checked_text(text), "text", [notice]
    raise _undecodable("UTF-8, UTF-16, GB18030 or Windows-1252")


def _undecodable(tried: str) -> IntakeError:
    return IntakeError(
        "undecodable",
        _(
            "The text could not be decoded cleanly (tried %(tried)s). Save it as UTF-8 "
            "and upload it again."
        ),
        tried=tried,
    )


def _non_ascii(text: str) -> list[str]:
    return [c for c in text if ord(c) > 127]


def _looks_chinese(text: str) -> bool:
    chars = _non_ascii(text)
    if not chars:
        return False
    chinese = sum(1 for c in chars if is_cjk(c) or "\u3000" <= c <= "\u303f" or c >= "\uff00")
    return chinese / len(chars) >= _PLAUSIBLE


def _looks_latin(text: str) -> bool:
    chars = _non_ascii(text)
    return bool(chars) and sum(1 for c in chars if c in _LATIN) / len(chars) >= _PLAUSIBLE


def _checked_text(text: str) -> str:
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > max(3, len(text) // 200):
        raise IntakeError(
            "unknown_format",
            _("This file is not text, a Word file or a PDF the intake can read."),
        )
    return text


def _from_docx(data: bytes) -> Extracted:
    """The body's paragraphs in order, one per block. Bold or italic runs are marked
    `**…**`, as the lead verb is set in the UN's files; superscript digits are footnote
    references and dropped. Headers and footers (the page furniture) are not read."""
    import docx
    from docx.oxml.ns import qn

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise IntakeError(
                    "unknown_format",
                    _("This is a ZIP archive, not a Word document: upload the .docx itself."),
                )
        document = docx.Document(io.BytesIO(data))
    except IntakeError:
        raise
    except Exception as error:
        raise IntakeError(
            "unreadable_docx",
            _("The Word file could not be opened (%(error)s)."),
            error=type(error).__name__,
        ) from None

    markers = 0
    blocks: list[str] = []
    body = document.element.body
    for element in body.iter(qn("w:p")):
        parts: list[str] = []
        for run in docx.text.paragraph.Paragraph(element, document).runs:
            text = run.text
            if not text:
                continue
            if run.font.superscript and text.strip().isdigit():
                markers += 1
                continue
            emphasis = bool(run.bold or run.italic) and text.strip()
            parts.append(f"**{text}**" if emphasis else text)
        # Adjacent emphasised runs make one phrase: "**Further** **requests**".
        line = re.sub(r"\*\*(\s*)\*\*", r"\1", "".join(parts))
        blocks.append(line)
    text = "\n\n".join(block for block in blocks)
    return Extracted(text, "docx", [], markers)


def _from_pdf(data: bytes) -> Extracted:
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IntakeError(
                "unreadable_pdf", _("The PDF is password-protected; upload an open copy.")
            )
        pages = [
            page.extract_text(extraction_mode="layout", layout_mode_space_vertically=True)
            for page in reader.pages
        ]
    except IntakeError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise IntakeError(
            "unreadable_pdf",
            _("The PDF could not be read (%(error)s)."),
            error=type(error).__name__,
        ) from None
    text = repair_pdf_text(PAGE_BREAK.join(pages))
    if sum(1 for c in text if not c.isspace()) < 40:
        raise IntakeError(
            "no_text",
            _(
                "The PDF has no text layer (it is a scanned image). Upload the UN's text "
                "PDF, a Word file or the text itself."
            ),
        )
    # Layout mode pads to keep columns: spaces before Chinese punctuation and runs of
    # blank lines are layout, not text.
    text = re.sub(r"[ \t]+(?=[，。；：、）」』”！？])", "", text)
    text = re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n\n", text)
    return Extracted(text, "pdf", [])
