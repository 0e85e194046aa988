"""Who answers today for what a task's appendix printed: the one reading every page, export and
report document shows beside the printed mention.

It reads assignment objects already loaded (``TaskQuerySet.with_assignments`` prefetches the
agencies' successors and the hand-overs), never the database.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.models import follow_successors


@dataclass(frozen=True)
class AnswerLine:
    """One printed mention (or, after a hand-over, the mentions it replaced) and the agency answering
    for it on the day, with the date since when and the decision behind it."""

    printed: str
    printed_agency: object | None = None
    answering: object | None = None
    since: date | None = None
    decision: str = ""

    @property
    def changed(self):
        return self.answering is not None and self.since is not None

    @property
    def agency(self):
        return self.answering or self.printed_agency

    @property
    def former_province(self):
        """The province of the agency printed when another province's agency answers now (a plan of
        a province merged into another): "Quảng Nam (cũ)"."""
        printed, answering = self.printed_agency, self.answering
        if self.changed and printed is not None and printed.province_id != answering.province_id:
            return printed.province.label
        return ""

    def __str__(self):
        if not self.changed:
            return self.printed
        printed = f"{self.printed} – {self.former_province}" if self.former_province else self.printed
        return _("%(printed)s → %(agency)s, from %(date)s") % {
            "printed": printed,
            "agency": self.answering.name,
            "date": date_format(self.since, "SHORT_DATE_FORMAT"),
        }


def answer_lines(assignments, role, day):
    """The lines of ``role`` (lead or coordinator) holding on ``day``, in the cell's order."""
    of_role = [a for a in assignments if a.role == role]
    lines = []
    for assignment in of_role:
        if not assignment.holds_on(day):
            continue
        if assignment.handover_id:
            lines.append(_handed_over(assignment, of_role, day))
        elif assignment.agency_id:
            answering, since = follow_successors(assignment.agency, day)
            answering = answering if since else None
            lines.append(AnswerLine(assignment.mention, assignment.agency, answering, since))
        else:
            lines.append(AnswerLine(assignment.mention))
    return lines


def _handed_over(assignment, of_role, day):
    former = [a for a in of_role if a.ended_by_id == assignment.handover_id]
    answering, _since = follow_successors(assignment.agency, day)
    return AnswerLine(
        "; ".join(a.mention for a in former) or assignment.mention,
        former[0].agency if former else None,
        answering,
        assignment.handover.effective_on,
        assignment.handover.decision,
    )


def answer_text(assignments, role, day):
    """The lines as one cell of an export or a report document."""
    return "; ".join(str(line) for line in answer_lines(assignments, role, day))
