"""Bytes into text: encodings, Word, PDF, and what is refused."""

import io
import zipfile

import docx
import pytest

from intake.errors import IntakeError
from intake.reading import read_bytes
from intake.reading.sources import MAX_BYTES, decode, extract
from tests.intake.helpers import CORPUS, resolution

ZH = resolution("zh", "请秘书长在 30 天内向安全理事会提交报告；")
FR = resolution("fr", "Prie le Secrétaire général de lui faire rapport ; réaffirme l'unité.")


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (ZH.encode("utf-8"), ZH),
        (ZH.encode("utf-8-sig"), ZH),
        (ZH.encode("utf-16"), ZH),  # little-endian with its BOM
        (b"\xfe\xff" + ZH.encode("utf-16-be"), ZH),
        (ZH.encode("gb18030"), ZH),
        (FR.encode("cp1252"), FR),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "gb18030", "windows-1252"],
)
def test_decode_reads_each_encoding(data, text):
    decoded, source_format, _notices = decode(data)

    assert (decoded, source_format) == (text, "text")


def test_decode_says_when_it_was_not_utf8():
    _text, _format, notices = decode(ZH.encode("gb18030"))

    assert [(n.code, n.params["encoding"]) for n in notices] == [("encoding", "GB18030")]


def test_undecodable_bytes_are_refused():
    with pytest.raises(IntakeError) as error:
        decode(b"Resolution \x81\x30 \xff\xfe\xfd \x8f")

    assert error.value.code == "undecodable"
    assert "UTF-8" in error.value.message


def test_nul_bytes_are_refused():
    with pytest.raises(IntakeError) as error:
        extract(b"Resolution 9901 (2031)\x00\x00")

    assert error.value.code == "nul_bytes"


def test_too_large_file_is_refused():
    with pytest.raises(IntakeError) as error:
        extract(b"a" * (MAX_BYTES + 1))

    assert (error.value.code, error.value.params["limit"]) == ("too_large", 2048)


def test_empty_file_is_refused():
    with pytest.raises(IntakeError) as error:
        extract(b"  \n ")

    assert error.value.code == "empty"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + b"0" * 50, b"\xd0\xcf\x11\xe0" + b"0" * 50, b"{\\rtf1 hello}"],
    ids=["image", "old-word", "rtf"],
)
def test_unknown_format_is_refused(data):
    with pytest.raises(IntakeError) as error:
        extract(data)

    assert error.value.code == "unknown_format"


def test_zip_that_is_not_word_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")

    with pytest.raises(IntakeError) as error:
        extract(buffer.getvalue())

    assert error.value.code == "unknown_format"


def test_image_only_pdf_is_refused():
    with pytest.raises(IntakeError) as error:
        extract((CORPUS / "image-only.pdf").read_bytes())

    assert error.value.code == "no_text"


def test_broken_pdf_is_refused():
    with pytest.raises(IntakeError) as error:
        extract(b"%PDF-1.7\nnot really a pdf")

    assert error.value.code in {"unreadable_pdf", "no_text"}


def test_docx_marks_emphasis_and_drops_superscript_marks():
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Further requests").italic = True
    paragraph.add_run(" the Secretary-General to report,")
    paragraph.add_run("1").font.superscript = True
    buffer = io.BytesIO()
    document.save(buffer)

    extracted = extract(buffer.getvalue())

    assert extracted.text == "**Further requests** the Secretary-General to report,"
    assert (extracted.format, extracted.footnote_markers) == ("docx", 1)


@pytest.mark.parametrize(
    ("name", "source_format"),
    [
        ("s-res-9901-2031.en.docx", "docx"),
        ("s-res-9901-2031.en.pdf", "pdf"),
        ("s-res-9903-2031.zh.pdf", "pdf"),
        ("s-res-9902-2031.fr.bom.txt", "text"),
        ("s-res-9901-2031.en.utf16.txt", "text"),
        ("s-res-9903-2031.zh.gb18030.txt", "text"),
    ],
)
def test_read_bytes_reads_each_form(name, source_format):
    reading = read_bytes((CORPUS / name).read_bytes(), filename=name)

    assert reading.source_format == source_format
    assert reading.operative[0].number == 1


def test_pdf_text_is_repaired():
    # Chinese fonts map some characters to radicals, Latin fonts to ligatures.
    reading = read_bytes((CORPUS / "s-res-9901-2031.en.pdf").read_bytes())
    zh = read_bytes((CORPUS / "s-res-2692-2023.zh.pdf").read_bytes())

    assert "Office of the United Nations High Commissioner" in reading.operative[6].text
    assert "首要责任" in zh.preambular[5].text
    assert "⾸" not in zh.preambular[5].text
