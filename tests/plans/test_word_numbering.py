"""Word's automatic numbering is read as the page prints it: section and task headings, lettered
fields and the STT column of an appendix numbered by Word lists instead of typed."""

import io

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from plans.appendix import read_rows
from plans.appendix.parsing import parse_appendix
from plans.appendix.sheet import Budget, Limits
from plans.appendix.word_numbering import Level, Numbering
from plans.appendix.zipxml import open_zip
from plans.documents.prose import parse_prose
from plans.documents.word import read_word_document

OUTLINE, STT = 90, 91


def add_lists(document):
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{OUTLINE}">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="%3)"/></w:lvl>'
        '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>'
        '</w:abstractNum>'
    ))
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{STT}">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>'
        '</w:abstractNum>'
    ))
    for num_id in (OUTLINE, STT):
        numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'
        ))


def numbered(paragraph, num_id, level):
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))
    return paragraph


def read(document):
    buffer = io.BytesIO()
    document.save(buffer)
    limits = Limits()
    return read_word_document(open_zip(buffer.getvalue(), limits), limits, Budget(limits)), buffer.getvalue()


def prose_plan():
    document = docx.Document()
    add_lists(document)
    for text, level in [
        ("NỘI DUNG NHIỆM VỤ", 0),
        ("Rà soát chức năng, nhiệm vụ", 1), ("Cơ quan chủ trì: Sở Nội vụ.", 2),
        ("Thời gian hoàn thành: Quý III/2026.", 2),
        ("Tập huấn kỹ năng số", 1), ("Cơ quan chủ trì: Sở Khoa học và Công nghệ.", 2),
        ("Cơ quan phối hợp: Sở Nội vụ.", 2), ("Thời gian thực hiện: Thường xuyên.", 2),
        ("TỔ CHỨC THỰC HIỆN", 0), ("Sở Nội vụ", 1), ("Theo dõi, đôn đốc.", 3),
    ]:
        numbered(document.add_paragraph(text), OUTLINE, level)
    return document


def test_word_numbering_labels_are_printed_before_the_paragraphs():
    document, _ = read(prose_plan())

    assert [p.text for p in document.paragraphs] == [
        "I. NỘI DUNG NHIỆM VỤ", "1. Rà soát chức năng, nhiệm vụ", "a) Cơ quan chủ trì: Sở Nội vụ.",
        "b) Thời gian hoàn thành: Quý III/2026.", "2. Tập huấn kỹ năng số",
        "a) Cơ quan chủ trì: Sở Khoa học và Công nghệ.", "b) Cơ quan phối hợp: Sở Nội vụ.",
        "c) Thời gian thực hiện: Thường xuyên.", "II. TỔ CHỨC THỰC HIỆN", "1. Sở Nội vụ",
        "- Theo dõi, đôn đốc.",
    ]


def test_prose_tasks_numbered_by_word_are_found():
    document, _ = read(prose_plan())

    parsed = parse_prose(document)

    assert [(task.code, task.title, task.lead) for task in parsed.tasks] == [
        ("1", "Rà soát chức năng, nhiệm vụ", "Sở Nội vụ."),
        ("2", "Tập huấn kỹ năng số", "Sở Khoa học và Công nghệ."),
    ]


def test_an_stt_column_numbered_by_word_gives_the_task_numbers():
    source = docx.Document()
    add_lists(source)
    table = source.add_table(rows=3, cols=4)
    header = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row, title in zip(table.rows[1:], ["Rà soát", "Tập huấn"], strict=True):
        numbered(row.cells[0].paragraphs[0], STT, 0)
        row.cells[1].text, row.cells[2].text, row.cells[3].text = title, "Sở Nội vụ", "Năm 2026"
    _, data = read(source)

    parsed = parse_appendix(read_rows(data, "phu-luc.docx"))

    assert [(task.code, task.title) for task in parsed.tasks] == [("1", "Rà soát"), ("2", "Tập huấn")]


@pytest.mark.parametrize(("fmt", "counts", "expected"), [
    ("upperRoman", 4, "IV."), ("lowerRoman", 9, "ix."), ("lowerLetter", 27, "aa."), ("decimalZero", 3, "03."),
])
def test_label_formats(fmt, counts, expected):
    numbering = Numbering({"1": {0: Level(1, fmt, "%1.")}})

    labels = [numbering.label("1", 0) for _ in range(counts)]

    assert labels[-1] == expected


def test_a_deeper_level_restarts_after_a_higher_one_and_templates_show_both():
    numbering = Numbering({"1": {0: Level(1, "decimal", "%1."), 1: Level(1, "decimal", "%1.%2.")}})

    labels = [numbering.label("1", level) for level in (0, 1, 1, 0, 1)]

    assert labels == ["1.", "1.1.", "1.2.", "2.", "2.1."]


def test_a_list_the_numbering_part_does_not_define_prints_nothing():
    assert Numbering().label("7", 0) == ""
