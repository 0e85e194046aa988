"""Building Word plans in tests: what python-docx has no call for."""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def borderless(table):
    """A layout table as plans print their national header and signature block: no borders."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)
