# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Arabic text for label printers.

Printer fonts and PDF text drawing place characters one by one, left to right: Arabic
comes out with its letters unjoined and reversed. :func:`shape` turns a logical string
into the visual one (joined presentation forms with arabic_reshaper, right-to-left
runs reversed with python-bidi), ready to be drawn left to right; :func:`text_image`
draws it into a 1-bit image for printers that only print bitmaps of such text (ZPL
``^GF``, ESC/POS raster images).

Fonts: DejaVu Sans (Debian package ``fonts-dejavu-core``), which has Latin and Arabic
glyphs, unless a path is given. Shaping never produces a character the label font has
no glyph for: ligatures the font lacks (DejaVu Sans has no "Allah" ligature U+FDF2, so
"عبد الله" would print an empty box) are left as joined letters, and a letter form the
font lacks falls back to the plain letter.
"""

import functools
import os
import re
import unicodedata

import arabic_reshaper
from arabic_reshaper import ArabicReshaper
from arabic_reshaper.ligatures import LIGATURES
from arabic_reshaper.reshaper_config import default_config
from bidi.algorithm import get_display
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase.ttfonts import TTFontFile

ARABIC_RE = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}


class FontNotFoundError(RuntimeError):
    """No font with Arabic glyphs is installed."""


def has_arabic(text):
    """Whether ``text`` contains Arabic letters (which need shaping)."""
    return bool(text) and bool(ARABIC_RE.search(text))


@functools.lru_cache(maxsize=4096)
def shape(text, bold=False, path=None):
    """The visual form of ``text``: Arabic letters joined, right-to-left runs
    reversed; text without Arabic comes back unchanged.

    ``bold`` and ``path`` name the font the text is drawn with (see
    :func:`font_path`): only characters it has a glyph for are produced.
    """
    if not has_arabic(text):
        return text
    reshaper, glyphs = _reshaper(bold, path)
    visual = get_display(reshaper.reshape(text))
    if glyphs is None:
        return visual
    return "".join(
        char if ord(char) in glyphs else _plain_letter(char, glyphs) for char in visual
    )


@functools.lru_cache(maxsize=8)
def font_path(bold=False, path=None):
    """The TTF file used for Arabic text and PDF labels.

    ``path`` (if given) wins; else the ``TMS_LABEL_FONT`` environment variable (and
    ``TMS_LABEL_FONT_BOLD``); else DejaVu Sans from the usual font folders.
    """
    candidates = []
    if path:
        candidates.append(path)
    env_path = os.environ.get("TMS_LABEL_FONT_BOLD" if bold else "TMS_LABEL_FONT")
    if env_path:
        candidates.append(env_path)
    candidates += [os.path.join(folder, FONT_FILES[bold]) for folder in FONT_DIRS]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    raise FontNotFoundError(
        f"No font for labels: install the DejaVu fonts (Debian/Ubuntu: apt-get install "
        f"fonts-dejavu-core) or set TMS_LABEL_FONT to a TTF file with Latin and "
        f"Arabic glyphs (looked for {FONT_FILES[bold]} in {', '.join(FONT_DIRS)})."
    )


def _reshaper(bold=False, path=None):
    """An Arabic reshaper that only uses the ligatures the font has, and the code
    points of that font (``None`` when no font is installed: drawing fails then
    with :class:`FontNotFoundError`, shaping still works)."""
    try:
        return _font_reshaper(font_path(bold, path))
    except FontNotFoundError:
        return arabic_reshaper.default_reshaper, None


@functools.lru_cache(maxsize=8)
def _font_reshaper(font_file):
    glyphs = frozenset(TTFontFile(font_file).charToGlyph)
    configuration = {
        name: default_config.get(name, False)
        and all(ord(form) in glyphs for form in forms if form)
        for name, (_match, forms) in LIGATURES
    }
    return ArabicReshaper(configuration=configuration), glyphs


def _plain_letter(char, glyphs):
    """A letter form the font lacks (an isolated or final form of a rare letter):
    the letter itself, if the font has it."""
    plain = unicodedata.normalize("NFKC", char)
    if len(plain) == 1 and ord(plain) in glyphs:
        return plain
    return char


@functools.lru_cache(maxsize=32)
def _pil_font(size_px, bold=False, path=None):
    # BASIC layout: the text is already shaped; a second shaping by libraqm (when
    # Pillow has it) would undo the reordering
    return ImageFont.truetype(
        font_path(bold, path), size_px, layout_engine=ImageFont.Layout.BASIC
    )


def text_image(
    text,
    size_px,
    max_width_px=None,
    bold=False,
    align="right",
    path=None,
    fill_width=True,
):
    """Draw ``text`` (shaped first) in black on white, ``size_px`` high, in a 1-bit
    image whose width is a multiple of 8 dots (printer bitmaps are sent in bytes).

    Text wider than ``max_width_px`` is scaled down to fit. With ``fill_width`` the
    image is ``max_width_px`` wide and ``align`` places the text in it; else it is
    as narrow as the text (the text on the right of the few padding dots).
    Returns a ``PIL.Image`` in mode "1" (0 = black).
    """
    visual = shape(text, bold, path)
    font = _pil_font(size_px, bold, path)
    left, top, right, bottom = font.getbbox(visual)
    ascent, descent = font.getmetrics()
    width = max(right, 1)
    height = ascent + descent
    image = Image.new("L", (width, height), 255)
    ImageDraw.Draw(image).text((0, 0), visual, font=font, fill=0)
    if max_width_px and width > max_width_px:
        ratio = max_width_px / width
        image = image.resize(
            (max_width_px, max(int(height * ratio), 1)), Image.Resampling.LANCZOS
        )
        width, height = image.size
    padded_width = (width + 7) // 8 * 8
    if fill_width and max_width_px and align in ("right", "center"):
        padded_width = max(padded_width, (max_width_px + 7) // 8 * 8)
    result = Image.new("L", (padded_width, height), 255)
    offset = {"right": padded_width - width, "center": (padded_width - width) // 2}.get(
        align, 0
    )
    result.paste(image, (offset, 0))
    return result.point(lambda value: 255 if value >= 128 else 0, mode="1")
