"""What every PDF of the portal shares (invoices, receipts, signed forms): the
paper, the DejaVu fonts (or core Helvetica with Windows-1252 when they are not
installed), the brand's accent colour, plain-text cleaning of user text, labels
in the document's language, the footer with page numbers, and a logo that fits
a box. User text is never interpreted as markup."""

from __future__ import annotations

import io
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.image_parsing import preload_image

from portal_app import i18n

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FAMILY, MONO = "PortalSans", "PortalMono"
DEFAULT_ACCENT = "#1F6FEB"
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
PAGES_ALIAS = "{portal-page-count}"  # not "{nb}": user text could contain that
INK, MUTED, RULE, TINT = (33, 37, 41), (100, 108, 118), (208, 213, 220), (246, 248, 250)
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


@lru_cache(maxsize=1)
def dejavu_fonts() -> tuple[str, str, str | None] | None:
    """(regular, bold, mono or None) DejaVu paths, or None when regular or bold is missing."""
    regular, bold, mono = (FONT_DIR / n for n in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                                                  "DejaVuSansMono.ttf"))
    if not (regular.is_file() and bold.is_file()):
        return None
    return str(regular), str(bold), str(mono) if mono.is_file() else None


def rgb(color: object) -> tuple[int, int, int]:
    """A #rrggbb colour as a tuple; anything else is the default accent."""
    text = color.strip() if isinstance(color, str) else ""
    text = text if _HEX.fullmatch(text) else DEFAULT_ACCENT
    return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)


class PortalPdf(FPDF):
    """A4 or Letter pages with the brand's fonts, accent colour, text cleaning and footer.

    `fonts` is what `dejavu_fonts()` gives (the caller looks it up, so a test can
    take the fonts away); a mono face is used when `mono` is asked and present."""

    def __init__(self, *, paper: str, lang: str, accent_color: object, brand_name: str,
                 title: str, fonts: tuple | None, mono: bool = False) -> None:
        super().__init__(orientation="P", unit="mm",
                         format="Letter" if str(paper).lower() == "letter" else "A4")
        self.lang = i18n.pick(lang)
        self.accent = rgb(accent_color)
        self.unicode = fonts is not None
        if fonts:
            self.add_font(FAMILY, "", fonts[0])
            self.add_font(FAMILY, "B", fonts[1])
            self.family = FAMILY
            self.mono = FAMILY
            if mono and len(fonts) > 2 and fonts[2]:
                self.add_font(MONO, "", fonts[2])
                self.mono = MONO
        else:
            self.family, self.mono = "Helvetica", "Courier"
            self.core_fonts_encoding = "windows-1252"  # core fonts use WinAnsiEncoding
        self.footer_text = self.t(brand_name)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=20)
        self.set_title(f"{title} — {brand_name}" if brand_name.strip() else title)
        self.set_author(brand_name)
        self.set_creator("Client Portal")
        self.set_lang(self.lang)
        self.alias_nb_pages(PAGES_ALIAS)

    def t(self, text: str, multiline: bool = False) -> str:
        """Plain printable text; latin-1/cp1252 safe when only core fonts exist."""
        text = unicodedata.normalize("NFC", str(text or ""))
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
        if not self.unicode:  # Babel's narrow no-break space ("2:30 PM") is not in cp1252
            text = text.replace("\u202f", "\u00a0")
        if not multiline:
            text = " ".join(text.split("\n"))
        text = "".join(c for c in text if c == "\n" or unicodedata.category(c)[0] != "C")
        if not self.unicode:
            text = text.encode("cp1252", "replace").decode("cp1252")
        return text

    def _(self, msgid: str, **params: object) -> str:
        """A label in the document's language."""
        return i18n.gettext(self.lang, msgid, **params)

    def font(self, size: float, bold: bool = False, color: tuple[int, int, int] = INK,
             mono: bool = False) -> None:
        self.set_font(self.mono if mono else self.family, "B" if bold and not mono else "", size)
        self.set_text_color(*color)

    def footer(self) -> None:
        self.set_y(-13)
        self.font(8, color=MUTED)
        self.cell(self.epw / 2, 5, self.footer_text)
        self.cell(self.epw / 2, 5, self._("Page {page} of {pages}", page=self.page_no(),
                                          pages=PAGES_ALIAS), align="R")


def place_logo(pdf: FPDF, data: bytes | None, x: float, y: float, *, box_w: float,
               box_h: float) -> float:
    """The logo (PNG or JPEG bytes) fitted in a box at (x, y); its width, or 0 when
    there is none: a missing, unsupported or broken image only means "no logo"."""
    if not data or not data.startswith(IMAGE_MAGIC):
        return 0
    try:
        _, _, info = preload_image(pdf.image_cache, io.BytesIO(data))
        ratio = float(info["w"]) / float(info["h"])
        w, h = (box_w, box_w / ratio) if ratio > box_w / box_h else (box_h * ratio, box_h)
        pdf.image(io.BytesIO(data), x=x, y=y, w=w, h=h)
    except Exception:
        return 0
    return w
