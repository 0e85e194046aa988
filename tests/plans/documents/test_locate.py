"""Where a whole Word plan lists its tasks: appendix tables (several, split, among layout tables), and
the reading of the document's body."""

import io

import docx
import pytest

from plans.appendix.sheet import Budget, Limits
from plans.appendix.zipxml import open_zip
from plans.documents.locate import APPENDIX, NO_TASKS, choose, task_sources
from plans.documents.word import read_word_document
from tests.plans.word_builders import borderless

HEADER = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"]


def add_table(document, rows, style="Table Grid"):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    if style:
        table.style = style
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    return table


def national_header(document):
    table = add_table(document, [["ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                                 ["Số: 12/KH-UBND", "Đồng Tháp, ngày 05 tháng 01 năm 2026"]], style=None)
    borderless(table)


def read(document):
    buffer = io.BytesIO()
    document.save(buffer)
    limits = Limits()
    return read_word_document(open_zip(buffer.getvalue(), limits), limits, Budget(limits))


def two_appendices():
    document = docx.Document()
    national_header(document)
    document.add_paragraph("KẾ HOẠCH").runs[0].bold = True
    document.add_paragraph("Chuyển đổi số năm 2026")
    document.add_paragraph("PHỤ LỤC I")
    document.add_paragraph("DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2026")
    task = ["1", "Xây dựng kho dữ liệu", "Sở Khoa học và Công nghệ", "Sở Nội vụ", "Quý II/2026"]
    add_table(document, [HEADER, task])
    document.add_paragraph("PHỤ LỤC II")
    document.add_paragraph("DANH MỤC NHIỆM VỤ CỦA CẤP XÃ")
    add_table(document, [HEADER, ["1", "Số hóa hồ sơ", "UBND các xã, phường", "", "Năm 2026"],
                         ["2", "Tập huấn", "UBND các xã, phường", "", "Quý III/2026"]])
    return read(document)


def test_each_appendix_is_a_task_list_named_by_its_caption():
    sources = task_sources(two_appendices())

    assert [(s.kind, s.label, len(s.parsed.tasks)) for s in sources] == [
        (APPENDIX, "PHỤ LỤC I DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2026", 1),
        (APPENDIX, "PHỤ LỤC II DANH MỤC NHIỆM VỤ CỦA CẤP XÃ", 2),
    ]


def test_the_admin_picks_the_second_appendix():
    chosen = choose(task_sources(two_appendices()), appendix=2)

    assert [task.title for task in chosen.parsed.tasks] == ["Số hóa hồ sơ", "Tập huấn"]


def test_the_first_appendix_is_read_when_nobody_chooses():
    chosen = choose(task_sources(two_appendices()))

    assert chosen.parsed.tasks[0].title == "Xây dựng kho dữ liệu"


def test_a_layout_table_is_not_a_task_list():
    sources = task_sources(two_appendices())

    assert all(source.sheet.width == 5 for source in sources)


def test_a_table_word_split_in_two_is_read_as_one():
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC")
    add_table(document, [HEADER, ["1", "Rà soát", "Sở Nội vụ", "", "Quý I/2026"]])
    add_table(document, [["2", "Tập huấn", "Sở Nội vụ", "", "Quý II/2026"]])

    sources = task_sources(read(document))

    assert [task.code for task in sources[0].parsed.tasks] == ["1", "2"]


def test_a_document_without_tasks_says_where_it_looked():
    document = docx.Document()
    document.add_paragraph("Kính gửi: các sở, ngành.")

    with pytest.raises(LookupError) as raised:
        choose(task_sources(read(document)))

    assert str(raised.value) == NO_TASKS


def test_the_body_is_read_in_order_with_bold_headings_and_layout_tables_marked():
    document = two_appendices()

    first_table, kind = document.blocks[0], document.blocks[1]
    assert first_table.bordered is False
    assert first_table.sheet.rows[0].cells[0].text == "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP"
    assert (kind.text, kind.bold) == ("KẾ HOẠCH", True)
    assert document.blocks[2].bold is False
    assert [table.bordered for table in document.tables] == [False, True, True]


def test_the_core_properties_give_title_and_date():
    source = docx.Document()
    source.core_properties.title = "Kế hoạch chuyển đổi số năm 2026"
    source.add_paragraph("x")

    document = read(source)

    assert document.properties["title"] == "Kế hoạch chuyển đổi số năm 2026"
    assert len(document.properties["created"]) == 10
