"""Reading appendix files (xlsx, xls, ods, csv, docx) into a grid, and refusing bad files."""

import datetime
import io
import re
import unicodedata
import zipfile

import docx
import openpyxl
import pytest
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P

from plans.appendix import AppendixError, read_rows, read_sheets

HEADER = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"]


# --- File builders (shared with the parsing tests) -------------------------------------------------


def xlsx_bytes(rows, merges=(), title="Phụ lục", extra_sheets=()):
    """An .xlsx whose first sheet holds ``rows`` (lists of values) and the given merged ranges."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    for name, extra_rows in extra_sheets:
        extra = workbook.create_sheet(name)
        for row in extra_rows:
            extra.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cached_value(data, ref, cached):
    """Give formula cell ``ref`` a cached string result, as a spreadsheet program would on saving."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                pattern = rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?'
                replacement = rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{cached}</v>'
                content, count = re.subn(pattern, replacement, content.decode("utf-8"))
                assert count == 1
                content = content.encode("utf-8")
            target.writestr(info, content)
    return buffer.getvalue()


def docx_bytes(build):
    """A .docx made by ``build(document)``."""
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def fill_table(table, rows):
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                table.cell(r, c).text = value


def ods_bytes(rows):
    """An .ods; a row item may be a str, None (empty), ("span", text, n), ("date", iso, shown) or
    ("repeat", text, n)."""
    document = OpenDocumentSpreadsheet()
    table = Table(name="Phụ lục")
    for row in rows:
        table_row = TableRow()
        for item in row:
            if item is None:
                table_row.addElement(TableCell())
            elif isinstance(item, str):
                cell = TableCell(valuetype="string")
                for line in item.split("\n"):
                    cell.addElement(P(text=line))
                table_row.addElement(cell)
            elif item[0] == "span":
                cell = TableCell(valuetype="string", numbercolumnsspanned=item[2])
                cell.addElement(P(text=item[1]))
                table_row.addElement(cell)
                for _ in range(item[2] - 1):
                    table_row.addElement(CoveredTableCell())
            elif item[0] == "date":
                cell = TableCell(valuetype="date", datevalue=item[1])
                cell.addElement(P(text=item[2]))
                table_row.addElement(cell)
            elif item[0] == "repeat":
                cell = TableCell(valuetype="string", numbercolumnsrepeated=item[2])
                cell.addElement(P(text=item[1]))
                table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def xls_bytes(build):
    book = xlwt.Workbook(encoding="utf-8")
    build(book.add_sheet("Phụ lục"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def texts(sheet):
    return [[cell.text for cell in row.cells] for row in sheet.rows]


# --- xlsx ------------------------------------------------------------------------------------------


def test_xlsx_keeps_source_row_numbers():
    data = xlsx_bytes([["PHỤ LỤC"], [], HEADER, ["1", "Rà soát", "Sở Nội vụ"]])

    sheet = read_rows(data, "phu-luc.xlsx")

    assert [row.number for row in sheet.rows] == [1, 2, 3, 4] and sheet.rows[3].cells[1].text == "Rà soát"


def test_xlsx_horizontal_merge_leaves_value_in_first_cell_and_marks_the_rest():
    data = xlsx_bytes([HEADER, ["I", "CHUYỂN ĐỔI SỐ"]], merges=["B2:E2"])

    row = read_rows(data, "a.xlsx").rows[1]

    assert row.cells[1].text == "CHUYỂN ĐỔI SỐ" and [cell.merged for cell in row.cells[2:]] == [True] * 3


def test_xlsx_vertical_merge_fills_the_top_value_down():
    data = xlsx_bytes([HEADER, ["1", "A", "Sở Nội vụ"], ["2", "B"]], merges=["C2:C3"])

    cell = read_rows(data, "a.xlsx").rows[2].cells[2]

    assert (cell.text, cell.filled_down) == ("Sở Nội vụ", True)


def test_xlsx_formula_gives_cached_value_without_evaluating():
    data = with_cached_value(xlsx_bytes([HEADER, ["1", "A", "Sở Nội vụ", "", "=1+1"]]), "E2", "Năm 2024")

    assert read_rows(data, "a.xlsx").rows[1].cells[4].text == "Năm 2024"


def test_xlsx_date_cell_prints_day_first_and_keeps_the_date():
    data = xlsx_bytes([HEADER, ["1", "A", "Sở Nội vụ", "", datetime.datetime(2024, 5, 15)]])

    cell = read_rows(data, "a.xlsx").rows[1].cells[4]

    assert (cell.text, cell.value) == ("15/05/2024", datetime.date(2024, 5, 15))


def test_xlsx_numbers_print_as_written():
    data = xlsx_bytes([[1, 5.1, 99.8]])

    assert texts(read_rows(data, "a.xlsx")) == [["1", "5.1", "99.8"]]


def test_xlsx_line_breaks_inside_cells_are_kept():
    data = xlsx_bytes([["Sở Nội vụ\r\nSở Tư pháp"]])

    assert read_rows(data, "a.xlsx").rows[0].cells[0].text == "Sở Nội vụ\nSở Tư pháp"


def test_xlsx_every_sheet_is_read():
    data = xlsx_bytes([["a"]], extra_sheets=[("Chỉ tiêu", [["b"]])])

    assert [sheet.name for sheet in read_sheets(data, "a.xlsx")] == ["Phụ lục", "Chỉ tiêu"]


def test_read_rows_picks_a_sheet_by_name():
    data = xlsx_bytes([["a"]], extra_sheets=[("Chỉ tiêu", [["b"]])])

    assert texts(read_rows(data, "a.xlsx", sheet="Chỉ tiêu")) == [["b"]]


def test_read_rows_skips_an_empty_first_sheet():
    data = xlsx_bytes([], extra_sheets=[("Nhiệm vụ", [["b"]])])

    assert read_rows(data, "a.xlsx").name == "Nhiệm vụ"


def test_file_objects_and_paths_are_accepted(tmp_path):
    data = xlsx_bytes([["a"]])
    path = tmp_path / "a.xlsx"
    path.write_bytes(data)

    assert texts(read_rows(io.BytesIO(data), "a.xlsx")) == texts(read_rows(path, "a.xlsx")) == [["a"]]


def test_text_is_nfc():
    data = xlsx_bytes([[unicodedata.normalize("NFD", "Sở Nội vụ")]])

    assert read_rows(data, "a.xlsx").rows[0].cells[0].text == "Sở Nội vụ"


# --- csv -------------------------------------------------------------------------------------------


def test_csv_with_bom_and_semicolons():
    data = "\ufeffSTT;Nhiệm vụ;Đơn vị chủ trì\n1;Rà soát, bổ sung;Sở Nội vụ\n".encode()

    assert texts(read_rows(data, "a.csv")) == [
        ["STT", "Nhiệm vụ", "Đơn vị chủ trì"],
        ["1", "Rà soát, bổ sung", "Sở Nội vụ"],
    ]


def test_csv_with_commas_and_quoted_line_break():
    data = 'STT,Nhiệm vụ,Đơn vị chủ trì\n1,A,"Sở Nội vụ\nSở Tư pháp"\n'.encode()

    assert read_rows(data, "a.csv").rows[1].cells[2].text == "Sở Nội vụ\nSở Tư pháp"


def test_csv_not_in_utf8_is_refused():
    data = "STT;Nhiệm vụ\n1;Rà soát\n".encode("utf-16")

    with pytest.raises(AppendixError, match="UTF-8|không phải định dạng"):
        read_rows(data, "a.csv")


def test_csv_in_legacy_encoding_is_refused():
    data = "STT;Nhi\u1ec7m v\u1ee5\n".encode("cp1258", errors="replace").replace(b"?", b"\xe1")

    with pytest.raises(AppendixError, match="UTF-8"):
        read_rows(data, "a.csv")


# --- xls -------------------------------------------------------------------------------------------


def test_xls_cells_merges_and_dates():
    def build(sheet):
        for col, label in enumerate(HEADER):
            sheet.write(0, col, label)
        sheet.write_merge(1, 1, 1, 4, "CHUYỂN ĐỔI SỐ")
        sheet.write(1, 0, "I")
        sheet.write(2, 0, 1)
        sheet.write(2, 1, "Rà soát")
        sheet.write_merge(2, 3, 2, 2, "Sở Nội vụ")
        sheet.write(2, 4, datetime.date(2024, 5, 15), xlwt.easyxf(num_format_str="DD/MM/YYYY"))

    sheet = read_rows(xls_bytes(build), "a.xls")

    assert texts(sheet)[1:] == [
        ["I", "CHUYỂN ĐỔI SỐ", "", "", ""],
        ["1", "Rà soát", "Sở Nội vụ", "", "15/05/2024"],
        ["", "", "Sở Nội vụ", "", ""],
    ]
    assert sheet.rows[2].cells[4].value == datetime.date(2024, 5, 15) and sheet.rows[1].cells[2].merged


# --- ods -------------------------------------------------------------------------------------------


def test_ods_spans_dates_and_line_breaks():
    data = ods_bytes(
        [
            HEADER,
            ["I", ("span", "CHUYỂN ĐỔI SỐ", 4)],
            ["1", "Rà soát", "Sở Nội vụ\nSở Tư pháp", None, ("date", "2024-05-15", "15/5/24")],
        ]
    )

    sheet = read_rows(data, "a.ods")

    assert texts(sheet)[1:] == [
        ["I", "CHUYỂN ĐỔI SỐ", "", "", ""],
        ["1", "Rà soát", "Sở Nội vụ\nSở Tư pháp", "", "15/05/2024"],
    ]
    assert sheet.rows[1].cells[3].merged and sheet.rows[2].cells[4].value == datetime.date(2024, 5, 15)


def test_ods_repeated_columns_are_expanded():
    data = ods_bytes([[("repeat", "x", 3)]])

    assert texts(read_rows(data, "a.ods")) == [["x", "x", "x"]]


# --- docx ------------------------------------------------------------------------------------------


def _two_row_header_document(document):
    document.add_paragraph("PHỤ LỤC")
    fill_table(
        document.add_table(rows=1, cols=2), [["UBND TỈNH ĐỒNG THÁP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]]
    )
    table = document.add_table(rows=5, cols=5)
    table.cell(0, 2).merge(table.cell(0, 3))
    for col in (0, 1, 4):
        table.cell(0, col).merge(table.cell(1, col))
    table.cell(2, 1).merge(table.cell(2, 4))
    table.cell(3, 2).merge(table.cell(4, 2))
    fill_table(
        table,
        [
            ["STT", "Nhiệm vụ", "Đơn vị thực hiện", None, "Thời hạn"],
            [None, None, "Chủ trì", "Phối hợp", None],
            ["I", "CHUYỂN ĐỔI SỐ", None, None, None],
            ["1", "Rà soát", "Sở Nội vụ", "Sở Tư pháp", "Năm 2024"],
            ["2", "Kiện toàn", None, "Sở Tài chính", "Quý III/2024"],
        ],
    )


def test_docx_reads_the_appendix_table_not_the_header_block():
    sheet = read_rows(docx_bytes(_two_row_header_document), "ke-hoach.docx")

    assert sheet.width == 5 and sheet.rows[0].cells[0].text == "STT"


def test_docx_horizontal_merge():
    row = read_rows(docx_bytes(_two_row_header_document), "a.docx").rows[2]

    assert row.cells[1].text == "CHUYỂN ĐỔI SỐ" and all(cell.merged for cell in row.cells[2:])


def test_docx_vertical_merge_fills_down():
    sheet = read_rows(docx_bytes(_two_row_header_document), "a.docx")

    assert [row.cells[2].text for row in sheet.rows[3:]] == ["Sở Nội vụ", "Sở Nội vụ"]
    assert sheet.rows[4].cells[2].filled_down


def test_docx_without_table_is_refused():
    data = docx_bytes(lambda document: document.add_paragraph("Không có bảng"))

    with pytest.raises(AppendixError, match="Không tìm thấy bảng"):
        read_rows(data, "a.docx")


# --- Refused files ---------------------------------------------------------------------------------


def test_unknown_extension_is_refused():
    with pytest.raises(AppendixError, match="không được hỗ trợ"):
        read_rows("STT;Nhiệm vụ".encode(), "phu-luc.txt")


def test_text_file_renamed_xlsx_is_refused():
    with pytest.raises(AppendixError, match="không phải định dạng Excel"):
        read_rows("STT;Nhiệm vụ\n".encode(), "phu-luc.xlsx")


def test_word_file_renamed_xlsx_is_refused():
    data = docx_bytes(_two_row_header_document)

    with pytest.raises(AppendixError, match="không phải định dạng Excel"):
        read_rows(data, "phu-luc.xlsx")


def test_xlsx_renamed_xls_is_refused():
    with pytest.raises(AppendixError, match=r"Excel 97-2003"):
        read_rows(xlsx_bytes([["a"]]), "phu-luc.xls")


def test_binary_file_renamed_csv_is_refused():
    with pytest.raises(AppendixError, match="không phải định dạng CSV"):
        read_rows(b"\x00\x01\x02binary", "phu-luc.csv")


def test_corrupt_zip_is_refused():
    data = xlsx_bytes([HEADER])[:400]

    with pytest.raises(AppendixError, match="hỏng"):
        read_rows(data, "phu-luc.xlsx")


def test_corrupt_xlsx_content_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml")

    with pytest.raises(AppendixError, match="bị hỏng hoặc không đúng định dạng"):
        read_rows(buffer.getvalue(), "phu-luc.xlsx")


def test_zip_bomb_is_refused_before_opening():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            for _ in range(30):
                entry.write(b"\0" * (1024 * 1024))

    with pytest.raises(AppendixError, match="giải nén bất thường"):
        read_rows(buffer.getvalue(), "phu-luc.xlsx")


def test_password_protected_office_file_is_refused():
    # An encrypted .xlsx is an OLE2 compound file with an "EncryptedPackage" stream.
    data = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")

    with pytest.raises(AppendixError, match="mật khẩu"):
        read_rows(data, "phu-luc.xlsx")


def test_empty_workbook_is_refused():
    with pytest.raises(AppendixError, match="không có dữ liệu"):
        read_rows(xlsx_bytes([]), "phu-luc.xlsx")


def test_empty_file_is_refused():
    with pytest.raises(AppendixError, match="rỗng"):
        read_rows(b"", "phu-luc.csv")


def test_too_many_rows_are_refused():
    data = xlsx_bytes([[str(n)] for n in range(30)])

    with pytest.raises(AppendixError, match="quá nhiều dòng"):
        read_rows(data, "phu-luc.xlsx", max_rows=20)


def test_too_large_file_is_refused():
    with pytest.raises(AppendixError, match=r"dung lượng cho phép \(0.01 MB\)"):
        read_rows(b"a;b\n" * 5000, "phu-luc.csv", max_bytes=10_486)


def test_error_carries_its_message():
    with pytest.raises(AppendixError) as caught:
        read_rows(b"", "a.csv")

    assert caught.value.message == str(caught.value) == "Tệp rỗng, không có dữ liệu."
