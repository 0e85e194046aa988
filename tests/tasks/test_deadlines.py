"""Tests for tasks.deadlines: golden fixtures, real-plan phrases, properties and recurrence helpers."""

import csv
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.deadlines import (
    Deadline,
    DeadlineKind,
    Recurrence,
    next_due,
    occurrences,
    parse_deadline,
    period_end,
    period_of,
    printed_horizon,
)

REF = date(2024, 4, 8)  # issue date of most sample plans


def _golden_rows():
    with Path(__file__).with_name("deadlines.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield pytest.param(
                row["text"],
                date.fromisoformat(row["reference_date"]),
                row["kind"],
                date.fromisoformat(row["due"]) if row["due"] else None,
                row["every"] or None,
                id=row["text"],
            )


@pytest.mark.parametrize(("text", "reference", "kind", "due", "every"), list(_golden_rows()))
def test_golden_fixture(text, reference, kind, due, every):
    deadline = parse_deadline(text, reference)
    assert (deadline.kind, deadline.due, deadline.every) == (kind, due, every)


D = date.fromisoformat
NFD = "NFD"
# (phrase as printed, reference date, kind, due, every) as a Vietnamese official reads them.
REAL_PHRASES = [
    # Years, ranges and horizons.
    ("Năm 2024", REF, "period", D("2024-12-31"), None),
    ("2026", REF, "period", D("2026-12-31"), None),
    ("Trong năm 2025", REF, "period", D("2025-12-31"), None),
    ("Năm 2024-2025", REF, "period", D("2025-12-31"), None),
    ("Năm 2025 - 2026", REF, "period", D("2026-12-31"), None),
    ("2024 - 2025", REF, "period", D("2025-12-31"), None),
    ("Năm 2024 – 2025", REF, "period", D("2025-12-31"), None),
    ("Giai đoạn 2023-2025", REF, "period", D("2025-12-31"), None),
    ("Giai đoạn 2024-2026", REF, "period", D("2026-12-31"), None),
    ("Đến năm 2030", REF, "period", D("2030-12-31"), None),
    ("Đến năm 2025", REF, "period", D("2025-12-31"), None),
    ("Hoàn thành 2025", REF, "period", D("2025-12-31"), None),
    # Quarters.
    ("Quý IV năm 2024", REF, "period", D("2024-12-31"), None),
    ("Q3/2024", REF, "period", D("2024-09-30"), None),
    ("Q1/2026", REF, "period", D("2026-03-31"), None),
    ("quý 3/2026", REF, "period", D("2026-09-30"), None),
    ("quý 2/2025", REF, "period", D("2025-06-30"), None),
    ("Quý I, năm 2025", REF, "period", D("2025-03-31"), None),
    ("Hoàn thành trong Quý II/2025", REF, "period", D("2025-06-30"), None),
    ("Tháng Quý IV/2024", REF, "period", D("2024-12-31"), None),
    ("Quý II", D("2025-01-01"), "period", D("2025-06-30"), None),
    ("Quí III/2024", REF, "period", D("2024-09-30"), None),
    # Months and halves.
    ("Tháng 9/2024", REF, "period", D("2024-09-30"), None),
    ("Tháng 6 năm 2024", REF, "period", D("2024-06-30"), None),
    ("Tháng 6, năm 2024", REF, "period", D("2024-06-30"), None),
    ("Tháng 02/2024", REF, "period", D("2024-02-29"), None),
    ("Tháng 2/2025", REF, "period", D("2025-02-28"), None),
    ("Tháng 10 - 12/2024", D("2023-06-01"), "period", D("2024-12-31"), None),
    ("6 tháng đầu năm 2026", REF, "period", D("2026-06-30"), None),
    ("6 tháng cuối năm 2026", REF, "period", D("2026-12-31"), None),
    ("6 tháng cuối năm", REF, "period", D("2024-12-31"), None),
    ("6 tháng đầu năm", D("2025-02-01"), "period", D("2025-06-30"), None),
    # Days.
    ("trước ngày 15 tháng 5 năm 2024", REF, "date", D("2024-05-15"), None),
    ("Ngày 15 tháng 5 năm 2024", REF, "date", D("2024-05-15"), None),
    ("Trước ngày 20/10/2026", REF, "date", D("2026-10-20"), None),
    ("Trước 30/6/2025", REF, "date", D("2025-06-30"), None),
    ("15/7/2026", REF, "date", D("2026-07-15"), None),
    ("15/5/2024", REF, "date", D("2024-05-15"), None),
    ("Ngày 15-5-2024", REF, "date", D("2024-05-15"), None),
    ("15.5.2024", REF, "date", D("2024-05-15"), None),
    ("trước ngày 15/5", D("2025-01-10"), "date", D("2025-05-15"), None),
    ("29/2/2024", REF, "date", D("2024-02-29"), None),
    # Ongoing.
    ("Thường xuyên", REF, "ongoing", None, None),
    ("Liên tục", REF, "ongoing", None, None),
    ("Thường xuyên, liên tục", REF, "ongoing", None, None),
    ("Hằng ngày", REF, "ongoing", None, None),
    ("Hàng ngày", REF, "ongoing", None, None),
    ("Hằng tuần", REF, "ongoing", None, None),
    ("Trực 24/7", REF, "ongoing", None, None),
    ("Năm 2024 và thường xuyên", REF, "ongoing", None, None),
    # Recurring.
    ("Hàng năm", REF, "recurring", D("2024-12-31"), "year"),
    ("Thường niên", REF, "recurring", D("2024-12-31"), "year"),
    ("Mỗi năm 1 lần", REF, "recurring", D("2024-12-31"), "year"),
    ("Thường xuyên, hằng năm", REF, "recurring", D("2024-12-31"), "year"),
    ("Năm 2024 và các năm tiếp theo", REF, "recurring", D("2024-12-31"), "year"),
    ("2024 và hằng năm", REF, "recurring", D("2024-12-31"), "year"),
    ("Hằng năm (từ năm 2026)", REF, "recurring", D("2026-12-31"), "year"),
    ("Hàng quý", REF, "recurring", D("2024-06-30"), "quarter"),
    ("Định kỳ hằng quý", D("2024-10-01"), "recurring", D("2024-12-31"), "quarter"),
    ("Hằng tháng", REF, "recurring", D("2024-04-30"), "month"),
    ("Hàng tháng", D("2024-02-10"), "recurring", D("2024-02-29"), "month"),
    ("Định kỳ 6 tháng", REF, "recurring", D("2024-06-30"), "half"),
    ("6 tháng một lần", D("2024-08-01"), "recurring", D("2024-12-31"), "half"),
    ("Hằng 6 tháng", REF, "recurring", D("2024-06-30"), "half"),
    ("Quý II hằng năm", REF, "recurring", D("2024-06-30"), "year"),
    ("Tháng 6 hằng năm", REF, "recurring", D("2024-06-30"), "year"),
    ("Tháng 6 hằng năm", D("2024-07-01"), "recurring", D("2025-06-30"), "year"),
    ("6 tháng đầu năm, hằng năm", D("2024-07-01"), "recurring", D("2025-06-30"), "year"),
    ("trước ngày 15/12 hằng năm", REF, "recurring", D("2024-12-15"), "year"),
    ("Trước ngày 15/3 hằng năm", REF, "recurring", D("2025-03-15"), "year"),
    ("trước ngày 20 hằng tháng", REF, "recurring", D("2024-04-20"), "month"),
    ("trước ngày 20 hằng tháng", D("2024-04-25"), "recurring", D("2024-05-20"), "month"),
    ("Trước ngày 31 hằng tháng", REF, "recurring", D("2024-04-30"), "month"),
    # Unscheduled.
    ("Theo lộ trình của Bộ Tài chính", REF, "unscheduled", None, None),
    ("Theo kế hoạch của UBND tỉnh", REF, "unscheduled", None, None),
    ("Theo hướng dẫn của Bộ Nội vụ", REF, "unscheduled", None, None),
    ("Theo chỉ đạo của UBND tỉnh", REF, "unscheduled", None, None),
    ("Theo chỉ đạo của Uỷ ban nhân dân tỉnh", REF, "unscheduled", None, None),
    ("Theo yêu cầu của Thủ tướng Chính phủ", REF, "unscheduled", None, None),
    ("Theo tiến độ dự án", REF, "unscheduled", None, None),
    ("Theo Kế hoạch số 12/KH-UBND ngày 5/3/2024", REF, "unscheduled", None, None),
    ("Sau khi được phê duyệt", REF, "unscheduled", None, None),
    # Unknown: nothing clear, or an impossible date.
    ("", REF, "unknown", None, None),
    ("   ", REF, "unknown", None, None),
    ("Tổ chức thực hiện", REF, "unknown", None, None),
    ("31/2/2025", REF, "unknown", None, None),
    ("29/2/2025", REF, "unknown", None, None),
    ("32/1/2024", REF, "unknown", None, None),
    ("Quý V/2024", REF, "unknown", None, None),
    ("Tháng 13/2024", REF, "unknown", None, None),
    ("Năm 1800", REF, "unknown", None, None),
    ("Năm 2101", REF, "unknown", None, None),
    ("Hằng năm, trước ngày 31/4", REF, "unknown", None, None),
    # Spelling and layout variants.
    (unicodedata.normalize(NFD, "Quý III/2024"), REF, "period", D("2024-09-30"), None),
    (unicodedata.normalize(NFD, "Hằng năm, trước ngày 30/11"), REF, "recurring", D("2024-11-30"), "year"),
    ("NĂM 2024", REF, "period", D("2024-12-31"), None),
    ("QUÝ III/2024.", REF, "period", D("2024-09-30"), None),
    ("  Quý   II  /  2025  ", REF, "period", D("2025-06-30"), None),
    ("Quý  IV năm 2024.", REF, "period", D("2024-12-31"), None),
    ("Qúy IV/2024", REF, "period", D("2024-12-31"), None),
    ("Ðịnh kỳ 6 tháng", REF, "recurring", D("2024-06-30"), "half"),
]


@pytest.mark.parametrize(
    ("text", "reference", "kind", "due", "every"),
    [pytest.param(*row, id=f"{row[0]!r}@{row[1]}") for row in REAL_PHRASES],
)
def test_real_plan_phrase(text, reference, kind, due, every):
    deadline = parse_deadline(text, reference)
    assert (deadline.kind, deadline.due, deadline.every) == (kind, due, every)


# Cell types and the Deadline value itself.


def test_text_keeps_the_phrase_as_printed():
    assert parse_deadline("  Quý IV/2024.", REF).text == "  Quý IV/2024."


def test_date_cell_is_a_date_printed_dd_mm_yyyy():
    assert parse_deadline(date(2024, 5, 1), REF) == Deadline("01/05/2024", "date", date(2024, 5, 1))


def test_datetime_cell_drops_the_time():
    assert parse_deadline(datetime(2024, 5, 1, 10, 30), REF).due == date(2024, 5, 1)


def test_none_cell_is_unknown_with_empty_text():
    assert parse_deadline(None, REF) == Deadline("", "unknown")


def test_numeric_year_cell_is_a_period():
    assert parse_deadline(2026.0, REF) == Deadline("2026", "period", date(2026, 12, 31))


def test_nan_cell_is_unknown():
    assert parse_deadline(float("nan"), REF).kind == "unknown"


def test_enums_compare_equal_to_plain_strings():
    assert (DeadlineKind.PERIOD, Recurrence.QUARTER) == ("period", "quarter")


def test_deadline_is_frozen():
    with pytest.raises(AttributeError):
        parse_deadline("Năm 2024", REF).due = date(2025, 1, 1)


# period_end helper.


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, date(2024, 12, 31)),
        ({"quarter": 1}, date(2024, 3, 31)),
        ({"half": 1}, date(2024, 6, 30)),
        ({"month": 2}, date(2024, 2, 29)),
    ],
)
def test_period_end(kwargs, expected):
    assert period_end(2024, **kwargs) == expected


def test_period_end_rejects_a_fifth_quarter():
    with pytest.raises(ValueError):
        period_end(2024, quarter=5)


# Properties.

TOKENS = [
    "quý",
    "Quý",
    "IV",
    "II",
    "I",
    "V",
    "Q",
    "năm",
    "Năm",
    "tháng",
    "ngày",
    "hằng",
    "hàng",
    "trước",
    "đến",
    "giai đoạn",
    "6",
    "đầu",
    "cuối",
    "một",
    "lần",
    "theo",
    "thường xuyên",
    "/",
    "-",
    ".",
    ",",
    "0",
    "12",
    "13",
    "29",
    "31",
    "2",
    "1989",
    "2024",
    "2100",
    "2101",
    "9999",
    "các năm tiếp theo",
    "24/7",
    "Ð",
]
token_phrases = st.lists(st.sampled_from(TOKENS), max_size=8).flatmap(
    lambda words: st.sampled_from([" ".join(words), "".join(words), "/".join(words)])
)
plan_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@given(st.text(), st.dates())
def test_never_raises_on_arbitrary_text(text, reference):
    assert isinstance(parse_deadline(text, reference).kind, DeadlineKind)


@given(st.one_of(st.none(), st.integers(), st.floats(), st.datetimes(), st.dates()), st.dates())
def test_never_raises_on_arbitrary_cells(cell, reference):
    assert isinstance(parse_deadline(cell, reference).kind, DeadlineKind)


@given(token_phrases, st.dates())
def test_due_is_set_exactly_for_dated_kinds(text, reference):
    deadline = parse_deadline(text, reference)
    assert (deadline.due is not None) == (deadline.kind in ("date", "period", "recurring"))


@given(token_phrases, st.dates())
def test_every_is_set_exactly_for_recurring(text, reference):
    deadline = parse_deadline(text, reference)
    assert (deadline.every is not None) == (deadline.kind == "recurring")


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@st.composite
def period_phrases(draw):
    """(phrase, year, month in which the period ends)."""
    year = draw(st.integers(1990, 2100))
    quarter, month, half = draw(st.integers(1, 4)), draw(st.integers(1, 12)), draw(st.integers(1, 2))
    return draw(
        st.sampled_from(
            [
                (f"Quý {ROMAN[quarter]}/{year}", year, 3 * quarter),
                (f"quý {quarter} năm {year}", year, 3 * quarter),
                (f"Q{quarter}/{year}", year, 3 * quarter),
                (f"Tháng {month}/{year}", year, month),
                (f"Tháng {month:02d} năm {year}", year, month),
                (f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {year}", year, 6 * half),
                (f"Năm {year}", year, 12),
            ]
        )
    )


@given(period_phrases(), st.dates())
def test_period_due_is_the_last_day_of_the_printed_period(phrase, reference):
    text, year, end_month = phrase
    deadline = parse_deadline(text, reference)
    day_after = deadline.due + timedelta(days=1)
    assert (deadline.kind, deadline.due.year) == ("period", year)
    assert (deadline.due.month, day_after.day) == (end_month, 1)


RECURRING_PHRASES = [
    "Hằng năm",
    "Hàng quý",
    "Hằng tháng",
    "Định kỳ 6 tháng",
    "Quý I hàng năm",
    "Tháng 6 hằng năm",
    "Hằng năm, trước ngày 30 tháng 11",
    "trước ngày 15/12 hằng năm",
    "trước ngày 20 hằng tháng",
    "trước ngày 31 hằng tháng",
    "Hằng năm, trước 29/2",
    "2024 và hằng năm",
]


@given(st.sampled_from(RECURRING_PHRASES), plan_dates)
def test_recurring_due_is_on_or_after_the_reference(text, reference):
    deadline = parse_deadline(text, reference)
    assert deadline.kind == "recurring" and deadline.due >= reference


@given(st.sampled_from(RECURRING_PHRASES), plan_dates, st.integers(0, 2000))
def test_occurrences_start_at_due_and_increase_until_the_limit(text, reference, days):
    deadline = parse_deadline(text, reference)
    until = deadline.due + timedelta(days=days)
    dates = occurrences(deadline, until)
    assert dates[0] == deadline.due and dates == sorted(set(dates)) and dates[-1] <= until


@given(st.sampled_from(RECURRING_PHRASES), plan_dates, st.integers(0, 4000))
def test_next_due_is_the_first_occurrence_on_or_after(text, reference, days):
    deadline = parse_deadline(text, reference)
    on = deadline.due + timedelta(days=days)
    expected = next(d for d in occurrences(deadline, on + timedelta(days=400)) if d >= on)
    assert next_due(deadline, on) == expected


# occurrences() and next_due() examples.


def test_quarterly_occurrences_step_through_quarter_ends():
    deadline = parse_deadline("Hằng quý", date(2024, 4, 8))
    assert occurrences(deadline, date(2025, 12, 31)) == [
        date(2024, 6, 30),
        date(2024, 9, 30),
        date(2024, 12, 31),
        date(2025, 3, 31),
        date(2025, 6, 30),
        date(2025, 9, 30),
        date(2025, 12, 31),
    ]


def test_yearly_day_occurrences_stay_on_30_november():
    deadline = parse_deadline("Hằng năm, trước ngày 30 tháng 11", date(2024, 4, 8))
    assert occurrences(deadline, date(2026, 12, 31)) == [
        date(2024, 11, 30),
        date(2025, 11, 30),
        date(2026, 11, 30),
    ]


def test_monthly_occurrences_stay_month_ends_across_february():
    deadline = parse_deadline("Hằng tháng", date(2024, 1, 15))
    assert occurrences(deadline, date(2024, 4, 30)) == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
    ]


def test_monthly_occurrences_keep_the_printed_day():
    deadline = parse_deadline("trước ngày 20 hằng tháng", date(2024, 4, 8))
    assert occurrences(deadline, date(2024, 6, 30)) == [
        date(2024, 4, 20),
        date(2024, 5, 20),
        date(2024, 6, 20),
    ]


def test_monthly_day_30_is_clamped_in_february_only():
    deadline = parse_deadline("trước ngày 30 hằng tháng", date(2024, 1, 8))
    assert occurrences(deadline, date(2024, 3, 31)) == [
        date(2024, 1, 30),
        date(2024, 2, 29),
        date(2024, 3, 30),
    ]


def test_yearly_leap_day_comes_back_in_leap_years():
    deadline = parse_deadline("Hằng năm, trước 29/2", date(2025, 1, 1))
    assert occurrences(deadline, date(2028, 12, 31)) == [
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_half_yearly_occurrences_alternate_june_and_december():
    deadline = parse_deadline("Định kỳ 6 tháng", date(2024, 4, 8))
    assert occurrences(deadline, date(2025, 6, 30)) == [
        date(2024, 6, 30),
        date(2024, 12, 31),
        date(2025, 6, 30),
    ]


def test_occurrences_accept_plain_strings_from_the_database():
    deadline = Deadline("Hằng quý", "recurring", date(2024, 6, 30), "quarter")
    assert occurrences(deadline, date(2024, 12, 31)) == [
        date(2024, 6, 30),
        date(2024, 9, 30),
        date(2024, 12, 31),
    ]


def test_occurrences_before_the_first_due_are_empty():
    assert occurrences(parse_deadline("Hằng quý", REF), date(2024, 6, 29)) == []


def test_occurrences_of_a_period_are_its_due_date():
    assert occurrences(parse_deadline("Quý III/2024", REF), date(2030, 1, 1)) == [date(2024, 9, 30)]


def test_occurrences_of_an_ongoing_task_are_empty():
    assert occurrences(parse_deadline("Thường xuyên", REF), date(2030, 1, 1)) == []


def test_occurrences_stop_at_the_last_representable_date():
    deadline = parse_deadline("Hằng năm", date(9998, 1, 1))
    assert occurrences(deadline, date.max) == [date(9998, 12, 31), date.max]


def test_next_due_of_a_recurring_deadline_years_later():
    deadline = parse_deadline("trước ngày 20 hằng tháng", date(2024, 4, 8))
    assert next_due(deadline, date(2031, 7, 21)) == date(2031, 8, 20)


def test_next_due_of_a_passed_one_off_is_none():
    assert next_due(parse_deadline("15/5/2024", REF), date(2024, 5, 16)) is None


@pytest.mark.parametrize("every,due,period", [
    ("quarter", date(2025, 9, 15), (2025, 3)),  # "trước ngày 15 tháng cuối quý"
    ("quarter", date(2025, 12, 31), (2025, 4)),
    ("half", date(2025, 6, 30), (2025, 1)),
    ("year", date(2025, 11, 30), (2025, 1)),
    ("month", date(2025, 2, 20), (2025, 2)),
])
def test_a_due_date_names_its_period(every, due, period):
    assert period_of(every, due) == period


@pytest.mark.parametrize("title,year", [
    ("Thực hiện Đề án … đến năm 2025, định hướng đến năm 2030 trên địa bàn tỉnh", 2025),
    ("Kế hoạch hành động … giai đoạn 2024 - 2025, định hướng đến năm 2030", 2025),
    ("Kế hoạch chuyển đổi số giai đoạn 2024–2026", 2026),
    ("Chuyển đổi số tỉnh Đồng Nai năm 2024", 2024),
    ("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026", 2026),
    ("Phát triển kinh tế số đến năm 2030, tầm nhìn đến năm 2045", 2030),
    ("Kế hoạch triển khai Nghị quyết số 57-NQ/TW", None),
    ("", None),
])
def test_plan_title_gives_its_horizon(title, year):
    assert printed_horizon(title) == year
