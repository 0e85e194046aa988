"""The next province's file, end to end: a 2026 city plan written as such plans are (national header
and signature as borderless tables, two appendices, a two-level numbering header with a printed
column-number row, deadlines and agency lists of 2026), read as Word and as the PDF LibreOffice
makes of it, through ``import_appendix --dry-run --json``."""

import json
import shutil
import subprocess

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK

from plans.demo import _load_province
from tests.plans.import_helpers import run_command
from tests.plans.word_builders import borderless

pytestmark = pytest.mark.django_db

HEADER = ["STT", "", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm", "Thời gian hoàn thành"]
SUBHEADER = ["TT", "Chi tiết", "", "", "", "", ""]
NUMBERS = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"]
APPENDIX_I = [
    ["I", "", "HẠ TẦNG SỐ", "", "", "", ""],
    ["1", "1", "Nâng cấp trung tâm dữ liệu thành phố", "Sở Khoa học và Công nghệ",
     "Sở Tài chính, Công an thành phố", "Trung tâm dữ liệu đạt cấp độ 3", "Quý III, IV/2026"],
    ["2", "2", "Phủ sóng 5G các khu công nghiệp", "Sở Khoa học và Công nghệ",
     "Các doanh nghiệp viễn thông và UBND các xã, phường", "100% khu công nghiệp có 5G", "Năm 2026"],
    ["II", "", "CHÍNH QUYỀN SỐ", "", "", "", ""],
    ["3", "1", "Số hóa hồ sơ thủ tục hành chính", "Văn phòng UBND thành phố",
     "Các sở, ban, ngành và UBND các xã, phường", "Tối thiểu 80% hồ sơ được số hóa",
     "Tháng 6 và tháng 12 hằng năm"],
    ["4", "2", "Báo cáo tình hình chuyển đổi số", "Sở Khoa học và Công nghệ", "",
     "Báo cáo định kỳ", "trước ngày 15 tháng cuối quý"],
]
APPENDIX_II = [
    ["1", "", "Tập huấn kỹ năng số cho cán bộ cấp xã", "UBND các xã, phường", "Sở Nội vụ",
     "Các lớp tập huấn", "Sáu tháng đầu năm 2026"],
    ["2", "", "Rà soát thủ tục trực tuyến toàn trình", "UBND các xã, phường", "",
     "Danh mục thủ tục", "100 ngày kể từ ngày ban hành Kế hoạch"],
]


def _layout_table(document, rows):
    table = document.add_table(rows=len(rows), cols=2)
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    borderless(table)


def _appendix_table(document, rows, two_level):
    header = [HEADER, SUBHEADER, NUMBERS] if two_level else [
        [HEADER[0], *HEADER[2:]], [f"({n})" for n in range(1, 7)]
    ]
    body = rows if two_level else [[row[0], *row[2:]] for row in rows]
    table = document.add_table(rows=len(header) + len(body), cols=len(header[0]))
    table.style = "Table Grid"
    for row, values in zip(table.rows, header + body, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    if two_level:
        table.cell(0, 0).merge(table.cell(0, 1)).text = "STT"
        for col in range(2, 7):
            table.cell(0, col).merge(table.cell(1, col)).text = HEADER[col]
    for index, values in enumerate(body, start=len(header)):
        if values[0] in ("I", "II"):
            table.cell(index, 2).merge(table.cell(index, len(header[0]) - 1)).text = values[2]
    return table


def city_plan():
    document = docx.Document()
    _layout_table(document, [
        ["ỦY BAN NHÂN DÂN\nTHÀNH PHỐ ĐÀ NẴNG",
         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
        ["Số: 45/KH-UBND", "Đà Nẵng, ngày 20 tháng 01 năm 2026"],
    ])
    document.add_paragraph("KẾ HOẠCH").runs[0].bold = True
    document.add_paragraph("Chuyển đổi số thành phố Đà Nẵng năm 2026").runs[0].bold = True
    document.add_paragraph(
        "Căn cứ Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát triển "
        "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;"
    )
    document.add_paragraph("UBND thành phố ban hành Kế hoạch chuyển đổi số năm 2026 như sau:")
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    document.add_paragraph("Triển khai đồng bộ các nhiệm vụ chuyển đổi số trên địa bàn thành phố.")
    document.add_paragraph("II. NHIỆM VỤ")
    document.add_paragraph("Chi tiết tại Phụ lục I và Phụ lục II kèm theo Kế hoạch này.")
    document.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    document.add_paragraph("Sở Khoa học và Công nghệ theo dõi, tổng hợp, báo cáo UBND thành phố.")
    _layout_table(document, [
        ["Nơi nhận:\n- Bộ Khoa học và Công nghệ;\n- Lưu: VT, KGVX.",
         "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nTrần Chí Cường"],
    ])
    section = document.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_paragraph("PHỤ LỤC I")
    document.add_paragraph("DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026")
    document.add_paragraph("(Kèm theo Kế hoạch số 45/KH-UBND ngày 20/01/2026 của UBND thành phố)")
    _appendix_table(document, APPENDIX_I, two_level=True)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("PHỤ LỤC II")
    document.add_paragraph("NHIỆM VỤ CỦA UBND CÁC XÃ, PHƯỜNG")
    _appendix_table(document, APPENDIX_II, two_level=False)
    return document


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city-plan")
    path = folder / "ke-hoach-45-2026.docx"
    city_plan().save(path)
    files = {"docx": path}
    if shutil.which("soffice"):
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{folder}/lo",
             "--convert-to", "pdf", "--outdir", str(folder), str(path)],
            check=True, capture_output=True, timeout=180,
        )
        files["pdf"] = path.with_suffix(".pdf")
    return files


def dry_run(path, *args):
    province = _load_province("da-nang", "Đà Nẵng")
    return json.loads(run_command(path, "--province", province.slug, "--dry-run", "--json", *args))


@pytest.fixture(params=["docx", "pdf"])
def plan_file(request, documents):
    if request.param not in documents:
        pytest.skip("LibreOffice (soffice) is not installed: no PDF to read")
    return documents[request.param]


def test_the_plan_is_known_by_what_it_prints(plan_file):
    plan = dry_run(plan_file)["plan"]

    assert {key: plan[key] for key in ("number", "issued_on", "kind", "issuer", "signer")} == {
        "number": "45/KH-UBND", "issued_on": "2026-01-20", "kind": "Kế hoạch",
        "issuer": "UBND thành phố Đà Nẵng", "signer": "Trần Chí Cường",
    }
    assert plan["title"] == "Chuyển đổi số thành phố Đà Nẵng năm 2026"


def test_both_appendices_are_offered_the_first_read(plan_file):
    output = dry_run(plan_file)

    assert [(source["key"], source["tasks"]) for source in output["sources"]][:2] == [
        ("appendix-1", 4), ("appendix-2", 2),
    ]
    assert output["sources"][0]["label"].startswith("PHỤ LỤC I DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026")


def test_the_two_level_appendix_gives_codes_titles_and_agencies(plan_file):
    tasks = dry_run(plan_file)["tasks"]

    assert [(task["code"], task["title"]) for task in tasks] == [
        ("I.1", "Nâng cấp trung tâm dữ liệu thành phố"),
        ("I.2", "Phủ sóng 5G các khu công nghiệp"),
        ("II.1", "Số hóa hồ sơ thủ tục hành chính"),
        ("II.2", "Báo cáo tình hình chuyển đổi số"),
    ]
    coordinators = [item["mention"] for item in tasks[2]["coordinators"]]
    assert coordinators == ["Các sở, ban, ngành", "UBND các xã, phường"]
    assert tasks[0]["deliverable"] == "Trung tâm dữ liệu đạt cấp độ 3"


def test_2026_deadline_words_are_read_as_a_clerk_reads_them(plan_file):
    deadlines = [task["deadline"] for task in dry_run(plan_file)["tasks"]]

    assert [(d["kind"], d["due"]) for d in deadlines[:2]] == [("period", "2026-12-31")] * 2
    assert (deadlines[2]["kind"], deadlines[2]["every"]) == ("recurring", "half")
    assert (deadlines[3]["kind"], deadlines[3]["every"]) == ("recurring", "quarter")


def test_the_second_appendix_reads_deadlines_from_the_printed_date(plan_file):
    tasks = dry_run(plan_file, "--appendix", "2")["tasks"]

    assert [task["deadline"]["due"] for task in tasks] == ["2026-06-30", "2026-04-30"]
    assert [task["lead"][0]["agency"] for task in tasks] == ["UBND các xã, phường"] * 2
