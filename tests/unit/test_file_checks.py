"""File checks before anything is stored: types recognised by content, sizes,
counts, and file names made safe. The builders here make real minimal files
(also used by test_documents and the route tests)."""

import io
import unicodedata
import zipfile

import pytest
from fpdf import FPDF
from PIL import Image

from portal_app.services.documents import (
    IncomingFile,
    check_files,
    clean_filename,
    sniff_type,
)
from portal_app.services.errors import ServiceError

MB = 1024 * 1024
OOXML = "application/vnd.openxmlformats-officedocument."

# --- builders ------------------------------------------------------------------------------


def pdf_bytes(text: str = "Hello") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def image_bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (3, 2), "teal").save(out, fmt)
    return out.getvalue()


def heic_header() -> bytes:
    """The start of an iPhone HEIC photo: an ftyp box with major brand heic."""
    box = b"ftyp" + b"heic" + b"\x00\x00\x00\x00" + b"mif1heic"
    return (4 + len(box)).to_bytes(4, "big") + box + b"\x00" * 64


_MAIN_PARTS = {
    "docx": ("word/document.xml", OOXML + "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", OOXML + "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", OOXML + "presentationml.presentation.main+xml"),
}


def ooxml_bytes(kind: str, *, main_type: str | None = None, include_part: bool = True,
                extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Office Open XML package of `kind` (docx, xlsx, pptx)."""
    part, default_type = _MAIN_PARTS[kind]
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main_type or default_type}"/>'
        '</Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        if include_part:
            z.writestr(part, "<root/>")
        for name, body in (extra or {}).items():
            z.writestr(name, body)
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


def plain_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
       b"<script>alert(1)</script></svg>")


# --- sniffing: accepted --------------------------------------------------------------------


@pytest.mark.parametrize(("filename", "make", "expected"), [
    ("report.pdf", pdf_bytes, "application/pdf"),
    ("Report.PDF", pdf_bytes, "application/pdf"),
    ("photo.png", lambda: image_bytes("PNG"), "image/png"),
    ("photo.jpg", lambda: image_bytes("JPEG"), "image/jpeg"),
    ("photo.jpeg", lambda: image_bytes("JPEG"), "image/jpeg"),
    ("anim.gif", lambda: image_bytes("GIF"), "image/gif"),
    ("pic.webp", lambda: image_bytes("WEBP"), "image/webp"),
    ("IMG_0001.HEIC", heic_header, "image/heic"),
    ("notes.txt", lambda: "Grüße, 日本語 — notes\nline 2\n".encode(), "text/plain"),
    ("bom.txt", lambda: "\ufeffwith a BOM".encode(), "text/plain"),
    ("data.csv", lambda: b"name,amount\nAlex,10\n", "text/csv"),
    ("letter.docx", lambda: ooxml_bytes("docx"), OOXML + "wordprocessingml.document"),
    ("sheet.xlsx", lambda: ooxml_bytes("xlsx"), OOXML + "spreadsheetml.sheet"),
    ("deck.pptx", lambda: ooxml_bytes("pptx"), OOXML + "presentationml.presentation"),
    ("essay.odt", odt_bytes, "application/vnd.oasis.opendocument.text"),
])
def test_sniff_type_allowed_file_returns_its_type(filename, make, expected):
    assert sniff_type(make(), filename) == expected


# --- sniffing: refused ---------------------------------------------------------------------


@pytest.mark.parametrize(("filename", "make"), [
    ("setup.exe", lambda: EXE),
    ("invoice.pdf", lambda: EXE),                       # a program named as a PDF
    ("invoice.pdf", lambda: HTML),                      # a page named as a PDF
    ("page.html", lambda: HTML),
    ("page.htm", lambda: HTML),
    ("logo.svg", lambda: SVG),
    ("logo.png", lambda: SVG),                          # SVG named as a PNG
    ("photo.jpg", lambda: image_bytes("PNG")),          # real image, wrong extension
    ("photo.png", lambda: image_bytes("JPEG")),
    ("archive.zip", lambda: plain_zip({"a.txt": b"hi"})),
    ("letter.docx", lambda: plain_zip({"a.txt": b"hi"})),  # a ZIP without OOXML types
    ("letter.docx", lambda: ooxml_bytes("xlsx")),       # a workbook named as a document
    ("letter.docx", lambda: ooxml_bytes("docx", include_part=False)),
    ("letter.docx", lambda: ooxml_bytes(
        "docx", main_type="application/vnd.ms-word.document.macroEnabled.main+xml")),
    ("letter.docx", lambda: ooxml_bytes("docx", extra={"word/vbaProject.bin": b"\x00" * 8})),
    ("letter.docm", lambda: ooxml_bytes("docx")),
    ("letter.docx", lambda: b"PK\x03\x04" + b"\x00" * 40),  # a broken ZIP
    ("essay.odt", lambda: plain_zip({"mimetype": b"application/zip"})),
    ("notes.txt", lambda: b"text with a \x00 NUL"),
    ("notes.txt", lambda: "UTF-16 text".encode("utf-16")),
    ("notes.txt", lambda: b"caf\xe9 in latin-1"),       # invalid UTF-8
    ("notes.txt", lambda: b"\xff\xfe\xfd"),
    ("data.csv", lambda: EXE),
    ("script.js", lambda: b"alert(1)"),
    ("run.sh", lambda: b"#!/bin/sh\nrm -rf /\n"),
    ("noextension", pdf_bytes),
    ("pdf", pdf_bytes),
    ("report.pdf.exe", lambda: EXE),
    ("image.heic", lambda: b"\x00\x00\x00\x18ftypisom" + b"\x00" * 32),  # an MP4
])
def test_sniff_type_refuses_what_is_not_allowed(filename, make):
    with pytest.raises(ServiceError) as refused:
        sniff_type(make(), filename)

    message = refused.value.message
    assert message.startswith(f"“{clean_filename(filename)}” is not an allowed type")
    assert "PDF" in message and ".docx" in message  # says which types are allowed


def test_sniff_type_refuses_an_empty_file_by_name():
    with pytest.raises(ServiceError, match="“empty.pdf” is empty."):
        sniff_type(b"", "empty.pdf")


def test_sniff_type_zip_bomb_in_content_types_is_refused_without_inflating_it():
    bomb = plain_zip({"[Content_Types].xml": b"<" + b" " * (40 * MB),
                      "word/document.xml": b"<root/>"})
    assert len(bomb) < MB  # compresses to almost nothing

    with pytest.raises(ServiceError, match="not an allowed type"):
        sniff_type(bomb, "bomb.docx")


def test_sniff_type_error_names_the_file_safely():
    with pytest.raises(ServiceError) as refused:
        sniff_type(EXE, "../../evil\u202egnp.exe")

    assert refused.value.message.startswith("“evilgnp.exe” is not an allowed type")


# --- check_files -------------------------------------------------------------------------


def _check(files, **limits):
    return check_files(files, **{"max_file_bytes": 10 * MB, "max_request_bytes": 25 * MB,
                                 **limits})


def test_check_files_returns_each_file_with_type_and_clean_name():
    files = [IncomingFile("../a/Report.pdf", pdf_bytes()),
             IncomingFile("scan.png", image_bytes("PNG"))]

    checked = _check(files)

    assert [(c[0], c[1], c[2]) for c in checked] == [
        (files[0], "application/pdf", "Report.pdf"), (files[1], "image/png", "scan.png")]


def test_check_files_empty_list_asks_for_a_file():
    with pytest.raises(ServiceError, match="^Choose a file.$"):
        _check([])


def test_check_files_more_than_ten_is_refused():
    files = [IncomingFile(f"f{i}.txt", b"x") for i in range(11)]

    with pytest.raises(ServiceError, match="^Choose at most 10 files.$"):
        _check(files)
    assert len(_check(files[:10])) == 10


def test_check_files_zero_bytes_is_refused_by_name():
    with pytest.raises(ServiceError, match="^“x.pdf” is empty.$"):
        _check([IncomingFile("ok.txt", b"fine"), IncomingFile("x.pdf", b"")])


def test_check_files_one_file_over_the_limit_is_refused():
    big = pdf_bytes() + b"\n%" + b"0" * (10 * MB)

    with pytest.raises(ServiceError, match="^“big.pdf” is larger than 10 MB.$"):
        _check([IncomingFile("small.txt", b"x"), IncomingFile("big.pdf", big)])


def test_check_files_exactly_at_the_limit_is_allowed():
    body = b"a" * (2 * MB)

    assert _check([IncomingFile("a.txt", body)], max_file_bytes=2 * MB)[0][1] == "text/plain"


def test_check_files_total_over_the_request_limit_is_refused():
    files = [IncomingFile(f"part{i}.txt", b"a" * (9 * MB)) for i in range(3)]

    with pytest.raises(ServiceError, match="^These files add up to more than 25 MB.$"):
        _check(files)


def test_check_files_one_bad_type_refuses_the_whole_batch():
    files = [IncomingFile("ok.pdf", pdf_bytes()), IncomingFile("x.exe", EXE)]

    with pytest.raises(ServiceError, match="^“x.exe” is not an allowed type"):
        _check(files)


# --- clean_filename ------------------------------------------------------------------------

MALICIOUS_NAMES = [
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/shadow",
    "/abs/path/report.pdf",
    "C:\\Users\\victim\\report.pdf",
    "\\\\server\\share\\x.pdf",
    "report\x00.pdf",
    "report.pdf\x00.exe",
    "\x00\x00\x00",
    "\u202egnp.exe",
    "invoice\u202Efdp.exe",
    "\u2066evil\u2069.pdf",
    "\u202a\u202b\u202c\u202d.pdf",
    "CON.txt",
    "con",
    "NUL.pdf",
    "com1.docx",
    "LPT9",
    "aux .txt",
    "COM¹.txt",
    "a" * 1000,
    "b" * 1000 + ".pdf",
    "c" * 300 + "." + "x" * 300,
    ".",
    "..",
    "...",
    ". . .",
    ".htaccess",
    ".bashrc",
    "name.",
    "name. . .",
    "   spaced   out   .pdf   ",
    "line\nbreak.pdf",
    "carriage\rreturn.pdf",
    "header\r\nX-Injected: yes.pdf",
    "tab\there.txt",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%2f..%2fsecret.pdf",
    "..%5c..%5cwin.ini",
    "\u2215etc\u2215passwd",            # division slash
    "\uff0e\uff0e\uff0fetc\uff0fpasswd",  # fullwidth dot and solidus
    "\u2024\u2024/etc/passwd",           # one dot leader
    "раураl.pdf",                        # Cyrillic homoglyphs
    "report\u200b.pdf",                  # zero-width space
    "\ufeffbom.pdf",
    "😀😀😀.pdf",
    "👨‍👩‍👧 family.pdf",
    "<script>alert(1)</script>.pdf",
    '"quoted" name.pdf',
    "it's; rm -rf ~.pdf",
    "$(reboot).pdf",
    "`id`.txt",
    "a|b>c<d*e?f:g.pdf",
    "\x1b[31mred\x1b[0m.txt",
    "\x7fdel.txt",
    "\x85nel\u2028sep\u2029.txt",
    "",
    "   ",
    "\\",
    "/",
    "////",
    "foo/",
    "uploads/..",
    "e\u0301te\u0301.pdf",                # decomposed accents
    "\ud800lone-surrogate.pdf",
    "\U000e0041tag-chars.pdf",
    "\ue000private.pdf",
    "a/" * 500 + "deep.pdf",
]


@pytest.mark.parametrize("name", MALICIOUS_NAMES)
def test_clean_filename_malicious_name_is_safe(name):
    cleaned = clean_filename(name)

    assert cleaned, name
    assert "/" not in cleaned and "\\" not in cleaned
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")
                   for ch in cleaned)
    assert not cleaned.startswith((".", " "))
    assert not cleaned.endswith((".", " "))
    assert len(cleaned) <= 120
    assert "  " not in cleaned
    assert cleaned.split(".")[0].strip().upper() not in {"CON", "NUL", "AUX", "PRN", "COM1",
                                                         "LPT9", "COM¹"}
    assert clean_filename(cleaned) == cleaned  # stable: cleaning twice changes nothing


def test_clean_filename_has_at_least_fifty_cases():
    assert len(MALICIOUS_NAMES) >= 50


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\win.ini", "win.ini"),
    ("/abs/path/report.pdf", "report.pdf"),
    ("\u202egnp.exe", "gnp.exe"),
    ("CON.txt", "_CON.txt"),
    ("con", "_con"),
    (".htaccess", "file.htaccess"),
    ("\x00\x00.pdf", "file.pdf"),
    (". . .pdf", "file.pdf"),
    ("../.hidden.tar.pdf", "hidden.tar.pdf"),
    ("..", "file"),
    ("", "file"),
    ("line\nbreak.pdf", "line break.pdf"),
    ("%2e%2e%2fetc", "_2e_2e_2fetc"),
    ("   spaced   out   .pdf   ", "spaced out .pdf"),
    ("Résumé (final), v2.docx", "Résumé (final), v2.docx"),
    ("日本語の書類.pdf", "日本語の書類.pdf"),
    ("e\u0301te\u0301.pdf", "été.pdf"),
    ("😀.pdf", "_.pdf"),
    ('"quoted" name.pdf', "_quoted_ name.pdf"),
    ("report\x00.pdf", "report.pdf"),
    ("foo/", "foo"),
])
def test_clean_filename_examples(name, expected):
    assert clean_filename(name) == expected


def test_clean_filename_long_name_keeps_its_extension():
    cleaned = clean_filename("b" * 1000 + ".pdf")

    assert len(cleaned) == 120
    assert cleaned.endswith(".pdf")
    assert cleaned == "b" * 116 + ".pdf"
