"""Times the intake (reading and proposing, no database) on generated resolutions.

1. A 20-page resolution: the paragraphs of S/RES/9901 (2031) (a fictional resolution of
   the intake's corpus) repeated to 20 printed pages, laid out as a copy of the PDF
   (masthead, hard wraps, footers, running headers), read from its bytes; and the same
   as a Word file. With --pdf, also as a PDF printed by Chromium.
2. Resolutions read in a row: 10, then 1,000 generated ones (each a corpus resolution
   with its own number, date and mandate), per-resolution time.

    DJANGO_SECRET_KEY=bench DJANGO_DEBUG=1 .venv/bin/python benchmarks/intake_speed.py [--pdf]

The aim is under one second for the 20-page resolution. The import into the database
is not measured here.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "intake"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mandate_tracker.settings")

import django  # noqa: E402

django.setup()

import make_corpus  # noqa: E402

from intake.document import read_document  # noqa: E402

PAGE_LINES = 46


def twenty_pages() -> make_corpus.Source:
    """S/RES/9901 (2031) with its paragraphs repeated until the copy runs to 20 pages."""
    base = make_corpus.parse(make_corpus.CORPUS / "s-res-9901-2031.en.source.txt", "en")
    preambular = [b for b in base.blocks if not b[0][:1].isdigit()][:10]
    operative = [b for b in base.blocks if b[0][:1].isdigit()][:-1]
    blocks = list(preambular)
    number = 0
    source = make_corpus.Source(
        "s-res-9990-2031", "en", base.front, blocks, base.footnotes, "9990", "2031", base.adopted
    )
    source.front = [base.front[0].replace("9901", "9990"), *base.front[1:]]
    while True:
        for block in operative:
            number += 1
            first = block[0].split(". ", 1)[1]
            blocks.append([f"{number}. {first}", *block[1:]])
        copy = make_corpus.pdf_copy(source, marks="glued", measure=84, blank_lines=True)
        pages = copy.count("S/RES/9990 (2031)\n")
        if pages >= 20:
            return source


def best_of(repeat: int, function) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def many(count: int) -> list[bytes]:
    """`count` resolutions, each a corpus text with its own number and dates."""
    texts = [
        (make_corpus.CORPUS / name).read_text(encoding="utf-8")
        for name in (
            "s-res-9901-2031.en.txt",
            "s-res-9902-2031.fr.txt",
            "s-res-9903-2031.zh.txt",
            "s-res-2692-2023.zh.pdfcopy.txt",
        )
    ]
    out = []
    for i in range(count):
        text = texts[i % len(texts)]
        out.append(text.replace("9901", str(5000 + i)).replace("2692", str(5000 + i)).encode())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="Also time the PDF (needs Chromium).")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    source = twenty_pages()
    copy = make_corpus.pdf_copy(source, marks="glued", measure=84, blank_lines=True)
    data = copy.encode()
    pages = copy.count("S/RES/9990 (2031)\n")
    seconds, reading = best_of(options.repeat, lambda: read_document(data))
    proposals = sum(len(p.proposals) for p in reading.operative)
    print(
        f"20-page resolution as text: {pages} pages, {len(data) // 1024} KB, "
        f"{len(reading.operative)} operative paragraphs, {proposals} proposals: "
        f"{seconds * 1000:.0f} ms (best of {options.repeat})"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "twenty.docx"
        make_corpus.docx_file(source, path)
        word = path.read_bytes()
        seconds, _ = best_of(options.repeat, lambda: read_document(word))
        print(f"20-page resolution as Word: {seconds * 1000:.0f} ms")
        if options.pdf:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=make_corpus.CHROMIUM_ARGS
                )
                make_corpus.pdf_file(source, Path(folder) / "twenty.pdf", browser)
                browser.close()
            pdf = (Path(folder) / "twenty.pdf").read_bytes()
            seconds, _ = best_of(options.repeat, lambda: read_document(pdf))
            print(f"20-page resolution as PDF: {seconds * 1000:.0f} ms")

    for count in (10, 1000):
        batch = many(count)
        times = []
        start = time.perf_counter()
        for item in batch:
            begin = time.perf_counter()
            read_document(item)
            times.append(time.perf_counter() - begin)
        total = time.perf_counter() - start
        print(
            f"{count} resolutions in a row: {total:.2f} s, per resolution "
            f"mean {statistics.mean(times) * 1000:.1f} ms, "
            f"median {statistics.median(times) * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
