"""Targets proposed from a plan document's "Mục tiêu cụ thể" (pure, no database).

A plan writes its targets as bullets under "2. Mục tiêu cụ thể" (and "Chỉ tiêu" sub-headings), grouped
by sub-headings ("2.2. Chính quyền số")::

    II. MỤC TIÊU
    1. Mục tiêu chung                                    <- not read
    2. Mục tiêu cụ thể                                   <- the part read, up to the next "III."
    2.2. Chính quyền số                                  <- group of the targets below
    - Tỷ lệ hồ sơ giải quyết trực tuyến trên tổng số hồ sơ đạt tối thiểu 80% tại cấp sở, 40% tại cấp
      huyện và 30% tại cấp xã.                           <- three targets, levels "cấp sở", …
    - Trên 60% cán bộ, công chức, viên chức được tập huấn, …   <- one target, name from its subject

Every bullet (or numbered or lettered item, or plain paragraph) with a measurable figure
(``plans.measures.read_measures``) gives one proposed target per figure; a bullet without one
("Hình thành kho dữ liệu dùng chung …") gives none. The admin confirms each in the preview.

When the plan has no "Mục tiêu cụ thể" (nor "Chỉ tiêu …") heading, the "Mục tiêu" section is read
without its "Mục tiêu chung".
"""

import re

from agencies.names import clean_text
from plans.appendix.targets import ParsedTarget
from plans.documents.prose import LETTER, NUMBER, PART, PLAIN, ROMAN, document_lines, fold, rank
from plans.measures import COUNT, LEVEL_ANYWHERE, read_measures

_TARGETS_HEADING = re.compile(
    r"^(?:cac\s+)?(?:muc tieu cu the|muc tieu,? chi tieu(?: cu the)?|chi tieu(?: cu the| chu yeu| phan dau)?)"
    r"(?=\s|:|,|$)"
)
_GOALS_HEADING = re.compile(r"^muc tieu\b(?!\s+chung)")
_GENERAL = re.compile(r"^muc tieu chung\b")
_YEAR = re.compile(r"(?:đến|trong|vào|cuối|hết)?\s*năm\s+((?:19|20)\d\d)", re.IGNORECASE)


def _heading_text(line):
    return fold(line.body).strip(" :.")


def _part(lines):
    """(start, stop) indexes in ``lines`` of the targets part, None when the plan has none."""
    for pattern in (_TARGETS_HEADING, _GOALS_HEADING):
        for position, line in enumerate(lines):
            text = _heading_text(line)
            if not pattern.match(text) or len(text) > 80 or read_measures(line.body):
                continue
            own = rank(line)
            if own is None:  # "Mục tiêu cụ thể:" as a plain paragraph: up to a heading of the one above it
                above = [rank(other) for other in lines[:position] if rank(other) is not None]
                own = (above[-1] if above else 0) + 0.5
            stop = next(
                (
                    later
                    for later in range(position + 1, len(lines))
                    if rank(lines[later]) is not None and rank(lines[later]) <= own
                ),
                len(lines),
            )
            return position, stop
    return None


def propose_targets(document):
    """The targets a plan document's "Mục tiêu cụ thể" proposes, in order (``ParsedTarget``, ``row`` =
    the 1-based paragraph index of the bullet); [] when it has none."""
    lines = document_lines(document)
    part = _part(lines)
    if part is None:
        return []
    start, stop = part
    targets, group, skipping, group_year = [], "", False, None
    for line in lines[start + 1 : stop]:
        measures = read_measures(line.body)
        heading = line.kind in (ROMAN, PART, NUMBER, LETTER) or (
            line.kind == PLAIN and _is_plain_heading(line)
        )
        if heading and not measures:
            text = _heading_text(line)
            skipping = bool(_GENERAL.match(text))  # "1. Mục tiêu chung" inside a "Mục tiêu" read whole
            group = clean_text(line.text).rstrip(" :")
            year = _YEAR.search(line.body)  # "a) Phấn đấu đến năm 2025": the year of the bullets under it
            group_year = year.group(1) if year else group_year
            continue
        if skipping:
            continue
        for measure in measures:
            targets.append(_target(line, measure, group, len(targets) + 1, group_year))
    return targets


def _is_plain_heading(line):
    text = clean_text(line.body)
    return len(text) <= 80 and text.endswith(":") and not read_measures(text)


def _target(line, measure, group, number, group_year=None):
    subject = measure.subject
    level = measure.level
    if not level:  # "… của cấp ủy, chính quyền cấp tỉnh, huyện, xã được thực hiện …"
        match = LEVEL_ANYWHERE.search(subject)
        level = match.group("level") if match else ""
    name = subject[:1].upper() + subject[1:] if subject else ""
    year = _YEAR.search(line.body)
    return ParsedTarget(
        row=line.index,
        code=str(number),
        group=group,
        name=name,
        comparator=measure.comparator,
        value=measure.value,
        value_max=measure.value_max,
        unit=measure.unit if measure.unit != COUNT else COUNT,
        level=level,
        deadline_text=f"Năm {year.group(1)}" if year else (f"Năm {group_year}" if group_year else ""),
        reporting_agency="",
        baseline=None,
        comparator_text=measure.printed,
    )
