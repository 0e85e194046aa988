"""The plan's own data (number, date, issuer, kind, title, signer, legal basis) read from its document."""

import datetime
import re

import docx
import pytest
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from plans.appendix.sheet import Cell, Sheet, SheetRow
from plans.documents.metadata import issuer_name, read_plan_data
from plans.documents.model import Document, Paragraph, Table
from tests.plans.documents.test_prose import HERE


def word_document(name):
    """Paragraphs and tables in body order; a table whose borders are all "nil" is a layout table."""
    source = docx.Document(HERE / name)
    blocks = []
    for child in source.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = WordParagraph(child, source).text
            if text.strip():
                blocks.append(Paragraph(text))
        elif tag == "tbl":
            table = WordTable(child, source)
            rows = tuple(
                SheetRow(number, tuple(Cell(cell.text.strip()) for cell in row.cells))
                for number, row in enumerate(table.rows, start=1)
            )
            borders = re.search(r"<w:tblBorders>(.*?)</w:tblBorders>", child.xml, re.DOTALL)
            bordered = not (
                borders and set(re.findall(r'w:val="(\w+)"', borders.group(1))) <= {"nil", "none"}
            )
            width = max(len(row.cells) for row in rows)
            blocks.append(Table(Sheet("Bảng", rows, width), bordered=bordered))
    return Document(blocks=blocks)


def doc(*texts):
    return Document(blocks=[Paragraph(text) for text in texts])


QUANG_NAM_SUBJECT = (
    "Triển khai Thực hiện Đề án “Kiện toàn tổ chức bộ máy, nâng cao năng lực quản lý nhà nước và thực thi "
    "pháp luật về chuyển đổi số từ trung ương đến địa phương đến năm 2025, định hướng đến năm 2030” trên địa "
    "bàn tỉnh Quảng Nam"
)
DONG_THAP_SUBJECT = (
    "THỰC HIỆN ĐỀ ÁN “KIỆN TOÀN TỔ CHỨC BỘ MÁY, NÂNG CAO NĂNG LỰC QUẢN LÝ NHÀ NƯỚC VÀ THỰC THI PHÁP LUẬT VỀ "
    "CHUYỂN ĐỔI SỐ TỪ TRUNG ƯƠNG ĐẾN ĐỊA PHƯƠNG ĐẾN NĂM 2025, ĐỊNH HƯỚNG ĐẾN NĂM 2030” TRÊN ĐỊA BÀN TỈNH "
    "ĐỒNG THÁP"
)


# --- The fixtures ----------------------------------------------------------------------------------


def test_dong_thap():
    data = read_plan_data(word_document("dongthap-115-2024.docx"))

    assert (data.number, data.issued_on, data.place, data.issuer, data.kind) == (
        "115/KH-UBND",
        datetime.date(2024, 4, 8),
        "Đồng Tháp",
        "UBND tỉnh Đồng Tháp",
        "Kế hoạch",
    )
    assert data.title == DONG_THAP_SUBJECT
    assert (data.signer, data.signer_title) == ("Huỳnh Minh Tuấn", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")
    assert len(data.legal_basis) == 1 and data.legal_basis[0].startswith("Căn cứ Quyết định số 1690/QĐ-TTg")
    assert data.warnings == []


def test_quang_nam_draft_without_number_and_day():
    data = read_plan_data(word_document("quangnam-2024.docx"))

    assert (data.number, data.issued_on, data.place, data.issuer, data.kind) == (
        "",
        None,
        "Quảng Nam",
        "UBND tỉnh Quảng Nam",
        "Kế hoạch",
    )
    assert data.title == QUANG_NAM_SUBJECT
    assert (data.signer, data.signer_title) == ("Hồ Quang Bửu", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")
    assert len(data.legal_basis) == 1 and data.legal_basis[0].startswith(
        "Thực hiện Quyết định số 1690/QĐ-TTg"
    )
    assert len(data.warnings) == 2
    assert data.warnings[0].startswith("Văn bản chưa có số")
    assert "ngày ban hành" in data.warnings[1]


def test_dong_nai_acting_chairman_and_legal_basis_section():
    data = read_plan_data(word_document("dongnai-53-2024.docx"))

    assert (data.number, data.issued_on, data.place, data.issuer, data.kind, data.title) == (
        "53/KH-UBND",
        datetime.date(2024, 2, 15),
        "Đồng Nai",
        "UBND tỉnh Đồng Nai",
        "Kế hoạch",
        "CHUYỂN ĐỔI SỐ TỈNH ĐỒNG NAI NĂM 2024",
    )
    assert (data.signer, data.signer_title) == ("Võ Tấn Đức", "Q. CHỦ TỊCH")
    assert len(data.legal_basis) == 11
    assert data.legal_basis[0] == (
        "Nghị quyết số 52-NQ/TW ngày 27 tháng 9 năm 2019 của Bộ Chính trị về một số chủ trương, "
        "chính sách chủ "
        "động tham gia cuộc cách mạng công nghiệp lần thứ tư"
    )
    assert data.warnings == []


# --- Paragraphs only (a PDF's text, OCR) ---------------------------------------------------------------

DONG_THAP_BODY = (
    "Căn cứ Quyết định số 1690/QĐ-TTg ngày 26 tháng 12 năm 2023 của Thủ tướng Chính phủ, "
    "Ủy ban nhân dân Tỉnh "
    "ban hành Kế hoạch triển khai thực hiện như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích: Kiện toàn tổ chức bộ máy.",
    "Trong quá trình triển khai thực hiện, nếu có khó khăn, vướng mắc, các cơ quan phản ánh về Sở.",
)
DONG_THAP_SIGNATURE = (
    "Nơi nhận:",
    "- Bộ Thông tin và Truyền thông;",
    "- Lưu: VT, VX. Thg.",
    "TM. ỦY BAN NHÂN DÂN",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Huỳnh Minh Tuấn",
)
SUBJECT_LINES = (
    "THỰC HIỆN ĐỀ ÁN “KIỆN TOÀN TỔ CHỨC BỘ MÁY, NÂNG CAO",
    "NĂNG LỰC QUẢN LÝ NHÀ NƯỚC VÀ THỰC THI PHÁP LUẬT VỀ",
    "CHUYỂN ĐỔI SỐ TỪ TRUNG ƯƠNG ĐẾN ĐỊA PHƯƠNG ĐẾN NĂM",
    "2025, ĐỊNH HƯỚNG ĐẾN NĂM 2030” TRÊN ĐỊA BÀN TỈNH ĐỒNG",
    "THÁP",
)


@pytest.mark.parametrize(
    "header",
    [
        (  # left column first, then right column
            "ỦY BAN NHÂN DÂN",
            "TỈNH ĐỒNG THÁP",
            "Số: 115/KH-UBND",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Đồng Tháp, ngày 08 tháng 04 năm 2024",
        ),
        (  # both columns line by line, as pdftotext gives them
            "ỦY BAN NHÂN DÂN",
            "TỈNH ĐỒNG THÁP",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Số: 115/KH-UBND",
            "Đồng Tháp, ngày 08 tháng 04 năm 2024",
            "Độc lập - Tự do - Hạnh phúc",
        ),
        (  # lines of both columns joined, OCR noise
            "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "TỈNH ĐỒNG THÁP",
            "Độc lập - Tự do - Hạnh phúc",
            "-------",
            "Sô :  115 / KH-UBND   Ðồng Tháp , ngày 08  tháng 04 năm 2024",
        ),
    ],
)
def test_dong_thap_as_paragraphs(header):
    data = read_plan_data(doc(*header, "KẾ HOẠCH", *SUBJECT_LINES, *DONG_THAP_BODY, *DONG_THAP_SIGNATURE))

    assert (data.number, data.issued_on, data.kind) == ("115/KH-UBND", datetime.date(2024, 4, 8), "Kế hoạch")
    assert data.place in ("Đồng Tháp", "Ðồng Tháp")
    assert data.title == DONG_THAP_SUBJECT
    assert (data.signer, data.signer_title) == ("Huỳnh Minh Tuấn", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")
    assert len(data.legal_basis) == 1
    assert data.warnings == []


def test_issuer_of_the_ocr_variant():
    data = read_plan_data(doc("ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG THÁP", "Sô: 115/KH-UBND", "KẾ HOẠCH", "Về việc"))

    assert data.issuer == "UBND tỉnh Đồng Tháp"


def test_quang_nam_subject_wrapped_over_centred_lines():
    data = read_plan_data(
        doc(
            "ỦY BAN NHÂN DÂN",
            "TỈNH QUẢNG NAM",
            "Số:        /KH-UBND",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Quảng Nam, ngày        tháng 6 năm 2024",
            "KẾ HOẠCH",
            "Triển khai Thực hiện Đề án “Kiện toàn tổ chức bộ máy, nâng cao năng lực",
            "quản lý nhà nước và thực thi pháp luật về chuyển đổi số từ trung ương đến",
            "địa phương đến năm 2025, định hướng đến năm 2030” trên địa bàn tỉnh",
            "Quảng Nam",
            "Thực hiện Quyết định số 1690/QĐ-TTg ngày 26/12/2023 của Thủ tướng Chính phủ; theo đề nghị "
            "của Sở.",
            "I. ĐÁNH GIÁ SƠ BỘ HIỆN TRẠNG",
            "TM. ỦY BAN NHÂN DÂN",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "[daky]",
            "Hồ Quang Bửu",
        )
    )

    assert data.title == QUANG_NAM_SUBJECT
    assert (data.number, data.issued_on, data.place) == ("", None, "Quảng Nam")
    assert data.signer == "Hồ Quang Bửu"
    assert len(data.warnings) == 2
    assert data.warnings[0].startswith("Văn bản chưa có số (Số: …/KH-UBND)")
    assert data.warnings[1].startswith("Văn bản chưa ghi đủ ngày ban hành")


# --- Other kinds and issuers --------------------------------------------------------------------------


def test_decision():
    data = read_plan_data(
        doc(
            "ỦY BAN NHÂN DÂN",
            "THÀNH PHỐ ĐÀ NẴNG",
            "Số: 1234/QĐ-UBND",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Đà Nẵng, ngày 23 tháng 01 năm 2026",
            "QUYẾT ĐỊNH",
            "Về việc ban hành Kế hoạch chuyển đổi số năm 2026",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG",
            "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;",
            "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ.",
            "QUYẾT ĐỊNH:",
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số năm 2026.",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "(Đã ký)",
            "Nguyễn Thị Thu",
        )
    )

    assert (data.number, data.issued_on, data.place, data.issuer, data.kind) == (
        "1234/QĐ-UBND",
        datetime.date(2026, 1, 23),
        "Đà Nẵng",
        "UBND thành phố Đà Nẵng",
        "Quyết định",
    )
    assert data.title == "Về việc ban hành Kế hoạch chuyển đổi số năm 2026"
    assert data.legal_basis == [
        "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;",
        "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ.",
    ]
    assert (data.signer, data.signer_title) == ("Nguyễn Thị Thu", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")


def test_official_letter_with_its_subject_line():
    data = read_plan_data(
        doc(
            "UBND TỈNH ĐỒNG THÁP",
            "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
            "Số: 321/STTTT-CĐS",
            "V/v triển khai các nhiệm vụ",
            "chuyển đổi số năm 2024",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Đồng Tháp, ngày 5 tháng 3 năm 2024",
            "Kính gửi: Các sở, ban, ngành Tỉnh.",
            "Thực hiện Kế hoạch số 115/KH-UBND ngày 08/4/2024 của UBND Tỉnh, Sở đề nghị như sau:",
            "1. Rà soát nhân lực.",
            "GIÁM ĐỐC",
            "Nguyễn Văn A",
        )
    )

    assert (data.number, data.issued_on, data.issuer, data.kind) == (
        "321/STTTT-CĐS",
        datetime.date(2024, 3, 5),
        "Sở Thông tin và Truyền thông",
        "Công văn",
    )
    assert data.title == "triển khai các nhiệm vụ chuyển đổi số năm 2024"
    assert data.legal_basis == [
        "Thực hiện Kế hoạch số 115/KH-UBND ngày 08/4/2024 của UBND Tỉnh, Sở đề nghị như sau:"
    ]
    assert (data.signer, data.signer_title) == ("Nguyễn Văn A", "GIÁM ĐỐC")


def test_kind_from_the_number_when_no_title_word_is_printed():
    data = read_plan_data(
        doc("BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "Số: 12/CTr-BTTTT", "Hà Nội, ngày 2 tháng 1 năm 2024")
    )

    assert (data.issuer, data.kind, data.number) == (
        "Bộ Thông tin và Truyền thông",
        "Chương trình",
        "12/CTr-BTTTT",
    )


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "UBND tỉnh Đồng Tháp"),
        ("UBND THÀNH PHỐ HỒ CHÍ MINH", "UBND thành phố Hồ Chí Minh"),
        ("ỦY BAN NHÂN DÂN HUYỆN THÁP MƯỜI", "UBND huyện Tháp Mười"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"),
        ("BỘ NỘI VỤ", "Bộ Nội vụ"),
        ("Sở Nội vụ", "Sở Nội vụ"),
    ],
)
def test_issuer_name(printed, expected):
    assert issuer_name(printed) == expected


def test_invalid_date_and_missing_parts_are_warned():
    data = read_plan_data(doc("KẾ HOẠCH", "Chuyển đổi số", "Đồng Tháp, ngày 31 tháng 02 năm 2024"))

    assert data.issued_on is None
    assert any("không hợp lệ" in warning for warning in data.warnings)
    assert any(warning.startswith("Không tìm thấy số văn bản") for warning in data.warnings)
    assert any("người ký" in warning for warning in data.warnings)


def test_empty_document():
    data = read_plan_data(Document())

    assert (data.number, data.issued_on, data.issuer, data.kind, data.title, data.signer) == (
        "",
        None,
        "",
        "",
        "",
        "",
    )
    assert len(data.warnings) == 3


def test_number_and_date_cut_at_their_blanks():
    data = read_plan_data(
        doc(
            "ỦY BAN NHÂN DÂN",
            "TỈNH QUẢNG NAM",
            "Số:",
            "/KH-UBND",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Quảng Nam, ngày",
            "tháng 6 năm 2024",
            "KẾ HOẠCH",
            "Chuyển đổi số",
        )
    )

    assert (data.number, data.issued_on, data.place, data.issuer) == (
        "",
        None,
        "Quảng Nam",
        "UBND tỉnh Quảng Nam",
    )
    assert data.warnings[0].startswith("Văn bản chưa có số (Số: …/KH-UBND)")
    assert data.warnings[1].startswith("Văn bản chưa ghi đủ ngày ban hành")
