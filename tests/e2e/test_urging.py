"""The admin of Đồng Tháp urges Sở Nội vụ about its overdue work, opens the notice and the letter
(Công văn đôn đốc) it generated."""

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from agencies.models import Agency
from tasks.models import Task
from tasks.urging import UrgeState, candidates, urgeable

pytestmark = pytest.mark.usefixtures("demo")


def test_the_admin_urges_an_agencys_overdue_work_and_opens_the_letter(sign_in, tmp_path):
    today = timezone.localdate()
    agency = Agency.objects.get(province__slug="dong-thap", name="Sở Nội vụ")
    overdue = urgeable(Task.objects.filter(plan__province__slug="dong-thap"), today, UrgeState.OVERDUE)
    codes = [line.task.code for line in candidates(overdue, today, agency).lines]
    assert codes  # the demo's Sở Nội vụ has overdue work to urge

    page = sign_in("dongthap.admin")
    page.get_by_role("link", name="Đôn đốc", exact=True).click()
    page.get_by_label("Đơn vị chủ trì").select_option(label="Sở Nội vụ")
    page.get_by_label("Tình trạng").select_option(label="Quá hạn")
    page.get_by_role("button", name="Xem danh sách").click()

    expect(page.locator(".urge-group h2")).to_have_text(["Sở Nội vụ"])
    expect(page.locator(".urge-group input[name=item]:checked")).to_have_count(len(codes))
    page.get_by_role("button", name="Gửi thông báo đôn đốc").click()

    expect(page.locator(".alert-success")).to_contain_text("Đã gửi thông báo đôn đốc")
    expect(page.locator(f"#agency-{agency.pk}")).to_contain_text("Trần Thị Bình")  # its focal point
    with page.expect_download() as download:
        page.locator("#letter-link").click()
    assert download.value.suggested_filename == f"cong-van-don-doc-{today.isoformat()}.docx"
    path = tmp_path / "letter.docx"
    download.value.save_as(path)

    word = Document(path)
    assert "Kính gửi: Sở Nội vụ." in [paragraph.text for paragraph in word.paragraphs]
    rows = word.tables[1].rows[1:]
    assert [row.cells[1].text.split(". ")[0] for row in rows] == codes
    assert all(row.cells[4].text.isdigit() for row in rows)  # days overdue
