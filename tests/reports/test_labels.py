"""Periods named in the interface's language (no database)."""

import pytest
from django.utils import translation

from reports import labels
from reports.labels import period_label
from reports.periods import parse_period

CODES = ["2025", "2025-H1", "2025-H2", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2025-01-01:2025-06-30"]

# The Vietnamese proposed for the catalogue (locale/vi): the labels must read as the documents'.
VIETNAMESE = {
    "Year %(year)s": "Năm %(year)s",
    "First half of %(year)s": "6 tháng đầu năm %(year)s",
    "Second half of %(year)s": "6 tháng cuối năm %(year)s",
    "Quarter %(quarter)s of %(year)s": "Quý %(quarter)s năm %(year)s",
    "From %(start)s to %(end)s": "Từ ngày %(start)s đến ngày %(end)s",
}


@pytest.mark.parametrize(
    ("code", "english"),
    [
        ("2025", "Year 2025"),
        ("2025-H1", "First half of 2025"),
        ("2025-H2", "Second half of 2025"),
        ("2025-Q3", "Quarter III of 2025"),
        ("2025-01-01:2025-06-30", "From 01/01/2025 to 30/06/2025"),
    ],
)
def test_english_interface_names_periods_in_english(code, english):
    with translation.override("en"):
        assert period_label(parse_period(code)) == english


@pytest.mark.parametrize("code", CODES)
def test_proposed_vietnamese_reads_as_the_documents_label(code, monkeypatch):
    monkeypatch.setattr(labels, "_", lambda msgid: VIETNAMESE[msgid])

    assert period_label(parse_period(code)) == parse_period(code).label


@pytest.mark.parametrize("code", CODES)
def test_vietnamese_interface_names_periods_as_the_documents(code):
    with translation.override("vi"):
        if translation.gettext("Year %(year)s") == "Year %(year)s":
            pytest.skip("the period labels are not in locale/vi yet")
        assert period_label(parse_period(code)) == parse_period(code).label


def test_label_of_a_summary_period_or_a_code():
    period = parse_period("2025-Q3")

    with translation.override("en"):
        assert period_label(period.as_dict()) == period_label(period.code) == period_label(period)
        assert period_label("not a period") == "not a period"
