"""The Công văn đôn đốc of an urging notice, as a .docx laid out per Decree 30/2020/NĐ-CP (Appendix
I, form of an official letter): the issuing department under its People's Committee on the left,
the national title and motto on the right; the number left blank for the e-office system to give
when the letter is registered ("Số:      /SKHCN-…"), the excerpt ("V/v đôn đốc …") under it; place
and date with the day left blank, to be filled at signing; "Kính gửi:" the agencies urged; the
body with the tasks as a table (STT, Nhiệm vụ, Cơ quan chủ trì, Thời hạn, Số ngày quá hạn); "Nơi
nhận:" and the signature block side by side.

Pure: :func:`render_urging_letter` turns an :class:`UrgingLetter` (plain values) into bytes, with
no database. The words are those of a Vietnamese administrative document, whatever the interface
language (see :mod:`reports.documents.content`).
"""

import datetime
import io
from dataclasses import dataclass

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt

from reports.documents.content import symbol
from reports.documents.docx import (
    CENTER,
    JUSTIFY,
    _body,
    _cell_lines,
    _para,
    _repeat_header,
    _two_columns,
    blank_document,
    keep_together,
)
from reports.documents.docx import _header as decree_header

TABLE_HEADERS = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Số ngày quá hạn")
TABLE_WIDTHS = (Cm(1.3), Cm(7.1), Cm(3.6), Cm(2.4), Cm(2.1))  # 16.5 cm: the text width on A4
DEFAULT_SIGNER_TITLE = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
BLANK_DAY = "     "  # room for the day, written in at signing
PORTAL = "Cổng theo dõi thực hiện kế hoạch"


@dataclass(frozen=True)
class LetterRow:
    """One task urged: its code and title as printed, the agencies urged about it, the date it was
    judged against, the days it was overdue on the day the notice was sent (None: not yet due) and,
    for a recurring task, the period that date ends ("Quý III/2026")."""

    code: str
    title: str
    agencies: str
    due_on: datetime.date
    days_overdue: int | None = None
    period: str = ""


@dataclass(frozen=True)
class LetterPlan:
    """A plan whose tasks are urged, as its body cites it, with those tasks."""

    number: str
    issued_on: datetime.date | None
    issuer: str
    title: str
    rows: tuple[LetterRow, ...]


@dataclass(frozen=True)
class UrgingLetter:
    """What the letter says. ``authority``: the People's Committee over the issuing department
    ("UBND tỉnh Đồng Tháp"); ``committee``: its name as a recipient ("UBND tỉnh"); ``place``: the
    place name of the date line ("Đồng Tháp"); ``number``: blank until the letter is registered."""

    place: str
    authority: str
    committee: str
    issuer: str
    subject: str
    sent_on: datetime.date
    addressees: tuple[str, ...]
    plans: tuple[LetterPlan, ...]
    message: str = ""
    report_by: datetime.date | None = None
    signer_title: str = DEFAULT_SIGNER_TITLE
    signer_name: str = ""
    number: str = ""


def day_month_year(day):
    """dd/mm/yyyy, as the letter writes dates."""
    return day.strftime("%d/%m/%Y")


def plan_reference(plan, title=True):
    """"Kế hoạch số 115/KH-UBND ngày 08/04/2024 của Ủy ban nhân dân tỉnh Đồng Tháp về thực hiện Đề án
    …": its number, date, issuer and (with ``title``) title, as far as they are known."""
    words = f"Kế hoạch số {plan.number}" if plan.number else "Kế hoạch"
    if plan.issued_on:
        words += f" ngày {day_month_year(plan.issued_on)}"
    if plan.issuer:
        words += f" của {plan.issuer}"
    title = plan.title.strip() if title else ""
    return f"{words} về {title[:1].lower()}{title[1:]}" if title else words


def default_subject(plan_numbers):
    """The excerpt a notice starts with, from the numbers of its plans ("" for a plan not numbered):
    "V/v đôn đốc thực hiện nhiệm vụ theo Kế hoạch số 115/KH-UBND"."""
    plan_numbers = list(dict.fromkeys(plan_numbers))
    numbers = [number for number in plan_numbers if number]
    start = "V/v đôn đốc thực hiện nhiệm vụ theo"
    if not numbers:
        return f"{start} {'các kế hoạch' if len(plan_numbers) > 1 else 'kế hoạch'}"
    cited = f"Kế hoạch số {numbers[0]}" if len(numbers) == 1 else f"các Kế hoạch số {', '.join(numbers)}"
    return f"{start} {cited} và kế hoạch khác" if len(numbers) < len(plan_numbers) else f"{start} {cited}"


def number_line(letter):
    """"Số:      /SKHCN-…": the number is given by the e-office system when the letter is registered,
    the drafting unit's code after the hyphen by the unit."""
    if letter.number:
        return f"Số: {letter.number}"
    return f"Số:{' ' * 8}/{symbol(letter.issuer)}-…"


def place_date(letter):
    """"Đồng Tháp, ngày      tháng 12 năm 2026": the day is written in when the letter is signed
    (months 1 and 2 with a leading zero, as Decree 30 writes them)."""
    month = letter.sent_on.month
    month = f"{month:02d}" if month < 3 else str(month)
    return f"{letter.place}, ngày {BLANK_DAY} tháng {month} năm {letter.sent_on.year}"


def days_cell(row, sent_on):
    if row.days_overdue is not None:
        return str(row.days_overdue)
    left = (row.due_on - sent_on).days
    return "Đến hạn" if left <= 0 else f"Còn {left} ngày"


def _counts(letter):
    rows = [row for plan in letter.plans for row in plan.rows]
    overdue = sum(row.days_overdue is not None for row in rows)
    parts = []
    if overdue:
        parts.append(f"{overdue} nhiệm vụ đã quá hạn")
    if len(rows) - overdue:
        parts.append(f"{len(rows) - overdue} nhiệm vụ sắp đến hạn")
    return " và ".join(parts)


def body_paragraphs(letter):
    """The letter's opening paragraphs, before the table of tasks."""
    plans = "; ".join(plan_reference(plan) for plan in letter.plans)
    return [
        f"Thực hiện {plans}, {letter.issuer} được giao theo dõi, đôn đốc, tổng hợp tình hình thực hiện.",
        f"Qua theo dõi trên {PORTAL}, tính đến ngày {day_month_year(letter.sent_on)}, còn "
        f"{_counts(letter)} chưa hoàn thành, cụ thể như sau:",
    ]


def closing_paragraph(letter):
    by = day_month_year(letter.report_by) if letter.report_by else "…/…/……"
    which = "các kế hoạch" if len(letter.plans) > 1 else "Kế hoạch"
    return (
        f"Để bảo đảm tiến độ thực hiện {which}, {letter.issuer} đề nghị các cơ quan, đơn vị khẩn trương "
        f"triển khai thực hiện các nhiệm vụ nêu trên, cập nhật tiến độ trên {PORTAL} và báo cáo kết quả "
        f"về {letter.issuer} trước ngày {by}./."
    )


def recipients(letter):
    """The "Nơi nhận:" lines."""
    return ["- Như trên;", f"- {letter.committee} (b/c);", "- Lưu: VT, …"]


def render_urging_letter(letter):
    """The .docx bytes of ``letter``."""
    word = blank_document()
    decree_header(word, {
        "parent": letter.authority.upper(), "issuer": letter.issuer.upper(), "number": number_line(letter),
        "subject": letter.subject, "place_date": place_date(letter),
    })
    _addressees(word, letter.addressees)
    for text in body_paragraphs(letter):
        _body(word, text)
    for plan in letter.plans:
        if len(letter.plans) > 1:  # cited in full above: a number is enough, else the title too
            heading = _para(word, plan_reference(plan, title=not plan.number), size=13, bold=True,
                            align=JUSTIFY, before=6, after=3)
            heading.paragraph_format.keep_with_next = True
        _table(word, plan.rows, letter.sent_on)
    for line in letter.message.splitlines():
        if line.strip():
            _body(word, line.strip())
    _body(word, closing_paragraph(letter))
    _signature(word, letter)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _addressees(word, addressees):
    """"Kính gửi: Sở Nội vụ." on one line, or one agency a line ("- Sở Nội vụ;"), the last with a
    full stop."""
    if len(addressees) == 1:
        _para(word, f"Kính gửi: {addressees[0]}.", align=CENTER, before=12, after=12)
        return
    heading = _para(word, "Kính gửi:", before=12)
    heading.paragraph_format.left_indent = Cm(3)
    for index, name in enumerate(addressees):
        mark = "." if index == len(addressees) - 1 else ";"
        line = _para(word, f"- {name}{mark}", after=12 if mark == "." else 0)
        line.paragraph_format.left_indent = Cm(5)


def _table(word, rows, sent_on):
    table = word.add_table(rows=1 + len(rows), cols=len(TABLE_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _repeat_header(table.rows[0])
    values = [TABLE_HEADERS] + [
        (str(index), f"{row.code}. {row.title}" if row.code else row.title, row.agencies,
         day_month_year(row.due_on) + (f"\n({row.period})" if row.period else ""), days_cell(row, sent_on))
        for index, row in enumerate(rows, 1)
    ]
    for index, (row, cells) in enumerate(zip(table.rows, values, strict=True)):
        header = index == 0
        for column, (cell, value, width) in enumerate(zip(row.cells, cells, TABLE_WIDTHS, strict=True)):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.alignment = None if column in (1, 2) and not header else CENTER
            for number, line in enumerate(value.split("\n")):
                run = paragraph.add_run()
                if number:
                    run.add_break()
                run.add_text(line)
                run.font.size, run.bold = Pt(12), header
    for column, width in zip(table.columns, TABLE_WIDTHS, strict=True):
        column.width = width
    word.add_paragraph()


def _signature(word, letter):
    word.add_paragraph()
    left, right = _two_columns(word, (Cm(7.5), Cm(9)))
    keep_together(word.tables[-1].rows[0])
    run = left.paragraphs[0].add_run("Nơi nhận:")
    run.bold = run.italic = True
    run.font.size = Pt(12)
    for line in recipients(letter):
        left.add_paragraph().add_run(line).font.size = Pt(11)
    titles = [line.strip().upper() for line in (letter.signer_title or "").splitlines() if line.strip()]
    _cell_lines(right, [(title, 14, True, False) for title in titles or [" "]])
    for _blank in range(4):  # room for the signature and the seal
        right.add_paragraph()
    _cell_lines(right, [(letter.signer_name or " ", 14, True, False)])
