"""@-mentions of agencies in comments: "@Sở Tài chính", "@UBND các xã, phường", "@Sở TC".

A mention is an "@" that does not stand inside a word (an e-mail address holds none), followed by
an agency's name or alias as printed. It is resolved by the matcher appendix imports use
(:class:`agencies.matching.AgencyMatcher`: exact, alias, without accents, abbreviations, a typo)
against the agencies in force today of the province holding the task's plan (for a plan of a
province merged into another, the merged one's). The longest run of words after the "@" that names
one agency for certain is the mention, trimmed to the fewest words naming the same agency ("@Sở Tài
chính và Sở Nội vụ" links "Sở Tài chính"); an "@" naming none stays plain text.

Mentions are found once, when the comment is written, and kept with it (``TaskUpdate.mentions``:
offsets into its text, the agency's id and name), so a page shows them without asking the database
and a later change of the catalogue does not change what a comment said or who was told.
"""

import re
import unicodedata
from dataclasses import asdict, dataclass
from itertools import islice

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from agencies.catalog import CatalogEntry
from agencies.matching import AgencyMatcher
from agencies.models import Agency, AgencyAlias
from agencies.names import clean_text

MENTION_SIGN = re.compile(r"(?<![^\W_])@(?=[^\W_])")
MAX_MENTIONS = 30  # "@" signs looked at in one comment; any further are plain text
MAX_WORDS = 20  # the longest name looked for, in words
_WORDS = re.compile(r"\S+")
_TRAILING = ".,;:!?…\"'”’»"


@dataclass(frozen=True)
class Mention:
    """``text[start:end]`` ("@" included) names the agency ``agency`` (an id) called ``name``."""

    start: int
    end: int
    agency: int
    name: str


def _trimmed(words):
    """``words`` without the punctuation that closes a sentence or a parenthesis around them."""
    while words and (words[-1] in _TRAILING or words[-1].isspace()
                     or (words[-1] == ")" and words.count(")") > words.count("("))):
        words = words[:-1]
    return words


def find_mentions(text, resolve, max_words=MAX_WORDS):
    """``(start, end, name)`` of each mention in ``text``, where ``resolve(words)`` gives the name
    of the one agency ``words`` certainly names, else None. Pure: no database."""
    found = []
    for sign in islice(MENTION_SIGN.finditer(text), MAX_MENTIONS):
        begin = sign.end()
        stops = [at for at in (text.find("@", begin), text.find("\n", begin)) if at != -1]
        segment = text[begin:min(stops, default=len(text))]
        runs = [_trimmed(segment[:word.end()]) for word in islice(_WORDS.finditer(segment), max_words)]
        named = next(((run, name) for run in reversed(runs) if run and (name := resolve(run))), None)
        if named is None:
            continue
        longest, name = named
        shortest = next(run for run in runs if run and (run == longest or resolve(run) == name))
        found.append((sign.start(), begin + len(shortest), name))
    return found


class MentionCatalogue:
    """The agencies a comment on a task may mention: those in force on ``on`` of the province holding
    the task's plan, with their aliases (two queries)."""

    def __init__(self, task, on):
        province = task.plan.province.in_office_on(on)
        in_force = Agency.objects.filter(province=province).active(on).order_by("name")
        agencies = list(in_force.values_list("pk", "name", "kind"))
        aliases = {}
        rows = AgencyAlias.objects.filter(agency__in=[pk for pk, _name, _kind in agencies]).order_by("pk")
        for agency_id, alias in rows.values_list("agency_id", "name"):
            aliases.setdefault(agency_id, []).append(alias)
        self.names = [name for _pk, name, _kind in agencies]
        self._ids = {clean_text(name): pk for pk, name, _kind in agencies}
        self._matcher = AgencyMatcher(
            CatalogEntry(name, tuple(aliases.get(pk, ())), kind) for pk, name, kind in agencies
        )

    def resolve(self, words):
        """The canonical name of the one agency ``words`` name for certain, else None."""
        resolution = self._matcher.resolve(words)
        return resolution.agency_name if resolution.certain else None

    def agency_id(self, name):
        return self._ids[clean_text(name)]

    def mentions(self, text):
        """The :class:`Mention` items of ``text``, as stored with a comment (plain dicts)."""
        return [
            asdict(Mention(start, end, self.agency_id(name), name))
            for start, end, name in find_mentions(text, self.resolve)
        ]


def normalize_comment(text):
    """A comment as stored: NFC, line breaks as "\\n" (the offsets of its mentions count on it)."""
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")


def _plain(piece):
    return escape(piece).replace("\n", "<br>")


def render_comment(text, mentions):
    """``text`` as HTML: escaped, line breaks kept, each stored mention a link to its agency's page.
    Mentions that do not fit the text (there should be none) are left out."""
    parts, at = [], 0
    fitting = [m for m in mentions if all(isinstance(m.get(key), int) for key in ("start", "end", "agency"))]
    for mention in sorted(fitting, key=lambda m: m["start"]):
        start, end, agency = mention["start"], mention["end"], mention["agency"]
        if not at <= start < end <= len(text):
            continue
        parts.append(_plain(text[at:start]))
        parts.append(format_html(
            '<a href="{}" class="mention" title="{}">{}</a>',
            reverse("agencies:detail", args=[agency]), mention.get("name", ""), text[start:end],
        ))
        at = end
    parts.append(_plain(text[at:]))
    return mark_safe("".join(parts))  # every piece is escaped above
