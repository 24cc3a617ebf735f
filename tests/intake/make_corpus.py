"""Generate the laid-out forms of the labelled resolutions under tests/intake/corpus/.

Each `<stem>.<lang>.source.txt` is a resolution written for the corpus, one paragraph a
block, lead verbs in `**`, footnotes as `[^n]` with their text at the end. This script
lays each one out as the UN publishes it and as analysts receive it:

- `<stem>.<lang>.txt`: a copy of the PDF (masthead, hard-wrapped lines, footnotes at the
  foot of their page, job number, page numbers, the symbol as running header);
- `<stem>.<lang>.docx`: a Word file (masthead as text, running header and footer in the
  page header and footer, lead verbs in italics or bold, footnote marks in superscript);
- `<stem>.<lang>.pdf`: printed by Chromium from HTML (fonts embedded, text layer);
- copies in other encodings: UTF-16 with a BOM, UTF-8 with a BOM, GB18030.

S/RES/2692 (2023) gets the same treatment from the seed text (`.pdfcopy.txt`, `.docx`,
`.pdf`), lines wrapped at 35 Chinese characters with no blank line between paragraphs.

    .venv/bin/python tests/intake/make_corpus.py

Chromium is /usr/bin/chromium (apt-get install -y chromium fonts-noto-cjk).
"""

import html
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
SEED = Path(__file__).resolve().parents[2] / "paragraphs" / "data" / "s-res-2692-2023.zh.txt"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
MASTHEAD = {
    "en": ("United Nations", "Security Council", "Distr.: General"),
    "fr": ("Nations Unies", "Conseil de sécurité", "Distr. générale"),
    "zh": ("联 合 国", "安全理事会", "Distr.: General"),
}
SUFFIX = {"en": "E", "fr": "F", "zh": "C"}
RECYCLE = {"en": "Please recycle", "fr": "Merci de recycler", "zh": "请回收"}
MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
}
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass
class Source:
    stem: str
    language: str
    front: list[str]  # heading, adoption, opening
    blocks: list[list[str]]  # paragraphs (sub-paragraphs are further lines), then annex
    footnotes: dict[str, str] = field(default_factory=dict)
    number: str = ""
    year: str = ""
    adopted: tuple[int, int, int] = (1, 1, 2000)


def parse(path: Path, language: str) -> Source:
    text = path.read_text(encoding="utf-8")
    footnotes = dict(re.findall(r"^\[\^(\d+)\]:\s*(.+)$", text, flags=re.M))
    text = re.sub(r"^\[\^\d+\]:.*$", "", text, flags=re.M)
    blocks = [b.strip().split("\n") for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    front, blocks = [b[0] for b in blocks[:3]], blocks[3:]
    symbol = re.search(r"(\d{4})\s*\((\d{4})\)", front[0])
    date = re.search(r"(\d{1,2})(?:er)? (\w+) (\d{4})|(\d{4}) 年 (\d+) 月 (\d+) 日", front[1])
    if date[1]:
        month = MONTHS[language].index(date[2]) + 1
        adopted = (int(date[1]), month, int(date[3]))
    else:
        adopted = (int(date[6]), int(date[5]), int(date[4]))
    stem = path.name.split(".")[0]
    return Source(stem, language, front, blocks, footnotes, symbol[1], symbol[2], adopted)


def seed_source() -> Source:
    text = SEED.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return Source(
        "s-res-2692-2023",
        "zh",
        lines[:3],
        [[line] for line in lines[3:]],
        {},
        "2692",
        "2023",
        (14, 7, 2023),
    )


def english_date(day: int, month: int, year: int) -> str:
    return f"{day} {MONTHS['en'][month - 1]} {year}"


def local_date(source: Source) -> str:
    day, month, year = source.adopted
    if source.language == "fr":
        return f"{day} {MONTHS['fr'][month - 1]} {year}"
    return english_date(day, month, year)


def job(source: Source) -> str:
    return f"{source.year[2:]}-{int(source.number) * 7 % 100000:05d}"


def cols(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def plain(line: str, marks: str) -> str:
    """A line as printed: no markup; footnote marks glued ("(2031),1") or superscript."""
    line = line.replace("**", "")
    if marks == "superscript":
        return re.sub(r"\[\^(\d+)\]", lambda m: m[1].translate(SUPERSCRIPT), line)
    return re.sub(r"\[\^(\d+)\]", r"\1", line)


def wrap(text: str, measure: int, spaced: bool) -> list[str]:
    """Hard-wrap like a printed page: at spaces in English and French, anywhere in
    Chinese, with closing punctuation kept on the line it closes."""
    lines, current = [], ""
    tokens = re.findall(r"\S+\s*", text) if spaced else list(text)
    for token in tokens:
        if (
            current
            and cols(current + token.rstrip()) > measure
            and not (not spaced and token in "，。；：、）”,;:)")
        ):
            lines.append(current.rstrip())
            current = ""
        current += token
    if current.strip():
        lines.append(current.rstrip())
    return lines


def pdf_copy(
    source: Source, *, marks: str, measure: int, blank_lines: bool, page_lines: int = 46
) -> str:
    """The text as copied from the PDF: pages with masthead, running header, footer."""
    spaced = source.language != "zh"
    symbol = f"S/RES/{source.number} ({source.year})"
    united, council, distr = MASTHEAD[source.language]
    body: list[tuple[str, list[str]]] = []  # (line, footnotes first referenced on it)
    for line in source.front:
        body += [(line, []), ("", [])]
    for block in source.blocks:
        for part in block:
            for wrapped in wrap(plain(part, "raw"), measure, spaced):
                notes = re.findall(r"(?<=[,.;)])(\d)(?=\s|$|,)", wrapped) if "[^" in part else []
                body.append((plain(wrapped, marks) if marks == "superscript" else wrapped, notes))
        if blank_lines:
            body.append(("", []))
    if marks == "superscript":
        body = [
            (
                re.sub(r"(?<=[,.;)])(\d)(?=\s|$|,)", lambda m: m[1].translate(SUPERSCRIPT), line)
                if notes
                else line,
                notes,
            )
            for line, notes in body
        ]
    pages: list[list[tuple[str, list[str]]]] = []
    while body:
        room = page_lines - (6 if not pages else 3)
        pages.append(body[:room])
        body = body[room:]
    out: list[str] = []
    for number, page in enumerate(pages, start=1):
        if number == 1:
            out += [f"{united} {symbol}", "", f"{council} {distr} {local_date(source)}", ""]
        else:
            out += [symbol, ""]
        out += [line for line, _ in page]
        notes = [n for _, ns in page for n in ns]
        if notes:
            out += [""] + [f"{n} {source.footnotes[n]}" for n in notes]
        out.append("")
        if number == 1:
            code = job(source).replace("-", "")
            out += [
                f"{job(source)} ({SUFFIX[source.language]})",
                f"*{code}*",
                RECYCLE[source.language],
            ]
        elif number % 2 == 0:
            out.append(f"{number}/{len(pages)} {job(source)}")
        else:
            out.append(f"{job(source)} {number}/{len(pages)}")
        out.append("")
    return "\n".join(out)


def docx_file(source: Source, path: Path) -> None:
    import docx

    document = docx.Document()
    symbol = f"S/RES/{source.number} ({source.year})"
    united, council, distr = MASTHEAD[source.language]
    section = document.sections[0]
    section.header.paragraphs[0].text = symbol
    section.footer.paragraphs[0].text = f"{job(source)} ({SUFFIX[source.language]})"
    for line in (f"{united}    {symbol}", f"{council}    {distr}", local_date(source)):
        document.add_paragraph(line)
    emphasis = "bold" if source.language == "zh" else "italic"
    for block in [[line] for line in source.front] + source.blocks:
        for part in block:
            paragraph = document.add_paragraph()
            for piece in re.split(r"(\*\*[^*]+\*\*|\[\^\d+\])", part):
                if not piece:
                    continue
                if piece.startswith("**"):
                    run = paragraph.add_run(piece[2:-2])
                    setattr(run, emphasis, True)
                elif piece.startswith("[^"):
                    paragraph.add_run(piece[2:-1]).font.superscript = True
                else:
                    paragraph.add_run(piece)
    document.save(path)


def pdf_file(source: Source, path: Path, browser) -> None:
    symbol = f"S/RES/{source.number} ({source.year})"
    united, council, distr = MASTHEAD[source.language]
    tag = "b" if source.language == "zh" else "i"
    parts = []
    for block in source.blocks:
        first, *rest = block
        klass = "op" if re.match(r"\d+\.", first) else "pre"
        if re.fullmatch(r"(Annex|Annexe|附件)", first.strip()):
            klass = "annex"
        text = html.escape(first)
        text = re.sub(r"\*\*([^*]+)\*\*", rf"<{tag}>\1</{tag}>", text)
        text = re.sub(r"\[\^(\d+)\]", r"<sup>\1</sup>", text)
        subs = "".join(f"<div class='sub'>{html.escape(s)}</div>" for s in rest)
        parts.append(f"<p class='{klass}'>{text}{subs}</p>")
    front = "".join(f"<p class='front'>{html.escape(line)}</p>" for line in source.front)
    notes = " ".join(
        f"<div>{n} {html.escape(t)}</div>" for n, t in sorted(source.footnotes.items())
    )
    page = f"""<html><head><meta charset="utf-8"><style>
    @page {{ size: A4; margin: 28mm 22mm 34mm 22mm; }}
    body {{ font-family: 'Noto Serif CJK SC', 'Noto Serif', 'DejaVu Serif', serif;
            font-size: 11.5pt; line-height: 1.45; }}
    .mast {{ display: flex; justify-content: space-between; border-bottom: 1px solid #000; }}
    .front {{ margin: 0 0 10pt 0; }}
    p {{ margin: 0 0 9pt 0; text-align: justify; }}
    .pre {{ text-indent: 2.5em; }}
    .op {{ padding-left: 2.5em; text-indent: -2.5em; }}
    .sub {{ margin-left: 3em; text-indent: 0; }}
    .annex {{ break-before: page; text-align: center; }}
    </style></head><body>
    <div class="mast"><span>{united}</span><span>{symbol}</span></div>
    <div class="mast"><span>{council}</span><span>{distr}<br>{local_date(source)}</span></div>
    <div style="height: 18pt"></div>{front}{"".join(parts)}</body></html>"""
    context = browser.new_page()
    context.set_content(page)
    context.pdf(
        path=str(path),
        format="A4",
        display_header_footer=True,
        header_template=(
            f"<div style='font-size:8pt;width:100%;text-align:right;margin:0 22mm'>{symbol}</div>"
        ),
        footer_template=(
            "<div style='font-size:8pt;width:100%;margin:0 22mm'>"
            f"<div style='margin-bottom:4pt'>{notes}</div>"
            f"{job(source)} ({SUFFIX[source.language]}) "
            "<span class='pageNumber'></span>/<span class='totalPages'></span></div>"
        ),
        margin={"top": "28mm", "bottom": "34mm", "left": "22mm", "right": "22mm"},
    )
    context.close()


def image_only_pdf(path: Path, browser) -> None:
    """A "scanned" resolution: its words drawn into a canvas, so the PDF has no text."""
    page = browser.new_page()
    page.set_content(
        "<canvas id='c' width='600' height='200'></canvas><script>"
        "const x = document.getElementById('c').getContext('2d');"
        "x.font = '20px serif'; x.fillText('Resolution 9901 (2031)', 20, 40);"
        "x.fillText('The Security Council,', 20, 80);</script>"
    )
    page.pdf(path=str(path), format="A4")
    page.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    sources = [parse(path, path.name.split(".")[1]) for path in sorted(CORPUS.glob("*.source.txt"))]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for source in sources:
            base = CORPUS / f"{source.stem}.{source.language}"
            spaced = source.language != "zh"
            marks = "superscript" if source.language == "fr" else "glued"
            copy = pdf_copy(source, marks=marks, measure=84 if spaced else 70, blank_lines=spaced)
            Path(f"{base}.txt").write_text(copy, encoding="utf-8")
            docx_file(source, Path(f"{base}.docx"))
            pdf_file(source, Path(f"{base}.pdf"), browser)
            if source.language == "en":
                Path(f"{base}.utf16.txt").write_bytes(copy.encode("utf-16"))
            elif source.language == "fr":
                Path(f"{base}.bom.txt").write_bytes(copy.encode("utf-8-sig"))
            else:
                Path(f"{base}.gb18030.txt").write_bytes(copy.encode("gb18030"))
        seed = seed_source()
        base = CORPUS / "s-res-2692-2023.zh"
        Path(f"{base}.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
        Path(f"{base}.pdfcopy.txt").write_text(
            pdf_copy(seed, marks="glued", measure=70, blank_lines=False), encoding="utf-8"
        )
        docx_file(seed, Path(f"{base}.docx"))
        pdf_file(seed, Path(f"{base}.pdf"), browser)
        image_only_pdf(CORPUS / "image-only.pdf", browser)
        browser.close()
    print(f"wrote {len(sources) + 1} resolutions under {CORPUS}", file=sys.stderr)


if __name__ == "__main__":
    main()
