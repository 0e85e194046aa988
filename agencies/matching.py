"""Resolve agency mentions of an appendix ("Sở TT&TT", "VP UBND tỉnh") to catalog agencies.

Stages, first hit wins:

1. ``exact`` / ``alias``: the mention equals the canonical name / a short name after ``normalize_name``.
2. ``folded``: the same without diacritics ("Sở Tài chinh").
3. ``abbreviation``: leading abbreviations expanded (UBND, VP, TP, TX, CA, BCĐ, NHNN …), then either the
   expanded text matches, or the initials of the name after its agency-type word match those of a
   catalog name ("Sở KH&CN" = Sở Khoa học và Công nghệ, "Sở LĐ-TB&XH"), or a department mention
   followed by a province qualifier ("Sở Nội vụ tỉnh Đồng Tháp") matches without it.
4. ``fuzzy``: rapidfuzz edit distance between the proper-name parts of names that have the same
   agency type.  It is *certain* only if the distance is within the tolerance below and no other
   agency is within tolerance; otherwise the candidates are only suggestions.

Every stage must find exactly one agency; a key shared by two agencies is reported as suggestions.

Fuzzy tolerance: Levenshtein distance on the accent-free proper-name part (after "Sở", "UBND huyện" …)
of at most one edit per 8 characters of the catalog name's part, at least 1 and at most 3 (about 88 %
character similarity).  Accent slips are already caught by stage 2, so this only has to absorb a
dropped, doubled or swapped letter ("Sở Thông tin và Truyền thôg").  The agency-type word must be the
same (a ministry is never a department: "Bộ Nội vụ" ≠ "Sở Nội vụ"; "huyện Hồng Ngự" ≠ "thành phố Hồng
Ngự"), and any numbers must be equal.
"""

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from agencies.names import clean_text, fold_accents, normalize_name, unify_tone_placement

SUGGESTION_LIMIT = 3
SUGGESTION_MIN_SCORE = 70

# Leading abbreviations, in accent-free lower case, expanded before comparing.
_LEADING_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "vp": "van phong",
    "vpubnd": "van phong uy ban nhan dan",
    "tp": "thanh pho",
    "tx": "thi xa",
    "h": "huyen",
    "ca": "cong an",
    "bcd": "ban chi dao",
    "nhnn": "ngan hang nha nuoc",
    "bchqs": "bo chi huy quan su",
    "bql": "ban quan ly",
    "ttr": "thanh tra",
}
# Abbreviations that mean the same wherever they appear.
_ANYWHERE_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "cds": "chuyen doi so",
    "tncs": "thanh nien cong san",
    "hcm": "ho chi minh",
    "cntt": "cong nghe thong tin",
}

# Agency-type words (accent-free token sequences) -> type label.  Longest prefixes first.  Place types
# (huyện, thành phố, thị xã, quận) only count when a proper name follows.
_TYPE_PREFIXES = sorted(
    [
        ("van phong uy ban nhan dan", "van phong ubnd"),
        ("van phong", "van phong"),
        ("uy ban nhan dan tinh", "ubnd tinh"),
        ("uy ban nhan dan huyen", "huyen"),
        ("uy ban nhan dan thanh pho", "thanh pho"),
        ("uy ban nhan dan thi xa", "thi xa"),
        ("uy ban nhan dan quan", "quan"),
        ("uy ban nhan dan", "ubnd"),
        ("huyen", "huyen"),
        ("thanh pho", "thanh pho"),
        ("thi xa", "thi xa"),
        ("quan", "quan"),
        ("so", "so"),
        ("bo chi huy", "bo chi huy"),
        ("bo", "bo"),
        ("tong cuc", "tong cuc"),
        ("chi cuc", "chi cuc"),
        ("cuc", "cuc"),
        ("ban chi dao", "ban chi dao"),
        ("thuong truc", "thuong truc"),
        ("thanh vien", "thanh vien"),
        ("ban", "ban"),
        ("dai", "dai"),
        ("bao", "bao"),
        ("cong an", "cong an"),
        ("thanh tra", "thanh tra"),
        ("ngan hang", "ngan hang"),
        ("tinh doan", "doan"),
        ("doan", "doan"),
        ("hoi dong", "hoi dong"),
        ("hoi", "hoi"),
        ("trung tam", "trung tam"),
        ("kho bac", "kho bac"),
        ("phong", "phong"),
        ("cac", "cac"),
    ],
    key=lambda item: -len(item[0].split()),
)
_PLACE_TYPES = {"huyen", "thanh pho", "thi xa", "quan"}
_DEPARTMENT_TYPES = {"so"}

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Resolution:
    """Outcome of resolving one mention; ``agency_name`` is None unless the match is certain."""

    mention: str
    agency_name: str | None
    certain: bool
    suggestions: list[str] = field(default_factory=list)
    method: str | None = None


@dataclass(frozen=True)
class _Analysis:
    """Accent-free views of a name used by stages 3 and 4."""

    expanded: str  # words with leading abbreviations expanded, "và"/"&" dropped
    kind: str | None  # agency-type label, see _TYPE_PREFIXES
    tail: str  # words after the agency-type prefix (the proper-name part)
    initials: str  # initials of the tail words ("và" dropped, acronyms spelled out)
    has_acronym: bool  # an all-capital token such as "TT", "KH", "PTNT" in the tail


def _tokens(text):
    """(accent-free lower-case word, written in capitals?) pairs of ``text``."""
    text = unify_tone_placement(clean_text(text))
    return [(fold_accents(word).casefold(), len(word) > 1 and word.isupper()) for word in _WORD.findall(text)]


def analyse(text):
    """Split ``text`` into agency type and proper-name part, expanding abbreviations."""
    tokens = _tokens(text)
    words = []
    leading = True
    for word, capitals in tokens:
        expansion = _LEADING_ABBREVIATIONS.get(word) if leading else _ANYWHERE_ABBREVIATIONS.get(word)
        if expansion:
            words.extend((part, False) for part in expansion.split())
        else:
            leading = False
            words.append((word, capitals))
    words = [(word, capitals) for word, capitals in words if word != "va"]  # "&" is no word either
    plain = [word for word, _ in words]
    kind, size = None, 0
    for prefix, label in _TYPE_PREFIXES:
        prefix_words = prefix.split()
        if plain[: len(prefix_words)] != prefix_words:
            continue
        if label in _PLACE_TYPES and len(plain) == len(prefix_words):
            continue  # "UBND huyện" alone names no district
        kind, size = label, len(prefix_words)
        break
    tail_words = words[size:]
    initials = "".join(word if capitals else word[:1] for word, capitals in tail_words)
    return _Analysis(
        expanded=" ".join(plain),
        kind=kind,
        tail=" ".join(plain[size:]),
        initials=initials,
        has_acronym=any(capitals for _, capitals in tail_words),
    )


def _strip_province_qualifier(analysis):
    """Expanded text of a department mention without a trailing "tỉnh …" ("Sở Nội vụ tỉnh Đồng Tháp")."""
    if analysis.kind not in _DEPARTMENT_TYPES:
        return None
    words = analysis.expanded.split()
    if "tinh" not in words[1:]:
        return None
    return " ".join(words[: words.index("tinh", 1)])


class _Index:
    """Key -> canonical names holding it; a key held by two agencies is ambiguous."""

    def __init__(self):
        self.names = {}

    def add(self, key, name):
        if not key:
            return
        names = self.names.setdefault(key, [])
        if name not in names:
            names.append(name)

    def get(self, key):
        return self.names.get(key, []) if key else []


class AgencyMatcher:
    """Resolve mentions against catalog entries (objects with ``.name``, ``.aliases``, ``.kind``)."""

    def __init__(self, entries):
        self.entries = {}
        self._canonical = _Index()
        self._alias = _Index()
        self._folded = _Index()
        self._expanded = _Index()
        self._initials = _Index()
        self._choices = {}  # accent-free expanded key -> (canonical name, agency type), for suggestions
        self._analyses = []  # (analysis, canonical name) of every name and alias
        self._cache = {}  # mention -> Resolution: appendices repeat the same few agencies
        for entry in entries:
            name = clean_text(entry.name)
            self.entries.setdefault(name, entry)
            self._canonical.add(normalize_name(name), name)
            for alias in entry.aliases or ():
                self._alias.add(normalize_name(alias), name)
            for text in (name, *(entry.aliases or ())):
                self._folded.add(fold_accents(normalize_name(text)), name)
                analysis = analyse(text)
                self._expanded.add(analysis.expanded, name)
                if analysis.kind and analysis.initials:
                    self._initials.add((analysis.kind, analysis.initials), name)
                self._choices.setdefault(analysis.expanded, (name, analysis.kind))
                self._analyses.append((analysis, name))

    def kind_of(self, name):
        """Catalog kind of a canonical name returned by ``resolve``."""
        entry = self.entries.get(name)
        return entry.kind if entry else None

    def resolve(self, mention):
        """Resolve one mention (see the module doc for the stages)."""
        cached = self._cache.get(mention)  # split_mentions gives clean text: skip clean_text on a hit
        if cached is None:
            key = clean_text(mention)
            cached = self._cache.get(key)
            if cached is None:
                cached = self._cache[key] = self._resolve(key)
            self._cache[mention] = cached
        # Callers may edit their copy; built directly: dataclasses.replace costs ten times as much.
        return Resolution(cached.mention, cached.agency_name, cached.certain, list(cached.suggestions),
                          cached.method)

    def _resolve(self, mention):
        key = normalize_name(mention)
        if not key:
            return Resolution(mention, None, False, [], None)
        analysis = analyse(mention)
        stages = (
            ("exact", lambda: self._canonical.get(key)),
            ("alias", lambda: self._alias.get(key)),
            ("folded", lambda: self._folded.get(fold_accents(key))),
            ("abbreviation", lambda: self._abbreviation_candidates(analysis)),
        )
        for method, lookup in stages:
            names = lookup()
            if len(names) == 1:
                return Resolution(mention, names[0], True, [], method)
            if len(names) > 1:
                return Resolution(mention, None, False, sorted(names), None)
        certain_name = self._certain_fuzzy(analysis)
        if certain_name:
            return Resolution(mention, certain_name, True, [], "fuzzy")
        return Resolution(mention, None, False, self.suggest(mention), None)

    def _abbreviation_candidates(self, analysis):
        names = self._expanded.get(analysis.expanded)
        if names:
            return names
        if analysis.kind and analysis.has_acronym:
            names = self._initials.get((analysis.kind, analysis.initials))
            if names:
                return names
        return self._expanded.get(_strip_province_qualifier(analysis))

    def _certain_fuzzy(self, analysis):
        """The one agency whose proper-name part is within tolerance, or None (see module doc)."""
        if not analysis.kind or not analysis.tail:
            return None
        within = set()
        for candidate, name in self._analyses:
            if candidate.kind != analysis.kind or not candidate.tail:
                continue
            if re.findall(r"\d+", candidate.tail) != re.findall(r"\d+", analysis.tail):
                continue
            tolerance = min(3, max(1, len(candidate.tail) // 8))
            if Levenshtein.distance(analysis.tail, candidate.tail, score_cutoff=tolerance) <= tolerance:
                within.add(name)
        return within.pop() if len(within) == 1 else None

    def suggest(self, mention, limit=SUGGESTION_LIMIT):
        """Closest catalog names of a compatible agency type, best first."""
        analysis = analyse(mention)
        if not analysis.expanded:
            return []
        ranked = process.extract(
            analysis.expanded, list(self._choices), scorer=fuzz.WRatio, limit=None,
            score_cutoff=SUGGESTION_MIN_SCORE,
        )
        suggestions = []
        for choice, _score, _index in ranked:
            name, kind = self._choices[choice]
            compatible = analysis.kind is None or kind is None or kind == analysis.kind
            if compatible and name not in suggestions:
                suggestions.append(name)
            if len(suggestions) == limit:
                break
        return suggestions
