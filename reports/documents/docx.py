"""A report document as a .docx laid out per Decree 30/2020/NĐ-CP, Appendix I: A4, margins top and
bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; issuing body (upper case, the issuer in bold)
on the left and the national title and motto on the right; number, place and date; the document's
kind and excerpt; body at 14 pt; "Nơi nhận:" and the signature block side by side."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reports.documents.content import MOTTO, NATIONAL_TITLE

FONT = "Times New Roman"
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


def render_docx(doc):
    """The .docx bytes of a document built by :func:`reports.documents.content.document`."""
    word = blank_document()
    _header(word, doc)
    _para(word, doc["title"], size=14, bold=True, align=CENTER, before=12)
    _para(word, doc["excerpt"], size=14, bold=True, align=CENTER)
    _rule(word.add_paragraph(), Cm(6))
    _body(word, doc["intro"])
    for section in doc["sections"]:
        _para(word, section["heading"], bold=True, align=JUSTIFY, before=6, after=6, indent=Cm(1))
        for text in section["paragraphs"]:
            _body(word, text)
    _closing(word, doc)
    _appendix(word, doc["appendix"])
    if doc.get("targets"):  # the targets table, when the plans have targets
        _appendix(word, doc["targets"])
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def blank_document():
    """An empty A4 document with the decree's margins, Times New Roman 14 pt as its normal text."""
    word = Document()
    _page(word.sections[0])
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # Word reads this one for Vietnamese too
    normal.paragraph_format.space_after = Pt(0)
    return word


def _page(section, landscape=False):
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)


def _para(container, text, *, size=None, bold=False, italic=False, align=None, before=0, after=0,
          indent=None):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent is not None:
        fmt.first_line_indent = indent
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if index:
            run.add_break(WD_BREAK.LINE)
        run.add_text(line)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    return paragraph


def _body(word, text):
    paragraph = _para(word, text, align=JUSTIFY, after=6, indent=Cm(1))
    paragraph.paragraph_format.line_spacing = 1.15
    return paragraph


def _rule(paragraph, width, cell_width=None):
    """A short centred line under a heading: a bottom border on an indented empty paragraph."""
    paragraph.alignment = CENTER
    side = ((cell_width or Cm(16.5)) - width) / 2
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = int(side)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"val": "single", "sz": "6", "space": "1", "color": "000000"}.items():
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    paragraph.paragraph_format.space_after = Pt(6)


def _borderless(table):
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _two_columns(word, widths):
    table = word.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borderless(table)
    # LibreOffice reads the grid's widths, Word the cells': set both.
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = cell.width = width
    return table.rows[0].cells


def _header(word, doc):
    widths = (Cm(6.3), Cm(10.2))
    left, right = _two_columns(word, widths)
    _cell_lines(left, [(doc["parent"], 13, False, False), (doc["issuer"], 13, True, False)])
    _rule(left.add_paragraph(), Cm(2.5), widths[0])
    _cell_lines(left, [(doc["number"], 13, False, False)])
    if doc.get("subject"):  # a letter's excerpt (trích yếu, "V/v …") stands under its number
        _cell_lines(left, [(doc["subject"], 12, False, False)])
    _cell_lines(right, [(NATIONAL_TITLE, 13, True, False), (MOTTO, 14, True, False)])
    _rule(right.add_paragraph(), Cm(5.5), widths[1])
    _cell_lines(right, [(doc["place_date"], 14, False, True)])


def _cell_lines(cell, lines):
    for text, size, bold, italic in lines:
        # A new cell holds one empty paragraph: fill it before adding more.
        paragraph = cell.paragraphs[0] if len(cell.paragraphs) == 1 and not cell.paragraphs[0].runs \
            else cell.add_paragraph()
        paragraph.alignment = CENTER
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic


def _closing(word, doc):
    word.add_paragraph()
    left, right = _two_columns(word, (Cm(7.5), Cm(9)))
    first = left.paragraphs[0]
    run = first.add_run("Nơi nhận:")
    run.bold = run.italic = True
    run.font.size = Pt(12)
    for line in doc["recipients"]:
        left.add_paragraph().add_run(line).font.size = Pt(11)
    _cell_lines(right, [(doc["signer_position"], 14, True, False)])
    for _blank in range(4):  # room for the signature and the seal
        right.add_paragraph()
    _cell_lines(right, [(doc["signer"] or " ", 14, True, False)])


def _appendix(word, appendix):
    section = word.add_section()
    _page(section, landscape=True)
    _para(word, appendix["title"], size=13, bold=True, align=CENTER, after=6)
    _para(word, appendix["note"], size=12, italic=True, align=CENTER, after=6)
    headers, rows = appendix["headers"], appendix["rows"]
    table = word.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    if appendix.get("widths"):  # in cm; else equal columns
        table.autofit = False
        for column, width in zip(table.columns, appendix["widths"], strict=True):
            column.width = Cm(width)
            for cell in column.cells:  # LibreOffice reads the grid's widths, Word the cells'
                cell.width = Cm(width)
    # ``table.rows[0]`` is a new proxy at each access: the header row is told by its index.
    for index, (row, values) in enumerate(zip(table.rows, [headers, *rows], strict=True)):
        for cell, value in zip(row.cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = CENTER if index == 0 or len(str(value)) < 8 else None
            run = paragraph.add_run(str(value))
            run.font.size = Pt(11)
            run.bold = index == 0 or values[1] == "Tổng cộng"


def keep_together(row):
    """The row is never split across two pages (a signature block)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_header(row):
    """The header row repeats on every page of a long table."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)
