"""A python-docx builder for 党政机关公文 in the GB/T 9704-2012 layout.

Page: A4 (210 mm × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so the type area
(版心) is 156 mm × 225 mm. Body: 3号 (16 pt) 仿宋_GB2312, 28 lines of 28 characters: the document grid is a
line grid with a line pitch of 225 mm / 28 = 22.75 pt, every body paragraph has an exact 22.75 pt line height,
and body text is condensed by 0.25 pt per character (15.75 pt × 28 = 441 pt ≤ 156 mm = 442.2 pt) so that 28
characters fit a line. A "lines and characters" grid (character pitch 156 mm / 28 = 15.79 pt) is not used:
a 16 pt glyph is wider than that pitch, and LibreOffice then snaps every character to two grid cells (14 per
line), so the document would look different in LibreOffice and WPS than in Word. Title: 2号 (22 pt) 方正小标宋简体, centred.
Headings: 一、 in 黑体, （一） in 楷体_GB2312, both 3号. Page numbers: 4号 (14 pt) 半角 宋体 Arabic digits with
dashes, "— 1 —", 7 mm below the type area, right-aligned (one character in) on odd pages and left-aligned on
even pages (odd/even footers). The issuing-authority mark (发文机关标志) and the separator line are red.

Fonts that may be missing on the reader's machine carry an ``altName`` in the font table, so Word and WPS
substitute 宋体 / 仿宋 / 楷体 rather than an arbitrary font.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

RED = RGBColor(0xFF, 0x00, 0x00)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI = "黑体"
KAI = "楷体_GB2312"
SONG = "宋体"
LATIN = "Times New Roman"
#: font → fallback written to the font table (w:altName)
FALLBACKS = {TITLE_FONT: SONG, BODY_FONT: "仿宋", KAI: "楷体"}

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_TABLE = Pt(12)  # 小四, table cells
LINES, CHARS = 28, 28
TYPE_WIDTH_MM, TYPE_HEIGHT_MM = 156, 225
LINE_PITCH_TWIPS = 455  # 22.75 pt; 28 × 22.75 pt = 637 pt ≤ 225 mm (637.8 pt)
LINE_PITCH = Pt(LINE_PITCH_TWIPS / 20)
#: body characters are condensed by this much (in 1/20 pt) so that 28 fit the 156 mm line: 28 × (16 − 0.25) pt ≤ 442.2 pt
CHAR_CONDENSE_TWENTIETHS = -5


def set_run_font(
    run, east_asia: str, size: Pt, *, latin: str = LATIN, bold: bool = False, color: RGBColor | None = None
):
    run.font.name = latin
    run.font.size = size
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    if color is not None:
        run.font.color.rgb = color
    return run


def east_asia_font(run) -> str | None:
    fonts = run._element.rPr.find(qn("w:rFonts")) if run._element.rPr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


@dataclass
class Imprint:
    """版记: 抄送机关, 印发机关 and 印发日期."""

    cc: str
    printer: str
    printed_on: str


class OfficialDocument:
    def __init__(self):
        self.doc = Document()
        self._setup_page()
        self._setup_styles()
        self._setup_font_table()
        self._setup_page_numbers()

    # ------------------------------------------------------------------ setup
    def _setup_page(self):
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance = Mm(15)
        section.footer_distance = Mm(23)  # number line (≈ 5 mm) starts 7 mm below the type area
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))

    def _setup_styles(self):
        normal = self.doc.styles["Normal"]
        normal.font.name = LATIN
        normal.font.size = SIZE_3
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn("w:eastAsia"), BODY_FONT)
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(CHAR_CONDENSE_TWENTIETHS))
        rpr.append(spacing)
        pf = normal.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = LINE_PITCH
        lang = OxmlElement("w:lang")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)

    def _setup_font_table(self):
        part = next((p for p in self.doc.part.package.iter_parts() if p.partname.endswith("fontTable.xml")), None)
        if part is None:
            return
        from lxml import etree

        root = etree.fromstring(part.blob)
        ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        for name, alt in FALLBACKS.items():
            font = etree.SubElement(root, f"{{{ns}}}font")
            font.set(f"{{{ns}}}name", name)
            alt_el = etree.SubElement(font, f"{{{ns}}}altName")
            alt_el.set(f"{{{ns}}}val", alt)
            charset = etree.SubElement(font, f"{{{ns}}}charset")
            charset.set(f"{{{ns}}}val", "86")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _setup_page_numbers(self):
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        self._page_number(section.footer.paragraphs[0], odd=True)
        self._page_number(section.even_page_footer.paragraphs[0], odd=False)

    @staticmethod
    def _page_number(paragraph, *, odd: bool):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
        pf = paragraph.paragraph_format
        if odd:
            pf.right_indent = SIZE_4  # one character in from the outside edge
        else:
            pf.left_indent = SIZE_4
        set_run_font(paragraph.add_run("— "), SONG, SIZE_4, latin=SONG)
        run = set_run_font(paragraph.add_run(), SONG, SIZE_4, latin=SONG)
        for tag, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            if tag:
                fld = OxmlElement("w:fldChar")
                fld.set(qn("w:fldCharType"), tag)
                run._element.append(fld)
            elif text == " PAGE ":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._element.append(instr)
            else:
                t = OxmlElement("w:t")
                t.text = text
                run._element.append(t)
        set_run_font(paragraph.add_run(" —"), SONG, SIZE_4, latin=SONG)

    # ------------------------------------------------------------------ blocks
    def _p(
        self, text: str = "", *, font=BODY_FONT, size=SIZE_3, align=None, indent_chars: int = 0, bold=False, color=None
    ):
        p = self.doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent_chars:
            p.paragraph_format.first_line_indent = Pt(16 * indent_chars)
        if text:
            set_run_font(p.add_run(text), font, size, bold=bold, color=color)
        return p

    def issuer_mark(self, text: str):
        """发文机关标志: red 小标宋, centred."""
        p = self._p(text, font=TITLE_FONT, size=Pt(26), align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        p.paragraph_format.space_before = Pt(LINE_PITCH.pt)
        return p

    def doc_number(self, text: str):
        """发文字号 centred under the mark, followed by the red separator line (版心 width)."""
        self._p()
        p = self._p(text, align=WD_ALIGN_PARAGRAPH.CENTER)
        p_pr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for k, v in (("val", "single"), ("sz", "12"), ("space", "6"), ("color", "FF0000")):
            bottom.set(qn(f"w:{k}"), v)
        borders.append(bottom)
        p_pr.append(borders)
        self._p()
        return p

    def title(self, text: str):
        p = self._p(text, font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        self._p()
        return p

    def addressee(self, text: str):
        return self._p(text)

    def para(self, text: str):
        return self._p(text, indent_chars=2)

    def heading1(self, text: str):
        return self._p(text, font=HEI, indent_chars=2)

    def heading2(self, text: str):
        return self._p(text, font=KAI, indent_chars=2)

    def note(self, text: str):
        """A bracketed drafting note (kept in body font so the unit can edit it in place)."""
        return self._p(text, indent_chars=2)

    def table(
        self, headers: list[str], rows: list[list[str]], *, widths_mm: list[float] | None = None, caption: str = ""
    ):
        if caption:
            self._p(caption, font=HEI, align=WD_ALIGN_PARAGRAPH.CENTER)
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            self._cell(cell, text, font=HEI)
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                self._cell(cell, text)
        if widths_mm:
            table.autofit = False
            for column, w in zip(table.columns, widths_mm, strict=True):
                column.width = Mm(w)  # w:gridCol: LibreOffice and WPS lay the table out from the grid
            for row in table.rows:
                for cell, w in zip(row.cells, widths_mm, strict=True):
                    cell.width = Mm(w)
        self._p()
        return table

    @staticmethod
    def _cell(cell, text: str, *, font=BODY_FONT):
        p = cell.paragraphs[0]
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.paragraph_format.first_line_indent = Pt(0)
        set_run_font(p.add_run(str(text)), font, SIZE_TABLE)

    def signature(self, org: str, date_text: str):
        """发文机关署名 and 成文日期, right-aligned with four characters of right indent for the date."""
        self._p()
        self._p()
        p = self._p(org, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(16 * 2)
        d = self._p(date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        d.paragraph_format.right_indent = Pt(16 * 4)

    def imprint(self, imprint: Imprint):
        """版记 at the end: 抄送 and 印发 lines between rules, 4号 仿宋."""
        self._p()
        for i, (left, right) in enumerate(
            ((f"抄送：{imprint.cc}。", ""), (imprint.printer, f"{imprint.printed_on}印发"))
        ):
            p = self._p(font=BODY_FONT, size=SIZE_4)
            pf = p.paragraph_format
            pf.left_indent = pf.right_indent = SIZE_4
            set_run_font(p.add_run(left), BODY_FONT, SIZE_4)
            if right:
                tabs = pf.tab_stops
                from docx.enum.text import WD_TAB_ALIGNMENT

                tabs.add_tab_stop(Mm(TYPE_WIDTH_MM) - SIZE_4 * 2, WD_TAB_ALIGNMENT.RIGHT)
                set_run_font(p.add_run("\t" + right), BODY_FONT, SIZE_4)
            p_pr = p._p.get_or_add_pPr()
            borders = OxmlElement("w:pBdr")
            for edge in ("top", "bottom") if i == 0 else ("bottom",):
                el = OxmlElement(f"w:{edge}")
                for k, v in (
                    ("val", "single"),
                    ("sz", "8" if edge == "bottom" and i == 0 else "12"),
                    ("space", "1"),
                    ("color", "000000"),
                ):
                    el.set(qn(f"w:{k}"), v)
                borders.append(el)
            p_pr.append(borders)

    def page_break(self):
        self.doc.add_page_break()

    def new_landscape_section(self):
        """A landscape section for wide tables (same margins rotated, page numbers carried over)."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = 1
        section.page_width, section.page_height = Mm(297), Mm(210)
        return section

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()
