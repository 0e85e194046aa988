"""A whole Word document (.docx) as a ``Document``: the body's paragraphs and tables in order, and the
title and creation date of its core properties. The body is read as a stream (``appendix.docx``);
footnotes, headers and footers are not part of it."""

import contextlib
import datetime

from plans.appendix.docx import BodyParagraph, read_blocks, table_sheet
from plans.appendix.zipxml import events
from plans.documents.model import Document, Paragraph, Table

CORE_PROPERTIES = "docProps/core.xml"


def read_word_document(archive, limits, budget):
    blocks, tables = [], 0
    for block in read_blocks(archive, limits, budget):
        if isinstance(block, BodyParagraph):
            if block.text:
                blocks.append(Paragraph(block.text.replace("\n", " "), bold=block.bold))
        elif block.rows:
            tables += 1
            sheet = table_sheet(block, f"Bảng {tables}", limits, budget)
            blocks.append(Table(sheet, bordered=block.bordered))
    return Document(blocks=blocks, properties=_core_properties(archive, budget))


def _core_properties(archive, budget):
    if CORE_PROPERTIES not in archive.namelist():
        return {}
    found = {}
    for _, node, _ in events(archive, CORE_PROPERTIES, budget, held={"title", "created"}):
        found[node.tag] = (node.text or "").strip()
    properties = {"title": found.get("title", "")}
    with contextlib.suppress(ValueError):  # no date, or not one
        properties["created"] = datetime.datetime.fromisoformat(found.get("created", "")).date().isoformat()
    return properties
