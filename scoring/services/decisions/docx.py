"""The decision as a Word file (python-docx), so DoHA can finish it in Word or in the e-office system:
the same text as the PDF (``document.decision_text``) in the administrative form of Decree 30/2020/NĐ-CP
— the heading table with its short rules, the grounds, the articles, the signature and "Nơi nhận", the
annex table — in Times New Roman, on A4 with the decree's margins, page numbers at the top from page 2.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from scoring.services.decisions.document import DecisionText

FONT = "Times New Roman"
CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


def _font(run, *, size: float, bold=False, italic=False) -> None:
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    # Word picks the font per script: name it for every one, or Vietnamese may fall back to another.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _paragraph(container, text: str = "", *, size=14, bold=False, italic=False, align=None, indent=False, after=3):
    paragraph = container.add_paragraph()
    if text:
        _font(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    return paragraph


def _rule(container, width_cm: float, cell_width_cm: float):
    """A short centred line under a heading: the bottom border of an empty paragraph, indented so the
    line is ``width_cm`` long."""
    paragraph = _paragraph(container, size=4, after=2)
    side = Cm(max((cell_width_cm - width_cm) / 2, 0))
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def _no_borders(table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _cell(table, row: int, column: int, width_cm: float):
    cell = table.cell(row, column)
    cell.width = Cm(width_cm)
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)  # start empty
    return cell


def _page_numbers_from_page_two(section) -> None:
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def decision_docx(text: DecisionText) -> bytes:
    """The Word file of the decision whose text is ``text``."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _page_numbers_from_page_two(section)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)

    # The heading: the body and the number on the left, the state, motto, place and date on the right.
    heading = document.add_table(rows=1, cols=2)
    heading.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(heading)
    left, right = _cell(heading, 0, 0, 6.0), _cell(heading, 0, 1, 10.5)
    for line in text.body:
        _paragraph(left, line, size=13, bold=True, align=CENTER, after=0)
    _rule(left, 2.0, 6.0)
    _paragraph(left, text.number_line, size=13, align=CENTER)
    _paragraph(right, text.STATE, size=13, bold=True, align=CENTER, after=0)
    _paragraph(right, text.MOTTO, size=14, bold=True, align=CENTER, after=0)
    _rule(right, 5.6, 10.5)
    _paragraph(right, text.place_date, size=14, italic=True, align=CENTER)

    _paragraph(document, text.TITLE, size=14, bold=True, align=CENTER, after=0).paragraph_format.space_before = Pt(12)
    _paragraph(document, text.subject, size=14, bold=True, align=CENTER, after=0)
    _rule(document, 3.0, 16.5)
    _paragraph(document, text.authority, size=14, bold=True, align=CENTER, after=6)
    for ground in text.grounds:
        _paragraph(document, ground, italic=True, align=JUSTIFY, indent=True)
    _paragraph(document, text.proposal, italic=True, align=JUSTIFY, indent=True)
    _paragraph(document, text.DECIDES, bold=True, align=CENTER, after=6)
    for label, body in text.articles:
        paragraph = _paragraph(document, align=JUSTIFY, indent=True)
        _font(paragraph.add_run(f"{label} "), size=14, bold=True)
        _font(paragraph.add_run(body), size=14)

    # "Nơi nhận" at the bottom left, the signature on the right.
    closing = document.add_table(rows=1, cols=2)
    _no_borders(closing)
    recipients, signature = _cell(closing, 0, 0, 7.5), _cell(closing, 0, 1, 9.0)
    _paragraph(recipients, "Nơi nhận:", size=12, bold=True, italic=True, after=0)
    for line in text.recipients:
        _paragraph(recipients, line, size=11, after=0)
    for line in text.signature:
        _paragraph(signature, line, size=14, bold=True, align=CENTER, after=0)
    for _blank in range(4):
        _paragraph(signature, "", size=14, after=0)
    _paragraph(signature, text.signer_name, size=14, bold=True, align=CENTER)

    # The annex on a page of its own.
    _paragraph(document, after=0).add_run().add_break(WD_BREAK.PAGE)
    _paragraph(document, text.ANNEX, bold=True, align=CENTER, after=0)
    _paragraph(document, text.annex_title, bold=True, align=CENTER, after=0)
    _paragraph(document, text.annex_caption, italic=True, align=CENTER, after=6)
    annex = document.add_table(rows=1, cols=4)
    annex.style = "Table Grid"
    for cell, header in zip(annex.rows[0].cells, text.ANNEX_HEADER, strict=True):
        cell.paragraphs[0].alignment = CENTER
        _font(cell.paragraphs[0].add_run(header), size=13, bold=True)
    for row in text.annex:
        cells = annex.add_row().cells
        values = (str(row.position), row.unit_name, row.total, f"{row.stars_drawn} {row.stars} sao")
        aligns = (CENTER, None, WD_ALIGN_PARAGRAPH.RIGHT, CENTER)
        for cell, value, align in zip(cells, values, aligns, strict=True):
            cell.paragraphs[0].alignment = align
            _font(cell.paragraphs[0].add_run(value), size=13)
    for cell, width in zip(annex.columns, (1.3, 9.2, 2.5, 3.5), strict=True):
        for item in cell.cells:
            item.width = Cm(width)

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
