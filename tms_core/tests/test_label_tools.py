# Copyright 2026 TMS for Odoo contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Label builders (tools/label_*.py), without the database."""

import datetime
import io
import re
import unicodedata
import unittest
from unittest.mock import patch

import arabic_reshaper
import zxingcpp
from PIL import Image
from PyPDF2 import PdfReader
from PyPDF2.generic import ContentStream
from reportlab.pdfbase.ttfonts import TTFontFile

from odoo.tests import BaseCase

from ..tools import arabic_text, label_escpos, label_pdf, label_zpl
from ..tools.label_data import LabelAddress, LabelData, LabelLayout

try:  # an independent ZPL renderer (test dependency)
    import zplkit
except ImportError:  # pragma: no cover
    zplkit = None
try:  # PDFium, to rasterise PDF pages (test dependency)
    import pypdfium2
    import pypdfium2.raw as pdfium_raw
except ImportError:  # pragma: no cover
    pypdfium2 = pdfium_raw = None

TRACKING = "RR123456785MA"
URL = "https://tms.example.com/track/0b6f3c1e-8a5d-4c1e-9f3b-2d7e6a1c5b90"
ARABIC_NAME = "فاطمة الزهراء بنعلي"
ARABIC_STREET = "12 زنقة ابن منير"


def make_label(arabic=False, is_return=False, cod=True, **values):
    data = LabelData(
        tracking_number=TRACKING,
        qr_url=URL,
        shipper=LabelAddress(
            "Boutique Atlas",
            ["5 Avenue Hassan II", "20000 Casablanca"],
            "+212522000000",
        ),
        recipient=LabelAddress(
            ARABIC_NAME if arabic else "Fatima Zahra Benali",
            [
                ARABIC_STREET if arabic else "12 Rue Ibnou Mounir",
                "20250 Casablanca",
                "Morocco",
            ],
            "+212612345678",
        ),
        service="Standard",
        weight=1.5,
        index=1,
        count=3,
        cod_amount=250.0 if cod else None,
        cod_currency="MAD",
        sort_code="CAS",
        zone_code="CAS-1",
        date=datetime.date(2026, 3, 14),
        company_name="Colis Express Maroc",
        reference="SO1234",
        contents="2 x T-shirt",
        is_return=is_return,
    )
    for key, value in values.items():
        setattr(data, key, value)
    return data


EXPECTED_ZPL_203 = """\
^XA
^CI28
^PW800
^LL1200
^LH0,0
^FO24,24^A0N,32,32^FDColis Express Maroc^FS
^FO513,24^A0N,24,24^FB263,1,0,R,0^FD14/03/2026^FS
^FO24,64^A0N,32,32^FDStandard^FS
^FO513,64^A0N,32,32^FB263,1,0,R,0^FDParcel 1/3^FS
^FO24,108^GB752,2,2^FS
^FO24,120^A0N,20,20^FDFrom^FS
^FO24,145^A0N,29,29^FDBoutique Atlas^FS
^FO24,180^A0N,24,24^FD5 Avenue Hassan II^FS
^FO24,209^A0N,24,24^FD20000 Casablanca^FS
^FO24,238^A0N,24,24^FD+212522000000^FS
^FO24,274^GB752,2,2^FS
^FO24,286^A0N,20,20^FDTo^FS
^FO24,310^A0N,38,38^FDFatima Zahra Benali^FS
^FO24,355^A0N,29,29^FD12 Rue Ibnou Mounir^FS
^FO24,389^A0N,29,29^FD20250 Casablanca^FS
^FO24,422^A0N,29,29^FDMorocco^FS
^FO24,456^A0N,29,29^FD+212612345678^FS
^FO24,497^GB752,4,4^FS
^FO24,509^A0N,120,120^FDCAS^FS
^FO24,637^A0N,40,40^FDCAS-1^FS
^FO454,509^A0N,29,29^FDWeight: 1.50 kg^FS
^FO454,550^GB322,92,5^FS
^FO466,558^A0N,20,20^FDCash on delivery^FS
^FO466,586^A0N,48,48^FD250.00 MAD^FS
^FO24,689^GB752,4,4^FS
^BY3,3,144
^FO133,705^BCN,144,Y,N,N^FD>:RR123456785MA^FS
^BY2,3,1
^FO24,893^BQN,2,4^FDMA,https://tms.example.com/track/0b6f3c1e-8a5d-4c1e-9f3b-2d7e6a1c5b90^FS
^FO216,893^A0N,24,24^FDRef. SO1234^FS
^XZ
"""  # noqa: E501

ZPL_FIELD_RE = re.compile(r"\^FD(.*?)\^FS", re.S)


def parse_zpl(zpl):
    """Split a ZPL stream into formats, each a list of (command, parameters); the
    field data of ^FD runs up to ^FS whatever it contains."""
    formats = []
    current = None
    position = 0
    while position < len(zpl):
        char = zpl[position]
        if char in "\n\r":
            position += 1
            continue
        if char not in "^~":
            raise AssertionError(
                f"stray text at {position}: {zpl[position:position + 20]!r}"
            )
        command = zpl[position + 1 : position + 3]
        if command == "FD":
            end = zpl.index("^FS", position)
            params = zpl[position + 3 : end]
            position = end
        else:
            match = re.compile(r"[^\^~\n]*").match(zpl, position + 3)
            params = match.group(0)
            position = match.end()
        if command == "XA":
            if current is not None:
                raise AssertionError("^XA inside a format")
            current = []
        elif command == "XZ":
            formats.append(current)
            current = None
        elif current is None:
            raise AssertionError(f"^{command} outside ^XA...^XZ")
        else:
            current.append((command, params))
    if current is not None:
        raise AssertionError("format without ^XZ")
    return formats


def decode_graphic_field(params):
    """Decode ^GFA parameters (ASCII hex with ZPL compression) into a 1-bit image,
    independently of the builder's encoder."""
    kind, total, _count, row_bytes, data = params.split(",", 4)
    assert kind == "A"
    total, row_bytes = int(total), int(row_bytes)
    row_chars = row_bytes * 2
    rows = []
    row = ""
    count = 0
    for char in data:
        if "G" <= char <= "Y":
            count += ord(char) - ord("F")
        elif "g" <= char <= "z":
            count += (ord(char) - ord("f")) * 20
        elif char == ",":
            rows.append(row.ljust(row_chars, "0"))
            row = ""
        elif char == "!":
            rows.append(row.ljust(row_chars, "F"))
            row = ""
        elif char == ":":
            rows.append(rows[-1])
        else:
            row += char * (count or 1)
            count = 0
            if len(row) == row_chars:
                rows.append(row)
                row = ""
    assert not row, "incomplete last row"
    raw = bytes.fromhex("".join(rows))
    assert len(raw) == total, (len(raw), total)
    inverted = bytes(255 - value for value in raw)  # ZPL 1 = black, PIL 1 = white
    return Image.frombytes("1", (row_bytes * 8, len(rows)), inverted)


def black_pixels(image):
    image = image.convert("L")
    width = image.size[0]
    return {
        (index % width, index // width)
        for index, value in enumerate(image.getdata())
        if value < 128
    }


class TestArabicText(BaseCase):
    def test_has_arabic(self):
        self.assertTrue(arabic_text.has_arabic(ARABIC_NAME))
        self.assertTrue(arabic_text.has_arabic("Rue 5 حي"))
        self.assertFalse(arabic_text.has_arabic("Fatima Zahra, 20250 Casablanca é"))
        self.assertFalse(arabic_text.has_arabic(""))

    def test_shape_joins_and_reverses(self):
        # "فاطمة": fa, alef, tah, meem, teh marbuta; shaped into their joined
        # presentation forms and reordered for left-to-right drawing
        self.assertEqual(
            arabic_text.shape("فاطمة"),
            "\ufe94\ufee4\ufec3\ufe8e\ufed3",
        )
        self.assertEqual(arabic_text.shape("Casablanca 20250"), "Casablanca 20250")
        # digits keep their order inside right-to-left text
        self.assertTrue(arabic_text.shape(ARABIC_STREET).endswith("12"))

    def test_missing_font_names_the_package(self):
        arabic_text.font_path.cache_clear()
        try:
            with (
                patch.object(arabic_text, "FONT_DIRS", ()),
                patch.dict(
                    "os.environ", {"TMS_LABEL_FONT": "", "TMS_LABEL_FONT_BOLD": ""}
                ),
            ):
                with self.assertRaisesRegex(
                    arabic_text.FontNotFoundError, "fonts-dejavu-core"
                ):
                    arabic_text.font_path(False, "/nonexistent/font.ttf")
        finally:
            arabic_text.font_path.cache_clear()


# real names and places of Moroccan and French recipients: Arabic words the reshaper
# knows ligatures for ("Allah", "Mohammad", lam-alef), Latin letters with diacritics
NAMES = [
    "عبد الله",
    "عبدالله",
    "عبد الله بنعلي",
    "عبد الإله",
    "عبد الرحمن",
    "فاطمة الزهراء",
    "محمد أمين",
    "محمد رسول",
    "لالة سلمى",
    "لالة",
    "آية الإدريسي",
    "إلياس السلاوي",
    "مصطفى الأمين",
    "عائشة بنت الحسن",
    "لؤي الفاسي",
    "شارع محمد الخامس، الدار البيضاء",
    "آيت بن حدو",
    "Abdellah",
    "Abdallah El Alaoui",
    "Aït Ben Haddou",
    "Gaëlle",
    "Œuvray",
    "François",
    "Noël",
    "Zoë",
    "Ç",
    "Lætitia Cœur",
    "Hélène Benoît",
    "ÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ àâæçéèêëîïôœùûüÿ",
    "Abdellah عبد الله",
]


class TestLabelFontCoverage(BaseCase):
    """Every character a label draws has a glyph in the label font (no empty box)."""

    def assertAllGlyphs(self, name, drawn, glyphs):
        missing = sorted(
            {f"U+{ord(char):04X}" for char in drawn}
            - {f"U+{code:04X}" for code in glyphs}
        )
        self.assertFalse(missing, f"{name!r} draws characters the font lacks")

    def test_shaped_names_only_use_glyphs_of_the_font(self):
        for bold in (False, True):
            glyphs = TTFontFile(arabic_text.font_path(bold)).charToGlyph
            for name in NAMES:
                with self.subTest(name=name, bold=bold):
                    drawn = arabic_text.shape(name, bold)
                    self.assertAllGlyphs(name, drawn, glyphs)
                    # and no letter is lost: the drawn forms, read right to left,
                    # are the letters of the name
                    if arabic_text.has_arabic(name):
                        self.assertEqual(
                            sorted(unicodedata.normalize("NFKC", drawn)),
                            sorted(name),
                        )

    def test_allah_is_drawn_as_joined_letters(self):
        # DejaVu Sans has no "Allah" ligature (U+FDF2): alef, lam, lam, heh, joined
        self.assertEqual(
            arabic_text.shape("عبد الله"), "\ufeea\ufee0\ufedf\ufe8d \ufeaa\ufe92\ufecb"
        )

    def test_pdf_label_draws_only_glyphs_of_the_font(self):
        glyphs = TTFontFile(arabic_text.font_path(False)).charToGlyph
        bold_glyphs = TTFontFile(arabic_text.font_path(True)).charToGlyph
        both = set(glyphs) & set(bold_glyphs)
        labels = [
            make_label(recipient=LabelAddress(name, [name, "Casablanca"], ""))
            for name in NAMES
        ]
        pdf = label_pdf.render_labels(labels, LabelLayout())
        for index, name in enumerate(NAMES):
            with self.subTest(name=name):
                drawn = drawn_strings(pdf, index).replace("\n", "")
                self.assertIn(arabic_text.shape(name), drawn)
                self.assertAllGlyphs(name, drawn, both)


class TestZplLabels(BaseCase):
    def test_exact_output_203_dpi(self):
        zpl = label_zpl.render_labels([make_label()], LabelLayout())
        self.assertEqual(zpl.decode(), EXPECTED_ZPL_203)

    def test_300_dpi_scales_the_label(self):
        zpl = label_zpl.render_labels([make_label()], LabelLayout(dpi=300)).decode()
        # 12 dots per mm: 100 x 150 mm is 1200 x 1800 dots
        self.assertIn("^PW1200\n^LL1800\n", zpl)
        self.assertIn("^FO36,36^A0N,48,48^FDColis Express Maroc^FS", zpl)
        self.assertIn("^BY4,3,216\n", zpl)
        self.assertIn("^BCN,216,Y,N,N^FD>:RR123456785MA^FS", zpl)
        with self.assertRaises(ValueError):
            label_zpl.ZplLabelBuilder(LabelLayout(dpi=600))

    def test_structure_of_a_batch(self):
        labels = [
            make_label(tracking_number=number)
            for number in ("RR123456785MA", "RR000000011MA", "RR000000025MA")
        ]
        formats = parse_zpl(label_zpl.render_labels(labels, LabelLayout()).decode())
        self.assertEqual(len(formats), 3)
        for data, commands in zip(labels, formats, strict=True):
            names = [command for command, _params in commands]
            self.assertEqual(names[:2], ["CI", "PW"])
            self.assertEqual(dict(commands)["CI"], "28")
            # every field started by ^FO is closed by ^FS before the next one
            fields = "".join(
                "(" if command == "FO" else ")" if command == "FS" else ""
                for command, _params in commands
            )
            self.assertNotIn("((", fields)
            barcode = names.index("BC")
            self.assertEqual(
                commands[barcode], ("BC", "N,144,Y,N,N")
            )  # interpretation line below
            self.assertEqual(commands[barcode + 1], ("FD", ">:" + data.tracking_number))
            qr = names.index("BQ")
            self.assertEqual(commands[qr], ("BQ", "N,2,4"))
            self.assertEqual(commands[qr + 1], ("FD", "MA," + URL))

    def test_command_characters_in_data_are_escaped(self):
        data = make_label()
        data.recipient.name = "Caret ^XZ tilde ~JA under_score"
        zpl = label_zpl.render_labels([data], LabelLayout()).decode()
        formats = parse_zpl(zpl)
        self.assertEqual(len(formats), 1)
        self.assertIn("^FH_^FDCaret _5EXZ tilde _7EJA under_5Fscore^FS", zpl)

    def test_layout_blocks(self):
        layout = LabelLayout(show_qr=False, show_cod=False, show_shipper=False)
        zpl = label_zpl.render_labels([make_label()], layout).decode()
        self.assertNotIn("^BQ", zpl)
        self.assertNotIn("250.00 MAD", zpl)
        self.assertNotIn("Boutique Atlas", zpl)
        no_cod = label_zpl.render_labels([make_label(cod=False)], LabelLayout())
        self.assertNotIn(b"Cash on delivery", no_cod)

    def test_arabic_text_is_a_graphic_field_of_the_shaped_text(self):
        zpl = label_zpl.render_labels([make_label(arabic=True)], LabelLayout()).decode()
        # no Arabic letters reach the printer, only pictures of them
        self.assertFalse(arabic_text.has_arabic(zpl))
        (commands,) = parse_zpl(zpl)
        fields = [params for command, params in commands if command == "GF"]
        self.assertEqual(len(fields), 2)  # the name and the street
        name_image = decode_graphic_field(fields[0])
        # 4.8 mm at 8 dots/mm, bold, as wide as the text
        expected = arabic_text.text_image(
            ARABIC_NAME, 38, 752, bold=True, fill_width=False
        )
        self.assertEqual(name_image.size, expected.size)
        self.assertEqual(black_pixels(name_image), black_pixels(expected))
        # and it is the shaped text, not the letters side by side
        unshaped = Image.new("L", expected.size, 255)
        from PIL import ImageDraw

        ImageDraw.Draw(unshaped).text(
            (0, 0),
            ARABIC_NAME,
            font=arabic_text._pil_font(38, True, None),
            fill=0,
        )
        self.assertNotEqual(black_pixels(name_image), black_pixels(unshaped))
        # right-aligned in the recipient block: its right edge at the margin
        origin = commands[[c for c, _p in commands].index("GF") - 1]
        self.assertEqual(origin[0], "FO")
        x = int(origin[1].split(",")[0])
        self.assertEqual(x + name_image.size[0], 24 + 752)

    def test_return_banner(self):
        zpl = label_zpl.render_labels([make_label(is_return=True)], LabelLayout())
        (commands,) = parse_zpl(zpl.decode())
        names = [command for command, _params in commands]
        # a filled black box, the banner text (it has Arabic: a picture) reversed
        self.assertIn(("GB", "752,56,56"), commands)
        banner = names.index("FR")
        self.assertEqual(names[banner + 1], "GF")

    def test_graphic_field_compression_round_trip(self):
        for text in (ARABIC_NAME, ARABIC_STREET, "إرجاع"):
            image = arabic_text.text_image(text, 40, 700, fill_width=True)
            decoded = decode_graphic_field(label_zpl.graphic_field(image)[3:])
            self.assertEqual(black_pixels(decoded), black_pixels(image))

    @unittest.skipUnless(zplkit, "zplkit (independent ZPL renderer) is not installed")
    def test_independent_renderer_reads_the_codes(self):
        for dpi, size in ((203, (800, 1200)), (300, (1200, 1800))):
            for data in (make_label(), make_label(arabic=True, is_return=True)):
                zpl = label_zpl.render_labels([data], LabelLayout(dpi=dpi))
                document = zplkit.render(zpl, zplkit.Options(profile="zd621", dpi=dpi))
                self.assertEqual(len(document.labels), 1)
                # only the renderer's general note on printer fonts: no unknown
                # command, no field off the label
                self.assertFalse(
                    [w for w in document.warnings if "Resident fonts" not in w],
                    document.warnings,
                )
                image = Image.open(io.BytesIO(document.labels[0].png()))
                self.assertEqual(image.size, size)
                codes = {
                    result.format.name: result.text
                    for result in zxingcpp.read_barcodes(image)
                }
                self.assertEqual(codes.get("Code128"), TRACKING, (dpi, codes))
                self.assertEqual(codes.get("QRCode"), URL, (dpi, codes))


EXPECTED_ESCPOS = (
    b"\x1b@\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x01\x1ba\x01\x1bt\x00Colis Express Maro"
    b"c\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x01Standard  14/03/2026\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x01\x1ba\x01Parcel 1/3\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x00--------------------------------"
    b"----------------\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x00From\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x01\x1ba\x00Boutique Atlas\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x005 Avenue Hassan II\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x0020000 Casablanca\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x01\x1ba\x00+212522000000\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x00--------------------------------"
    b"----------------\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x00To\n"
    b"\x1b!\x00\x1b!\x00\x1b!0\x1bE\x01\x1ba\x00Fatima Zahra Benali\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x0012 Rue Ibnou Mounir\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x0020250 Casablanca\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x00Morocco\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x01\x1ba\x00+212612345678\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x00--------------------------------"
    b"----------------\n"
    b"\x1d!3\x1bE\x01\x1ba\x01CAS\n"
    b"\x1b!\x00\x1b!\x00\x1b!0\x1bE\x01\x1ba\x01CAS-1\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x00Weight: 1.50 kg\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x01\x1ba\x00Cash on delivery\n"
    b"\x1b!\x00\x1b!\x00\x1b!0\x1bE\x01\x1ba\x00\x1dB\x01 250.00 MAD \n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1dB\x00\x1b!\x00\x1b!\x00\x1b!\x00\x1bE"
    b"\x00\x1ba\x00------------------------------------------------\n"
    b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x01\x1ba\x01\x1dhP\x1dw\x03\x1df"
    b"\x00\x1dH\x02\x1dkI\x0f{BRR123456785MA\x1ba\x01\x1d(k\x04\x001A2\x00\x1d(k"
    b"\x03\x001C\x06\x1d(k\x03\x001E0\x1d(kE\x001P0https://tms.example.com/track/0b"
    b"6f3c1e-8a5d-4c1e-9f3b-2d7e6a1c5b90\x1d(k\x03\x001Q0\x1b!\x00\x1b!\x00\x1b!"
    b"\x00\x1bE\x00\x1ba\x00Ref. SO1234\n"
    b"\x1bd\x06\x1dV\x00"
)


class TestEscposLabels(BaseCase):
    def test_exact_bytes(self):
        output = label_escpos.render_labels([make_label()], LabelLayout(width_mm=80))
        self.assertEqual(output, EXPECTED_ESCPOS)

    def test_commands(self):
        output = label_escpos.render_labels(
            [make_label(), make_label(tracking_number="RR000000011MA")],
            LabelLayout(width_mm=80),
        )
        # initialise, Code128 (GS k 73) with code set B, native QR, full cut; twice
        self.assertEqual(output.count(b"\x1b@"), 2)
        self.assertIn(b"\x1dkI\x0f{BRR123456785MA", output)
        self.assertIn(b"\x1dkI\x0f{BRR000000011MA", output)
        store = b"\x1d(k" + bytes([len(URL) + 3, 0]) + b"1P0" + URL.encode()
        self.assertEqual(output.count(store), 2)
        self.assertEqual(output.count(b"\x1dV\x00"), 2)
        # the sort code in 4x4 characters (GS ! 0x33)
        self.assertIn(b"\x1d!3", output)

    def test_arabic_is_a_raster_image(self):
        output = label_escpos.render_labels(
            [make_label(arabic=True, is_return=True)], LabelLayout(width_mm=80)
        )
        self.assertNotIn(ARABIC_NAME.encode(), output)
        # GS v 0 raster images, 72 bytes (576 dots) wide: the banner, name, street
        self.assertEqual(output.count(b"\x1dv0\x00H\x00"), 3)

    def test_58mm_paper(self):
        output = label_escpos.render_labels([make_label()], LabelLayout(width_mm=58))
        self.assertIn(b"-" * 32 + b"\n", output)
        self.assertNotIn(b"-" * 33, output)


def parse_to_unicode(data):
    """The code -> text map of a font's ToUnicode CMap."""
    mapping = {}
    text = data.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, dst in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(int(dst, 16) + offset)
    return mapping


def drawn_strings(pdf, page_index=0):
    """The strings the first page's text operators draw, in drawing order (glyph
    codes mapped through the fonts' ToUnicode maps, no reordering)."""
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[page_index]
    maps = {}
    for name, font in page["/Resources"]["/Font"].items():
        font = font.get_object()
        if "/ToUnicode" in font:
            maps[name] = parse_to_unicode(font["/ToUnicode"].get_object().get_data())
    strings = []
    font = None
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            font = operands[0]
        elif operator == b"Tj" and font in maps:
            raw = operands[0]
            # text strings keep their bytes aside; byte strings are the bytes
            raw = getattr(raw, "get_original_bytes", lambda raw=raw: bytes(raw))()
            strings.append("".join(maps[font].get(code, "?") for code in raw))
    return "\n".join(strings)


def rasterise(pdf, dpi=200):
    document = pypdfium2.PdfDocument(pdf)
    return [page.render(scale=dpi / 72).to_pil() for page in document]


def read_codes(image):
    return [(r.format.name, r.text) for r in zxingcpp.read_barcodes(image)]


@unittest.skipUnless(pypdfium2, "pypdfium2 (PDF rasteriser) is not installed")
class TestPdfLabels(BaseCase):
    def test_codes_decode_from_the_page(self):
        pdf = label_pdf.render_labels(
            [make_label(), make_label(arabic=True, is_return=True)], LabelLayout()
        )
        pages = rasterise(pdf)
        self.assertEqual(len(pages), 2)
        for page in pages:
            # 100 x 150 mm at 200 dpi
            self.assertAlmostEqual(page.size[0], 787, delta=1)
            self.assertAlmostEqual(page.size[1], 1181, delta=1)
            codes = dict(read_codes(page))
            self.assertEqual(codes.get("Code128"), TRACKING)
            self.assertEqual(codes.get("QRCode"), URL)

    def test_arabic_text_is_shaped_right_to_left(self):
        pdf = label_pdf.render_labels([make_label(arabic=True)], LabelLayout())
        # what the page draws, glyph after glyph from left to right: the visual
        # string of bidi (joined presentation forms, right-to-left runs reversed)
        drawn = drawn_strings(pdf)
        self.assertIn(arabic_text.shape(ARABIC_NAME), drawn)
        self.assertEqual(arabic_text.shape(ARABIC_NAME)[-1], "\ufed3")  # initial fa
        self.assertIn(arabic_text.shape(ARABIC_STREET), drawn)
        self.assertNotIn(ARABIC_NAME, drawn)  # not the letters in logical order
        self.assertIn("250.00 MAD", drawn)
        # a text extractor reads the name back in reading order, joined forms
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        self.assertIn(arabic_reshaper.reshape(ARABIC_NAME), text)
        # and on the page the first letter of each word is right of the last one,
        # the first word right of the second (PDFium's character boxes)
        textpage = pypdfium2.PdfDocument(pdf)[0].get_textpage()
        chars = [
            (
                chr(pdfium_raw.FPDFText_GetUnicode(textpage.raw, index)),
                textpage.get_charbox(index)[0],
            )
            for index in range(textpage.count_chars())
        ]
        text = "".join(char for char, _x in chars)
        word_positions = []
        for word in ARABIC_NAME.split():
            start = text.index(word)
            xs = [x for _char, x in chars[start : start + len(word)]]
            self.assertEqual(xs, sorted(xs, reverse=True), word)
            word_positions.append(xs[0])
        self.assertEqual(word_positions, sorted(word_positions, reverse=True))

    def test_return_label(self):
        pdf = label_pdf.render_labels([make_label(is_return=True)], LabelLayout())
        drawn = drawn_strings(pdf)
        self.assertIn(arabic_text.shape("RETOUR / RETURN / إرجاع"), drawn)
        self.assertTrue(drawn.startswith("Colis Express Maroc"))

    def test_a4_sheet_keeps_the_order(self):
        numbers = [
            "RR000000011MA",
            "RR000000025MA",
            "RR000000039MA",
            "RR000000042MA",
            "RR000000056MA",
        ]
        layout = LabelLayout(
            width_mm=105,
            height_mm=148.5,
            page_width_mm=210,
            page_height_mm=297,
            columns=2,
            rows=2,
        )
        pdf = label_pdf.render_labels(
            [make_label(tracking_number=number) for number in numbers], layout
        )
        pages = rasterise(pdf)
        self.assertEqual(len(pages), 2)
        found = []
        for page in pages:
            barcodes = [
                r for r in zxingcpp.read_barcodes(page) if r.format.name == "Code128"
            ]
            # reading order: top row left to right, then the next row
            barcodes.sort(
                key=lambda r: (r.position.top_left.y // 500, r.position.top_left.x)
            )
            found += [r.text for r in barcodes]
        self.assertEqual(found, numbers)

    def test_logo_and_compact_layout(self):
        logo = io.BytesIO()
        Image.new("RGB", (200, 100), (200, 30, 30)).save(logo, format="PNG")
        data = make_label(logo=logo.getvalue())
        pdf = label_pdf.render_labels([data], LabelLayout(width_mm=100, height_mm=100))
        (page,) = rasterise(pdf)
        self.assertAlmostEqual(page.size[0], 787, delta=1)
        self.assertAlmostEqual(page.size[1], 787, delta=1)
        codes = dict(read_codes(page))
        self.assertEqual(codes.get("Code128"), TRACKING)
        self.assertEqual(codes.get("QRCode"), URL)
        # the red logo is drawn in the top-left corner
        red = page.convert("RGB").getpixel((60, 40))
        self.assertGreater(red[0], 150)
        self.assertLess(red[1], 100)
