"""Reporting periods and Decree 09/2019's data cut-off (pure, no database)."""

import datetime

import pytest

from reports.periods import Period, PeriodError, parse_period

D = datetime.date


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2024", D(2024, 1, 1), D(2024, 12, 31), "Năm 2024"),
        ("2024-Q3", D(2024, 7, 1), D(2024, 9, 30), "Quý III năm 2024"),
        ("2024-q1", D(2024, 1, 1), D(2024, 3, 31), "Quý I năm 2024"),
        ("2024-H1", D(2024, 1, 1), D(2024, 6, 30), "6 tháng đầu năm 2024"),
        ("2024-H2", D(2024, 7, 1), D(2024, 12, 31), "6 tháng cuối năm 2024"),
        ("2024-02-01:2024-02-29", D(2024, 2, 1), D(2024, 2, 29), "Từ ngày 01/02/2024 đến ngày 29/02/2024"),
    ],
)
def test_parse_period(text, start, end, label):
    period = parse_period(text)

    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize("text", ["2024", "2024-Q3", "2024-H1", "2024-01-01:2024-06-30"])
def test_code_reads_back(text):
    assert parse_period(text).code == text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Năm 2025", "2025"),
        ("năm 2025", "2025"),
        (" Nam  2025 ", "2025"),
        ("Q3/2025", "2025-Q3"),
        ("q3 2025", "2025-Q3"),
        ("Quý 3/2025", "2025-Q3"),
        ("Quý III/2025", "2025-Q3"),
        ("Quý III / 2025", "2025-Q3"),
        ("QUÝ IV năm 2025", "2025-Q4"),
        ("Quí 1-2025", "2025-Q1"),  # the pre-reform spelling
        ("quy ii nam 2025", "2025-Q2"),  # typed without accents
        ("6 tháng đầu năm 2025", "2025-H1"),
        ("6 tháng cuối năm 2025", "2025-H2"),
        ("Sáu tháng đầu năm 2025", "2025-H1"),
        ("6 thang cuoi nam 2025", "2025-H2"),
        ("H1/2025", "2025-H1"),
        ("01/01/2025:30/06/2025", "2025-01-01:2025-06-30"),
        ("01/01/2025 - 30/06/2025", "2025-01-01:2025-06-30"),
        ("01/01/2025 – 30/06/2025", "2025-01-01:2025-06-30"),  # en dash
        ("1/1/2025-30/6/2025", "2025-01-01:2025-06-30"),
        ("01-01-2025 - 30-06-2025", "2025-01-01:2025-06-30"),
        ("01.01.2025 - 30.06.2025", "2025-01-01:2025-06-30"),
        ("01/01/2025 đến 30/06/2025", "2025-01-01:2025-06-30"),
        ("Từ ngày 01/01/2025 đến ngày 30/06/2025", "2025-01-01:2025-06-30"),
        ("2025-01-01 - 2025-06-30", "2025-01-01:2025-06-30"),
    ],
)
def test_period_written_the_vietnamese_way(text, code):
    assert parse_period(text).code == code


@pytest.mark.parametrize(
    "text", ["2024", "2024-Q1", "2024-Q4", "2024-H1", "2024-H2", "2024-02-01:2024-02-29"]
)
def test_every_label_reads_back(text):
    period = parse_period(text)

    assert parse_period(period.label) == period


@pytest.mark.parametrize(
    "text",
    [
        "", "2024-Q5", "2024-H3", "24", "2024-13-01:2024-12-31", "2024-06-30:2024-01-01", "0000",
        "Quý 5/2025", "Quý 3", "Q3/25", "6 tháng 2025", "Năm nay", "31/02/2025:30/06/2025",
        "30/06/2025 - 01/01/2025", "01/13/2025 - 30/06/2025", "Năm 2024 - 2025",
    ],
)
def test_bad_period_is_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize(
    "text", ["0001", "1999", "2101", "9999", "9999-Q4", "Quý I/0001", "H2/1999", "01/01/2024:31/12/9999"]
)
def test_a_period_outside_the_years_2000_to_2100_is_refused_in_vietnamese(text):
    with pytest.raises(PeriodError, match="nằm ngoài các năm 2000–2100"):
        parse_period(text)


@pytest.mark.parametrize("text", ["2000", "2000-Q1", "2100-H2", "01/01/2000:31/12/2100"])
def test_the_first_and_last_years_are_periods(text):
    assert parse_period(text)


@pytest.mark.parametrize(
    ("text", "previous", "year_before"),
    [
        ("2024-Q1", "2023-Q4", "2023-Q1"),
        ("2024-Q3", "2024-Q2", "2023-Q3"),
        ("2024-H1", "2023-H2", "2023-H1"),
        ("2024", "2023", "2023"),
        ("2024-03-01:2024-03-10", "2024-02-20:2024-02-29", "2023-03-01:2023-03-10"),
    ],
)
def test_previous_period_and_a_year_earlier(text, previous, year_before):
    period = parse_period(text)

    assert (period.previous().code, period.year_before().code) == (previous, year_before)


@pytest.mark.parametrize(
    ("text", "opens", "cutoff"),
    [
        # Decree 09/2019/NĐ-CP, Article 12
        ("2024-Q3", D(2024, 6, 15), D(2024, 9, 14)),
        ("2024-Q1", D(2023, 12, 15), D(2024, 3, 14)),
        ("2024-H1", D(2023, 12, 15), D(2024, 6, 14)),
        ("2024", D(2023, 12, 15), D(2024, 12, 14)),
    ],
)
def test_decree_09_data_window(text, opens, cutoff):
    window = parse_period(text).window()

    assert (window.start, window.cutoff) == (opens, cutoff)


def test_due_day_is_configurable():
    window = parse_period("2024-Q3").window(cutoff_day=10, due_day=20)

    assert (window.cutoff, window.due) == (D(2024, 9, 10), D(2024, 9, 20))


def test_date_range_is_its_own_window():
    window = Period(D(2024, 1, 1), D(2024, 6, 30)).window()

    assert (window.start, window.cutoff, window.due) == (D(2024, 1, 1), D(2024, 6, 30), D(2024, 7, 4))


@pytest.mark.parametrize(
    ("text", "code"),
    [("Year 2025", "2025"), ("Quarter III of 2025", "2025-Q3"), ("First half of 2025", "2025-H1"),
     ("Second half of 2025", "2025-H2"), ("From 01/01/2025 to 30/06/2025", "2025-01-01:2025-06-30")],
)
def test_the_english_labels_are_read(text, code):
    assert parse_period(text).code == code
