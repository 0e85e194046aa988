"""The HTML of where a task stands and who answers for it (``tasks.badges``), as every page shows it."""

import datetime
from types import SimpleNamespace

from django.utils import translation

from tasks.answering import AnswerLine
from tasks.badges import agency_links, state_badge


def _record(**fields):
    values = {"state": "overdue", "state_label": "Quá hạn", "awaiting": False, "status": "in_progress",
              "judged_period_label": "", "overdue_periods": 0, "overdue_band": None}
    return SimpleNamespace(**{**values, **fields})


def _agency(pk, name, province_id=1):
    return SimpleNamespace(pk=pk, name=name, province_id=province_id,
                           get_absolute_url=lambda: f"/agencies/{pk}/",
                           province=SimpleNamespace(label="Quảng Nam (cũ)"))


def test_an_overdue_task_says_how_long_and_how_many_periods():
    with translation.override("vi"):
        record = _record(overdue_band="over_120", overdue_periods=2, judged_period_label="Quý IV/2026")
        html = state_badge(record)

    assert html.startswith('<span class="badge text-bg-danger">Quá hạn</span>')
    assert '<span class="small text-body-secondary period-label">Quý IV/2026</span>' in html
    assert "2 kỳ quá hạn" in html
    assert "trên 120 ngày" in html


def test_work_awaiting_acceptance_says_so_and_not_returned():
    with translation.override("vi"):
        html = state_badge(_record(state="in_progress", state_label="Đang thực hiện", awaiting=True,
                                   status="returned"))

    assert 'text-bg-primary">Đang thực hiện' in html
    assert "Chờ" in html and html.count("rounded-pill") == 1


def test_the_band_is_only_shown_on_overdue_work():
    html = state_badge(_record(state="done_late", state_label="Late", overdue_band="over_30"))

    assert html == '<span class="badge text-bg-warning">Late</span>'


def test_a_label_is_escaped():
    html = state_badge(_record(state="unscheduled", state_label="<b>x</b>"))

    assert "&lt;b&gt;x&lt;/b&gt;" in html and "text-bg-light border" in html


def test_agencies_link_the_catalogue_and_say_who_answers_today():
    ttt = _agency(12, "Sở Thông tin và Truyền thông", province_id=2)
    khcn = _agency(15, "Sở Khoa học và Công nghệ")
    lines = [
        AnswerLine("Sở TT&TT", printed_agency=ttt, answering=khcn, since=datetime.date(2025, 3, 1),
                   decision="QĐ 1/QĐ-UBND"),
        AnswerLine("Hội Nông dân"),
    ]
    with translation.override("vi"):
        html = agency_links(lines)

    assert html.startswith('<a href="/agencies/12/" title="Sở Thông tin và Truyền thông">Sở TT&amp;TT</a>')
    assert "(Quảng Nam (cũ))" in html
    assert '→ <a href="/agencies/15/">Sở Khoa học và Công nghệ</a>' in html
    assert "từ 01/03/2025 · QĐ 1/QĐ-UBND</small>; " in html
    outside = '<span class="text-body-secondary" title="Ngoài danh mục đơn vị">Hội Nông dân</span>'
    assert html.endswith(outside)
