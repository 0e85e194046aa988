"""Deadline phrases of 2024-2026 plans (issue 13, point 7), read as a careful clerk reads them.

Each row is one behaviour: (phrase as printed, plan's reference date, kind, due, every). The
preview's warnings about a reading (a due date before the plan's date, a printed year left unused)
are tested through ``build_preview`` at the end.
"""

import datetime
from datetime import date
from types import SimpleNamespace

import pytest

from plans.appendix.preview import _deadline
from tasks.deadlines import next_due, occurrences, parse_deadline

D = date.fromisoformat
REF = date(2026, 1, 15)  # a Thursday: the issue date of a 2026 plan
REF_2024 = date(2024, 4, 8)


def _rows(*rows):
    """One param per row; an optional sixth item names the behaviour (the id is the phrase)."""
    return [pytest.param(*row[:5], id=row[0] if len(row) == 5 else f"{row[0]} ({row[5]})") for row in rows]


def _check(text, reference, kind, due, every):
    deadline = parse_deadline(text, reference)
    assert (deadline.kind, deadline.due, deadline.every) == (kind, due, every)


# A count of days (weeks, months) from the plan's date.
RELATIVE = _rows(
    ("100 ngày kể từ ngày ban hành Kế hoạch", REF, "date", D("2026-04-25"), None),
    ("hoàn thành trong 15 ngày kể từ ngày Kế hoạch được ban hành", REF, "date", D("2026-01-30"), None),
    ("Hết thời hạn 100 ngày", REF, "date", D("2026-04-25"), None),
    ("100 ngày", REF, "date", D("2026-04-25"), None),
    ("100 NGAY KE TU NGAY BAN HANH KE HOACH", REF, "date", D("2026-04-25"), None, "no accents, upper case"),
    ("Trong vòng 30 ngày kể từ ngày ký", REF, "date", D("2026-02-14"), None),
    ("Trong thời hạn 45 ngày", REF_2024, "date", D("2024-05-23"), None),
    ("10 ngày làm việc kể từ ngày ban hành Kế hoạch", REF, "date", D("2026-01-29"), None),
    ("03 ngày làm việc", REF, "date", D("2026-01-20"), None, "working days skip the weekend"),
    ("05 ngày làm việc", D("2026-01-17"), "date", D("2026-01-23"), None, "working days from a Saturday"),
    ("Trong 03 tháng kể từ ngày ban hành Kế hoạch", REF, "date", D("2026-04-15"), None),
    ("Trong vòng 02 tháng", REF, "date", D("2026-03-15"), None),
    ("02 tuần kể từ ngày ban hành", REF, "date", D("2026-01-29"), None),
    ("30 ngày kể từ ngày 01/3/2026", REF, "date", D("2026-03-31"), None, "counted from a printed day"),
    ("30 ngày kể từ ngày nhận được hồ sơ", REF, "unscheduled", None, None, "counted from another event"),
    ("6 tháng", REF, "unknown", None, None, "a bare length of months is no deadline"),
    ("Trong 6 tháng đầu năm 2026", REF, "period", D("2026-06-30"), None, "a half is no count"),
    ("Từ ngày ban hành Kế hoạch trở đi", REF, "ongoing", None, None),
    ("kể từ ngày 01/11/2023 trở đi", REF, "ongoing", None, None),
    ("Từ năm 2026 trở đi", REF, "ongoing", None, None),
)


@pytest.mark.parametrize(("text", "reference", "kind", "due", "every"), RELATIVE)
def test_relative_to_the_plan(text, reference, kind, due, every):
    _check(text, reference, kind, due, every)


# Lists of quarters, months and years.
LISTS = _rows(
    ("Quý III, IV/2026", REF, "period", D("2026-12-31"), None),
    ("Quý III, IV/2026, 2027", REF, "period", D("2027-12-31"), None),
    ("Quý IV/2026, 2027", REF, "period", D("2027-12-31"), None),
    ("Quý I, II năm 2025", REF, "period", D("2025-06-30"), None),
    ("Tháng 01 và tháng 12/2026", REF, "period", D("2026-12-31"), None),
    ("Quý I, II/2026", D("2027-02-01"), "period", D("2026-06-30"), None,
     "a list item takes its list's year, not the plan's"),
    ("quy iii, iv/2026", REF, "period", D("2026-12-31"), None, "list without accents"),
    ("Quý I-II/2026", REF, "period", D("2026-06-30"), None),
    ("Quý I đến Quý III/2026", REF, "period", D("2026-09-30"), None),
    ("Quý III và Quý IV năm 2026", REF, "period", D("2026-12-31"), None),
    ("Quý III/2026, IV/2027", REF, "period", D("2027-12-31"), None),
    ("Quý II/2026 - Quý I/2027", REF, "period", D("2027-03-31"), None),
    ("Tháng 3, 4/2026", REF, "period", D("2026-04-30"), None),
    ("Tháng 6 và tháng 7 năm 2026", REF, "period", D("2026-07-31"), None),
    ("Từ tháng 3 đến tháng 6/2026", REF, "period", D("2026-06-30"), None),
    ("Quý I, II", REF, "period", D("2026-06-30"), None, "a list without a year: the plan's"),
    ("Năm 2025, 2026", REF, "period", D("2026-12-31"), None),
    ("Năm 2026 và năm 2027", REF, "period", D("2027-12-31"), None),
)


@pytest.mark.parametrize(("text", "reference", "kind", "due", "every"), LISTS)
def test_lists(text, reference, kind, due, every):
    _check(text, reference, kind, due, every)


# A year printed apart from its period; halves, quarters and months counted in words.
YEAR_APART = _rows(
    ("Năm 2025 (Quý IV)", REF_2024, "period", D("2025-12-31"), None),
    ("Năm 2026 (Quý II)", REF_2024, "period", D("2026-06-30"), None),
    ("Năm 2026: Quý I", REF_2024, "period", D("2026-03-31"), None),
    ("Quý IV và năm 2026", REF_2024, "period", D("2026-12-31"), None),
    ("06 tháng đầu năm 2025", REF_2024, "period", D("2025-06-30"), None),
    ("Sáu tháng đầu năm 2025", REF_2024, "period", D("2025-06-30"), None),
    ("sau thang dau nam 2025", REF_2024, "period", D("2025-06-30"), None, "Sáu without accents"),
    ("6 tháng cuối năm 2025", REF_2024, "period", D("2025-12-31"), None),
    ("Sáu tháng cuối năm 2025", REF_2024, "period", D("2025-12-31"), None),
    ("Nửa đầu năm 2026", REF, "period", D("2026-06-30"), None),
    ("H2/2026", REF, "period", D("2026-12-31"), None),
    ("3 tháng đầu năm 2026", REF, "period", D("2026-03-31"), None),
    ("9 tháng đầu năm 2026", REF, "period", D("2026-09-30"), None),
    ("Chín tháng đầu năm 2026", REF, "period", D("2026-09-30"), None),
    ("3 tháng cuối năm 2026", REF, "period", D("2026-12-31"), None),
    ("Năm 2026, trước ngày 30/6", D("2025-03-01"), "date", D("2026-06-30"), None,
     "a day takes the year printed before it"),
    ("Trước ngày 30/6 năm 2026", D("2025-03-01"), "date", D("2026-06-30"), None),
    ("Trước ngày 15 tháng cuối Quý IV/2026", REF, "date", D("2026-12-15"), None),
    ("Ngày 15 tháng đầu quý I/2027", REF, "date", D("2027-01-15"), None),
)


@pytest.mark.parametrize(("text", "reference", "kind", "due", "every"), YEAR_APART)
def test_year_printed_apart(text, reference, kind, due, every):
    _check(text, reference, kind, due, every)


# Recurring deadlines, with a day or several anchors inside the recurrence.
RECURRING = _rows(
    ("Định kỳ 06 tháng", REF, "recurring", D("2026-06-30"), "half"),
    ("Định kỳ sáu tháng", REF, "recurring", D("2026-06-30"), "half"),
    ("06 tháng/lần", REF, "recurring", D("2026-06-30"), "half"),
    ("Định kỳ 03 tháng", REF, "recurring", D("2026-03-31"), "quarter"),
    ("Ba tháng một lần", REF, "recurring", D("2026-03-31"), "quarter"),
    ("trước ngày 15 tháng cuối quý", REF, "recurring", D("2026-03-15"), "quarter"),
    ("Hằng quý, trước ngày 15 tháng cuối quý", REF, "recurring", D("2026-03-15"), "quarter"),
    ("trước ngày 15 tháng cuối quý", D("2026-03-20"), "recurring", D("2026-06-15"), "quarter",
     "past this quarter's day: the next quarter's"),
    ("Định kỳ hằng quý, trước ngày 20 của tháng cuối quý", REF, "recurring", D("2026-03-20"), "quarter"),
    ("Trước ngày 10 tháng đầu quý", REF, "recurring", D("2026-04-10"), "quarter"),
    ("Tháng 6 và tháng 12 hằng năm", REF, "recurring", D("2026-06-30"), "half"),
    ("Trước ngày 15/6 và 15/12 hằng năm", REF, "recurring", D("2026-06-15"), "half"),
    ("Trước ngày 30/6 và 31/12 hằng năm", REF, "recurring", D("2026-06-30"), "half"),
    ("Tháng 3, 6, 9 và 12 hằng năm", REF, "recurring", D("2026-03-31"), "quarter"),
    ("Quý II và Quý IV hằng năm", REF, "recurring", D("2026-06-30"), "half"),
    ("Tháng 6 và tháng 11 hằng năm", REF, "recurring", D("2026-06-30"), "year",
     "uneven anchors stay yearly"),
    ("Định kỳ 6 tháng (trước ngày 15/6 và 15/12)", REF, "recurring", D("2026-06-15"), "half"),
    ("Hằng năm, trước ngày 15 tháng 12", REF, "recurring", D("2026-12-15"), "year"),
    ("Tháng 12 hằng năm, trước ngày 15", REF, "recurring", D("2026-12-15"), "year"),
    ("Hằng tháng, trước ngày 25", REF, "recurring", D("2026-01-25"), "month"),
    ("Hằng tháng", REF, "recurring", D("2026-01-31"), "month"),
    ("Định kỳ hằng quý", REF, "recurring", D("2026-03-31"), "quarter"),
    ("Hàng năm", REF, "recurring", D("2026-12-31"), "year"),
    ("HẰNG NĂM", REF, "recurring", D("2026-12-31"), "year"),
    ("Thường xuyên, hằng năm", REF, "recurring", D("2026-12-31"), "year"),
    ("Năm 2025 và các năm tiếp theo", REF_2024, "recurring", D("2025-12-31"), "year"),
    ("Năm 2026 và những năm tiếp theo", REF, "recurring", D("2026-12-31"), "year"),
    ("Từ năm 2027, hằng năm", REF, "recurring", D("2027-12-31"), "year"),
)


@pytest.mark.parametrize(("text", "reference", "kind", "due", "every"), RECURRING)
def test_recurring(text, reference, kind, due, every):
    _check(text, reference, kind, due, every)


# Prefixes and spellings of one-off deadlines.
ONE_OFF = _rows(
    ("Xong trong Quý II/2026", REF, "period", D("2026-06-30"), None),
    ("Hoàn thành trong Quý III/2026", REF, "period", D("2026-09-30"), None),
    ("Thời gian hoàn thành xong trước ngày 30/6/2026", REF, "date", D("2026-06-30"), None),
    ("thời gian thực hiện xong trong tháng 9/2026", REF, "period", D("2026-09-30"), None),
    ("Trước ngày 30/6/2026", REF, "date", D("2026-06-30"), None),
    ("Trong tháng 9/2026", REF, "period", D("2026-09-30"), None),
    ("Chậm nhất ngày 15/10/2026", REF, "date", D("2026-10-15"), None),
    ("Chậm nhất ngày 15 tháng 10 năm 2026", REF, "date", D("2026-10-15"), None),
    ("Tháng 10/2026", REF, "period", D("2026-10-31"), None),
    ("Năm 2026-2027", REF, "period", D("2027-12-31"), None),
    ("2026 - 2027", REF, "period", D("2027-12-31"), None),
    ("Giai đoạn 2026-2030", REF, "period", D("2030-12-31"), None),
    ("Giai đoạn 2026 – 2030", REF, "period", D("2030-12-31"), None, "en dash"),
    ("Đến hết năm 2026", REF, "period", D("2026-12-31"), None),
    ("quý 3/2025", REF_2024, "period", D("2025-09-30"), None),
    ("Q3/2025", REF_2024, "period", D("2025-09-30"), None),
    ("Q.3/2025", REF_2024, "period", D("2025-09-30"), None),
    ("quý III năm 2025", REF_2024, "period", D("2025-09-30"), None),
    ("QUÝ III NĂM 2025", REF_2024, "period", D("2025-09-30"), None),
    ("quy iii nam 2025", REF_2024, "period", D("2025-09-30"), None),
    ("Quý III-2025", REF_2024, "period", D("2025-09-30"), None),
    ("tháng 12 năm 2025", REF_2024, "period", D("2025-12-31"), None),
    ("T12/2025", REF_2024, "period", D("2025-12-31"), None),
    ("31/12/2025", REF_2024, "date", D("2025-12-31"), None),
    ("31-12-2025", REF_2024, "date", D("2025-12-31"), None),
    ("31.12.2025", REF_2024, "date", D("2025-12-31"), None),
    ("Ngày 31 tháng 12 năm 2025", REF_2024, "date", D("2025-12-31"), None),
    ("Trước 15/3", REF, "date", D("2026-03-15"), None, "a day without a year: the plan's"),
    ("Cả năm 2026", REF, "period", D("2026-12-31"), None),
    ("Tháng 13/2026", REF, "unknown", None, None),
    ("Quý V/2026", REF, "unknown", None, None),
)


@pytest.mark.parametrize(("text", "reference", "kind", "due", "every"), ONE_OFF)
def test_one_off(text, reference, kind, due, every):
    _check(text, reference, kind, due, every)


# Series with two anchors a year or a day inside the quarter keep them.


def test_two_anchors_a_year_give_june_and_december():
    deadline = parse_deadline("Tháng 6 và tháng 12 hằng năm", REF)
    assert occurrences(deadline, D("2027-06-30")) == [D("2026-06-30"), D("2026-12-31"), D("2027-06-30")]


def test_30_june_and_31_december_stay_month_ends():
    deadline = parse_deadline("Trước ngày 30/6 và 31/12 hằng năm", REF)
    assert occurrences(deadline, D("2027-06-30")) == [D("2026-06-30"), D("2026-12-31"), D("2027-06-30")]


def test_the_15th_of_each_quarters_last_month():
    deadline = parse_deadline("trước ngày 15 tháng cuối quý", REF)
    assert occurrences(deadline, D("2026-12-31")) == [
        D("2026-03-15"), D("2026-06-15"), D("2026-09-15"), D("2026-12-15"),
    ]
    assert next_due(deadline, D("2026-03-16")) == D("2026-06-15")


# Preview warnings.


def _task(text, value=None, row=7):
    return SimpleNamespace(row=row, deadline_text=text, deadline_value=value)


def _warnings(text, reference=REF, value=None):
    issues = []
    shown = _deadline(_task(text, value), reference, parse_deadline, issues)
    return shown, [(issue.row, issue.level, issue.message) for issue in issues]


def test_no_warning_for_a_deadline_after_the_plan():
    assert _warnings("Quý III, IV/2026, 2027")[1] == []


def test_warns_when_the_due_date_is_before_the_plan():
    shown, warnings = _warnings("Quý I, II năm 2025")
    assert shown["due"] == "2025-06-30"
    assert warnings == [(
        7, "warning",
        "Thời hạn «Quý I, II năm 2025» được đọc là ngày 30/06/2025, trước ngày của kế hoạch "
        "(15/01/2026); kiểm tra lại thời hạn hoặc ngày kế hoạch.",
    )]


def test_warns_for_a_date_cell_before_the_plan():
    _shown, warnings = _warnings("31/12/2025", value=D("2025-12-31"))
    assert [message for _row, _level, message in warnings] == [
        "Thời hạn «31/12/2025» được đọc là ngày 31/12/2025, trước ngày của kế hoạch (15/01/2026); "
        "kiểm tra lại thời hạn hoặc ngày kế hoạch."
    ]


def test_a_datetime_reference_is_compared_as_its_date():
    assert _warnings("Quý I/2026", reference=datetime.datetime(2026, 1, 15, 9, 30))[1] == []


def test_warns_when_a_printed_year_is_not_used():
    def reads_the_first_year(text, reference):  # a parser that would misread the list
        return SimpleNamespace(text=text, kind="period", due=D("2026-12-31"), every=None)

    issues = []
    _deadline(_task("Quý IV/2026, 2027"), REF, reads_the_first_year, issues)
    assert [(issue.row, issue.level, issue.message) for issue in issues] == [(
        7, "warning",
        "Thời hạn «Quý IV/2026, 2027» có ghi năm 2027 nhưng được đọc là ngày 31/12/2026; "
        "kiểm tra lại thời hạn.",
    )]


@pytest.mark.parametrize("text", [
    "Giai đoạn 2026-2030",  # the range's first year is no unused year
    "Hằng năm (từ năm 2027)",  # a series' start year is later than nothing
    "Năm 2026 và các năm tiếp theo",
    "Theo Kế hoạch số 12/KH-UBND ngày 5/3/2027",  # another document's date
    "Thường xuyên",
    "100 ngày",
])
def test_no_warning_for(text):
    assert _warnings(text)[1] == []


def test_recurring_and_ongoing_deadlines_never_warn_about_the_past():
    assert _warnings("Hằng quý", reference=REF)[1] == []
    assert _warnings("kể từ ngày 01/11/2023 trở đi")[1] == []


def test_build_preview_reports_the_warning_on_the_task_row():
    from tests.plans.test_appendix_golden import _preview  # a one-sheet appendix, plan of 08/04/2024

    preview = _preview([["1", "Rà soát", "Sở Nội vụ", "", "Quý I/2024"]])

    assert preview["tasks"][0]["deadline"]["due"] == "2024-03-31"
    assert preview["issues"] == [{
        "row": 2, "level": "warning",
        "message": "Thời hạn «Quý I/2024» được đọc là ngày 31/03/2024, trước ngày của kế hoạch "
                   "(08/04/2024); kiểm tra lại thời hạn hoặc ngày kế hoạch.",
    }]
