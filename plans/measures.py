"""The grammar of a measurable phrase: what a plan promises in numbers, read as a careful clerk reads it.

A target ("Tỷ lệ hồ sơ giải quyết trực tuyến đạt tối thiểu 80% tại cấp sở") or a task's product
("Tối thiểu 20 doanh nghiệp được hỗ trợ chuyển đổi số", "Phấn đấu 03–05 dự án") holds one or more
measures: a comparator, a number or a range, a unit and what is counted (the subject).

Comparators (``Measure.comparator``), with the words that print them:

* ``">="`` — "tối thiểu", "ít nhất", "không dưới", "không thấp hơn", "không ít hơn", "… trở lên",
  "≥"; and, by decision, "đạt", "phấn đấu (đạt)", "bảo đảm", "duy trì" and a bare figure ("100% hồ sơ
  …", "01 báo cáo"). A plan's figure is a level to reach: "đạt 70%" is met by 75%, never failed by it
  (issue 17: "100% hồ sơ … → ≥ 100 %"). The words as printed stay in ``Measure.printed``, so "đạt" and
  a bare figure can still be told from "tối thiểu" when shown.
* ``">"`` — "trên", "hơn", "vượt", "cao hơn", "nhiều hơn", "lớn hơn", ">".
* ``"<="`` — "không quá", "không vượt (quá)", "tối đa", "không cao hơn", "không nhiều hơn", "… trở
  xuống", "≤"; a duration "trong (vòng) 03 ngày".
* ``"<"`` — "dưới", "ít hơn", "thấp hơn", "nhỏ hơn", "chưa đến", "<". ("dưới 5%" is strictly below.)
* ``"="`` — "bằng", "đúng", "khoảng", "=": rare in plans.
* ``"range"`` — "03–05", "70-80%", "từ 3 đến 5", "từ 70% đến 80%": ``value`` .. ``value_max``.

Numbers: Vietnamese decimal comma ("99,8" = 99.8), dotted thousands ("1.000" = 1000, "1.000,5"), a
point before one or two digits is a decimal point ("99.8", as spreadsheets write), leading zeros of
counts ("03" = 3).

Units: "%" ("phần trăm"), a counted noun from ``COUNT_UNITS`` ("doanh nghiệp", "hồ sơ", "dự án",
"lớp", "người", "xã", "thủ tục", "hệ thống", …, longest first: "cơ sở dữ liệu" before "cơ sở"), a
measure ("km", "ha", "tỷ đồng", "Mbps", "ngày"), or "số" when a compared figure counts something the
vocabulary does not know ("tối thiểu 05 sáng kiến"); the subject then names it.

Not measures: dates ("15/02/2024"), document numbers ("53/KH-UBND", "Quyết định số 3221"), years and
periods ("năm 2025", "giai đoạn 2021-2025"), ordinal labels ("cấp độ 3", "Đề án 06", "lần 02",
"phiên bản 2.0", "top 10"), ages ("từ 15 tuổi trở lên"), names ("5G", "Nhơn Trạch 3"), and a bare
number with no unit and no comparator.

The subject is the phrase the figure measures: after a figure that opens its clause ("100% hồ sơ phát
sinh được thực hiện trực tuyến" → "hồ sơ phát sinh được thực hiện trực tuyến"; for a count the unit
leads it: "doanh nghiệp được hỗ trợ chuyển đổi số"), before a figure that closes it ("Tỷ lệ hộ gia đình
có …: trên 86%" → "Tỷ lệ hộ gia đình có …", without the joining "đạt", "là", ":"). A figure followed
only by a level ("40% cấp huyện") in a list shares the subject and comparator of the figure before it:
"tối thiểu 80% đối với cấp sở, 40% cấp huyện, 30% cấp xã" is three measures, each ≥, with levels
"cấp sở", "cấp huyện", "cấp xã".

Pure functions; they never raise on any string.
"""

import re
import unicodedata
from dataclasses import dataclass, field

GE, GT, EQ, LE, LT, RANGE = ">=", ">", "=", "<=", "<", "range"
COMPARATORS = (GE, GT, EQ, LE, LT, RANGE)
PERCENT = "%"
COUNT = "số"
MAX_TEXT = 5_000  # a deliverable or a target is a sentence or two; longer text is read up to here


@dataclass(frozen=True)
class Measure:
    comparator: str  # one of COMPARATORS
    value: float
    value_max: float | None  # upper bound of a range, None otherwise
    unit: str  # "%", a counted noun ("doanh nghiệp"), a measure ("km"), or "số"
    subject: str  # what is counted or measured
    level: str = ""  # the level it applies to when the phrase says ("cấp sở", "cấp tỉnh, huyện, xã")
    printed: str = field(default="", compare=False)  # the comparator words as printed: "tối thiểu"
    start: int = field(default=0, compare=False)  # span of the figure (comparator and unit included)
    end: int = field(default=0, compare=False)


# --- Vocabulary ----------------------------------------------------------------------------------------

_TIME_UNITS = {"ngày làm việc", "ngày", "giờ", "phút", "tháng", "tuần"}
# Units that measure an amount rather than name what is counted: the subject is named beside them.
MEASURE_UNITS = {
    "km", "ha", "m2", "m²", "tỷ đồng", "triệu đồng", "nghìn đồng", "đồng", "usd", "mbps", "gbps", "tb",
    "gb", "điểm", "bậc", "hạng", *_TIME_UNITS,
}
# Counted nouns and measures that may follow a figure. Matched on lower case, longest first.
COUNT_UNITS = (
    "doanh nghiệp",
    "hộ kinh doanh",
    "hợp tác xã",
    "hồ sơ",
    "dự án",
    "đề án",
    "lớp",
    "người",
    "lượt người",
    "lượt",
    "tỉnh",
    "thành phố",
    "quận",
    "xã",
    "phường",
    "thị trấn",
    "huyện",
    "thôn",
    "ấp",
    "khu phố",
    "tổ",
    "thủ tục",
    "thủ tục hành chính",
    "dịch vụ công",
    "dịch vụ",
    "hệ thống",
    "cơ sở dữ liệu",
    "cơ sở",
    "nền tảng",
    "ứng dụng",
    "phần mềm",
    "cuộc",
    "buổi",
    "đợt",
    "hội nghị",
    "hội thảo",
    "khóa",
    "khoá",
    "chuyên đề",
    "báo cáo",
    "văn bản",
    "quyết định",
    "kế hoạch",
    "chương trình",
    "mô hình",
    "sản phẩm",
    "sáng kiến",
    "đề tài",
    "giải pháp",
    "cán bộ",
    "công chức",
    "viên chức",
    "học viên",
    "học sinh",
    "sinh viên",
    "giáo viên",
    "chuyên gia",
    "lao động",
    "hộ gia đình",
    "hộ",
    "đơn vị",
    "cơ quan",
    "địa phương",
    "trường",
    "trạm",
    "tin bài",
    "tin, bài",
    "bài",
    "tin",
    "tài khoản",
    "giao dịch",
    "camera",
    "máy tính",
    "thiết bị",
    "bộ",
    "cái",
    "chiếc",
    "lần",
    "tổ công nghệ số",
    "chỉ tiêu",
    "nhiệm vụ",
    "tuyến",
    *sorted(MEASURE_UNITS),
)
_UNITS_BY_LENGTH = sorted(COUNT_UNITS, key=len, reverse=True)
_UNIT = re.compile(
    r"\s*(" + "|".join(re.escape(unit) for unit in _UNITS_BY_LENGTH) + r")(?![^\W\d_])", re.IGNORECASE
)
_PERCENT = re.compile(r"\s*(%|phần trăm)", re.IGNORECASE)

# Comparator words before a figure, by comparator; in one alternation longest first.
_BEFORE = {
    GE: (
        "tối thiểu là",
        "tối thiểu",
        "ít nhất là",
        "ít nhất",
        "không dưới",
        "không thấp hơn",
        "không ít hơn",
        "không nhỏ hơn",
        "không kém",
        "≥",
        ">=",
        "=>",
    ),
    GT: ("vượt trên", "vượt", "cao hơn", "nhiều hơn", "lớn hơn", "hơn", "trên", ">"),
    LE: (
        "không được vượt quá",
        "không vượt quá",
        "không vượt",
        "không quá",
        "tối đa là",
        "tối đa",
        "không cao hơn",
        "không nhiều hơn",
        "không lớn hơn",
        "≤",
        "<=",
        "=<",
    ),
    LT: ("ít hơn", "thấp hơn", "nhỏ hơn", "chưa đến", "chưa tới", "dưới", "<"),
    EQ: ("bằng", "đúng", "khoảng", "="),
}
_COMPARATOR_OF = {word: comparator for comparator, words in _BEFORE.items() for word in words}
_COMPARATOR_WORDS = sorted(_COMPARATOR_OF, key=len, reverse=True)
# Words that join a figure to what comes before and mean "at least" when no comparator follows them.
_LEADS = (
    "phấn đấu đạt được",
    "phấn đấu đạt",
    "phấn đấu",
    "đạt được",
    "đạt tỷ lệ",
    "đạt mức",
    "đạt",
    "ở mức",
    "bảo đảm",
    "đảm bảo",
    "duy trì",
    "tăng thêm",
    "tăng",
    "giảm",
    "chiếm",
    "là",
)
_WORD = r"(?<![^\W_])"  # a word starts here (no letter or digit before)
_BEFORE_FIGURE = re.compile(
    _WORD
    + r"(?P<lead>(?:(?:"
    + "|".join(re.escape(word) for word in _LEADS)
    + r")\s+)*)(?P<comp>(?:"
    + "|".join(re.escape(word) for word in _COMPARATOR_WORDS)
    + r")\s*)?(?P<from>từ\s+)?$",
    re.IGNORECASE,
)
_AFTER_FIGURE = re.compile(r"\s*(?P<word>trở lên|trở xuống|trở lại)(?![^\W\d_])", re.IGNORECASE)
_LATE_BOUND = re.compile(r"^(?:\S+\s+){1,2}?(?P<word>trở lên|trở xuống)(?![^\W\d_])", re.IGNORECASE)
_WITHIN = re.compile(r"(?:trong vòng|trong thời hạn|trong)\s*$", re.IGNORECASE)

# A figure after one of these words is a label or a reference, not a measure.
_LABEL_WORDS = (
    "số",
    "năm",
    "ngày",
    "tháng",
    "quý",
    "tuần",
    "giai đoạn",
    "cấp độ",
    "mức độ",
    "đề án",
    "dự án",
    "phiên bản",
    "version",
    "lần",
    "lần thứ",
    "thứ",
    "top",
    "điều",
    "khoản",
    "mục",
    "chương",
    "phần",
    "phụ lục",
    "biểu",
    "mẫu",
    "kế hoạch",
    "quyết định",
    "nghị định",
    "nghị quyết",
    "thông tư",
    "chỉ thị",
    "văn bản",
    "công văn",
    "tổng đài",
    "chương trình",
    "hạng",
    "bậc",
    "khu",
    "lô",
    "tầng",
    "phòng",
    "đường",
    "quốc lộ",
    "tỉnh lộ",
    "khóa",
    "khoá",
    "tổ",
    "ấp",
    "khu phố",
    "lớp",
    "tiêu chí",
    "chỉ số",
    "nhóm",
    "loại",
    "mạng",
)
_LABEL_BEFORE = re.compile(
    _WORD
    + r"(?:"
    + "|".join(re.escape(word) for word in sorted(_LABEL_WORDS, key=len, reverse=True))
    + r")\s*[:.]?\s*$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.])|\d+(?:[.,]\d+)?")
_RANGE_TAIL = re.compile(r"\s*(?:%\s*)?(?:[-–—]|đến|tới)\s*(?=\d)", re.IGNORECASE)
_SYMBOL_BEFORE = re.compile(r"(?:≥|>=|=>|≤|<=|=<|>|<|=)\s*$")
_LEVEL_NOUN = (
    r"(?:sở|ngành|tỉnh|huyện|xã|phường|thị trấn|thành phố|quận|thị xã|cơ sở|trung ương|bộ|thôn|ấp|khu phố"
    r"|tổ|xã, phường|thành phố trực thuộc trung ương)"
)
_LEVEL_LIST = rf"cấp\s+{_LEVEL_NOUN}(?:\s*(?:,|và|/|hoặc)\s*(?:cấp\s+)?{_LEVEL_NOUN}(?![^\W\d_]))*"
_LEVEL_AT_START = re.compile(
    rf"^\s*[,(]?\s*(?:(?:đối với|tại|ở|với|trong|thuộc|của)\s+)?(?:các\s+)?(?P<level>{_LEVEL_LIST})"
    r"(?![^\W\d_])\s*\)?",
    re.IGNORECASE,
)
_LEVEL_AT_END = re.compile(
    rf"\s*[,(]?\s*(?:(?:đối với|tại|ở|thuộc)\s+)?(?:các\s+)?(?P<level>{_LEVEL_LIST})"
    r"(?![^\W\d_])\s*\)?\s*$",
    re.IGNORECASE,
)
LEVEL_ANYWHERE = re.compile(rf"(?<![^\W\d_])(?P<level>{_LEVEL_LIST})(?![^\W\d_])", re.IGNORECASE)
# What follows a figure but names no subject: a time, a place, a comparison.
_NOT_SUBJECT = re.compile(
    r"^(?:vào|trong|đến|trước|sau|năm|so với|trở lên|kể từ|từ năm|tính đến|cuối|đầu|giai đoạn|theo|/)"
    r"(?![^\W\d_])",
    re.IGNORECASE,
)
_JOINERS_AT_END = re.compile(
    r"(?:\s*(?:[:：\-–—=]|(?<![^\W\d_])(?:đạt được|đạt tỷ lệ|đạt mức|đạt|là|ở mức|chiếm|phấn đấu|bảo đảm"
    r"|đảm bảo|duy trì|tỷ lệ|khoảng|với|có|và|hoặc|gồm|trong vòng|trong)"
    r"(?![^\W\d_])))+\s*$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r";|\.(?=\s|$)|\n")
_LAST_CLAUSE = re.compile(
    r"^.*(?:[,;]|(?<![^\W\d_])(?:và|hoặc)(?![^\W\d_]))\s*(?P<clause>[^,;]*)$", re.IGNORECASE | re.DOTALL
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")


# --- Numbers -------------------------------------------------------------------------------------------


def read_number(text):
    """A figure as printed in Vietnamese ("99,8", "1.000", "03", "99.8") as a float; None otherwise."""
    text = (text or "").strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        return float(text.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}", text):  # "1,000,000" as English software writes it
        return float(text.replace(",", ""))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    return None


def read_comparator(text):
    """The comparator a cell or word prints ("tối thiểu" → ">=", "trên" → ">", "đạt" → ">=",
    "" → ">="); None for words that are no comparator."""
    key = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip().lower().strip(" :.")
    if not key or key in ("đạt", "phấn đấu", "phấn đấu đạt", "bảo đảm", "đảm bảo", "duy trì", "từ … trở lên"):
        return GE
    if key in COMPARATORS:
        return key
    if key in ("khoảng", "từ … đến …", "từ...đến...", "trong khoảng", "từ đến"):
        return RANGE if "đến" in key else EQ
    if key in ("trở lên", "từ trở lên", "từ … trở lên"):
        return GE
    if key in ("trở xuống",):
        return LE
    match = _BEFORE_FIGURE.search(key)
    if match and match.group("comp") and match.start() == 0:
        return _COMPARATOR_OF[match.group("comp").strip()]
    return None


# --- Reading -------------------------------------------------------------------------------------------


@dataclass
class _Figure:
    start: int  # the comparator words' start
    end: int  # after the unit and "trở lên"
    number_start: int
    number_end: int  # after the unit
    comparator: str
    explicit: bool  # printed with a comparator word (not bare, not "đạt")
    value: float
    value_max: float | None
    unit: str
    printed: str
    verb: str  # "tăng" / "giảm" in the words before, kept in the subject


def _normalise(text):
    text = unicodedata.normalize("NFC", str(text or ""))[:MAX_TEXT]
    text = re.sub(r"[\u00a0\u2007\u202f]", " ", text)
    return re.sub(r"[ \t]+", " ", text)


def _figures(text):
    lower = text.lower()
    figures, position = [], 0
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if start < position:
            continue  # the tail of a range already read
        figure = _figure(text, lower, start, end)
        if figure:
            figures.append(figure)
            position = figure.end
    return figures


def _figure(text, lower, start, end):
    before_char = text[start - 1] if start else ""
    after_char = text[end] if end < len(text) else ""
    dash_bullet = before_char in "-–—" and (start < 2 or text[start - 2] == " ")
    if before_char and (before_char.isalnum() or before_char in "/_.,\\-–—") and not dash_bullet:
        return None  # "KH-53", "11/12", "1.5.3": part of a code or a date
    if after_char and (after_char.isalpha() or after_char in "/_\\"):
        return None  # "5G", "53/KH-UBND", "1A"
    if after_char in ".," and end + 1 < len(text) and text[end + 1].isdigit():
        return None  # "1.2.3" and the like
    raw = match_text = text[start:end]
    value = read_number(raw)
    if value is None:
        return None
    number_end, value_max = end, None
    # A range: "03–05", "70-80%", "từ 3 đến 5", "70% - 80%"
    tail = _RANGE_TAIL.match(text, end)
    if tail:
        second = _NUMBER.match(text, tail.end())
        if second and read_number(second.group()) is not None:
            upper = read_number(second.group())
            years = _YEAR.match(match_text) and _YEAR.match(second.group())
            following = text[second.end() : second.end() + 1]
            if not years and upper >= value and not (following.isalpha() or following == "/"):
                value_max, number_end = upper, second.end()
    unit, after = "", number_end
    if percent := _PERCENT.match(text, after):
        unit, after = PERCENT, percent.end()
    elif counted := _UNIT.match(lower, after):
        unit, after = counted.group(1), counted.end()
        if unit.isascii():  # "Mbps", "USD" as printed
            unit = text[counted.start(1) : counted.end(1)]
    prefix = lower[max(0, start - 80) : start]
    words = _BEFORE_FIGURE.search(prefix)
    lead = (words.group("lead") or "").strip() if words else ""
    comp = (words.group("comp") or "").strip() if words else ""
    from_word = bool(words and words.group("from"))
    words_start = start - (len(prefix) - words.start()) if words and (lead or comp or from_word) else start
    # A symbol right before the figure ("≥80%") has no word boundary before it.
    if not comp and (symbol := _SYMBOL_BEFORE.search(prefix)):
        comp, words_start = symbol.group().strip(), start - len(symbol.group())
    comparator = _COMPARATOR_OF.get(comp, GE)
    explicit = bool(comp)
    following = _AFTER_FIGURE.match(lower, after)
    if following:
        after = following.end()
        comparator = GE if following.group("word") == "trở lên" else LE
        explicit = True
    elif value_max is not None:
        comparator, explicit = RANGE, True
    if unit in _TIME_UNITS and not comp:
        if not _WITHIN.search(prefix) and not following:
            return None  # "báo cáo định kỳ 6 tháng": a period, not a promise
        if not following:
            comparator, explicit = LE, True
    # What is no measure: labels and references, ages, years, bare numbers.
    if unit in ("tuổi",) or lower[after : after + 5].strip().startswith("tuổi"):
        return None
    if not comp and not lead and _LABEL_BEFORE.search(prefix):
        return None
    if not comp and not lead and start and _capitalised_name_before(text, start):
        return None
    if not unit:
        if _YEAR.match(match_text) and value_max is None:
            return None
        padded = len(match_text) >= 2 and match_text[0] == "0" and match_text[1].isdigit()
        noun_follows = bool(re.match(r"\s+[^\W\d_]", text[after:]))
        if not (explicit or (lead and lead.split()[0] == "đạt") or (padded and noun_follows)):
            return None
        unit = COUNT
    verb = next((word for word in ("tăng", "giảm") if word in lead.split()), "")
    printed = text[words_start:start].strip()
    return _Figure(
        words_start, after, start, number_end, comparator, explicit, value, value_max, unit, printed, verb
    )


def _capitalised_name_before(text, start):
    """A figure right after a capitalised word inside a sentence is a name's: "Nhơn Trạch 3"."""
    match = re.search(r"(?:^|(?<=\s))([^\W\d_][\w]*)\s+$", text[:start])
    if not match:
        return False
    word = match.group(1)
    if not word[:1].isupper() or word.isupper() and len(word) > 1:
        return word.isupper() and len(word) > 1 and word not in ("UBND", "HĐND")  # "CSDL 3", "TTHC 5"
    earlier = text[: match.start(1)].rstrip()
    return bool(earlier) and earlier[-1] not in ".:;-–—+•(\n"


def read_measures(text):
    """Every measure of a phrase, in order ([] when it has none)."""
    try:
        return _read_measures(_normalise(text))
    except Exception:  # pragma: no cover - a grammar never refuses a deliverable
        return []


def read_measure(text):
    """The first measure of a phrase, None when it has none."""
    measures = read_measures(text)
    return measures[0] if measures else None


def _read_measures(text):
    figures = _figures(text)
    if not figures:
        return []
    # The text between two figures is the first's tail (its level, or its subject when it opens its
    # clause) and the second's head (its subject when it closes its clause).
    heads, tails = [text[: figures[0].start]], []
    for index, figure in enumerate(figures):
        following = figures[index + 1] if index + 1 < len(figures) else None
        gap = text[figure.end : following.start if following else len(text)]
        if following is None:
            tails.append(_CLAUSE_END.split(gap, maxsplit=1)[0])
            break
        tail, head = _split_gap(gap, _opens_clause(text, figures, index + 1))
        tails.append(tail)
        heads.append(head)
    measures, previous = [], None
    for figure, head, tail in zip(figures, heads, tails, strict=True):
        level, after = _level_and_rest(tail)
        own_after = _subject_after(after)
        before = _before_clause(head)
        named_beside = figure.unit in (PERCENT, COUNT) or figure.unit.lower() in MEASURE_UNITS
        if own_after:
            joined = f", {own_after}" if after.lstrip().startswith(",") else own_after
            subject = own_after if named_beside else _unit_subject(text, figure, joined)
        elif before and (named_beside or _JOINERS_AT_END.search(head)):
            subject = before
        elif not named_beside:
            subject = _unit_subject(text, figure, "")
        elif previous is not None:
            subject = previous.subject
        else:
            subject = figure.unit if figure.unit not in (PERCENT, COUNT) else ""
        comparator, printed = figure.comparator, figure.printed
        late = _LATE_BOUND.match(own_after) if not figure.explicit else None
        if late:  # "80% hồ sơ trở lên": the bound after the counted noun
            comparator = GE if late.group("word") == "trở lên" else LE
            subject = _tidy(subject.replace(late.group("word"), "", 1))
        # "tối thiểu 80% đối với cấp sở, 40% cấp huyện": a bare figure in a list shares the first's.
        bare = not figure.explicit and not figure.printed
        if previous is not None and bare and not own_after and not before:
            comparator, printed = previous.comparator, previous.printed
        if figure.verb and not subject.lower().startswith(figure.verb):
            subject = f"{figure.verb} {subject}".strip()
        if not level:
            trailing = _LEVEL_AT_END.search(subject)
            if trailing and trailing.start() > 0:
                level, subject = trailing.group("level"), subject[: trailing.start()]
        measure = Measure(
            comparator,
            figure.value,
            figure.value_max,
            figure.unit,
            _tidy(subject),
            _tidy(level),
            printed,
            figure.start,
            figure.end,
        )
        measures.append(measure)
        previous = measure
    return measures


def _opens_clause(text, figures, index):
    """Does the figure name its subject after it ("…, trên 40% doanh nghiệp …")?"""
    figure = figures[index]
    following = figures[index + 1].start if index + 1 < len(figures) else len(text)
    tail = _CLAUSE_END.split(text[figure.end : following], maxsplit=1)[0]
    return bool(_subject_after(_level_and_rest(tail)[1]))


def _split_gap(gap, next_opens):
    """(tail of the figure before, head of the figure after) of the text between two figures."""
    parts = _CLAUSE_END.split(gap, maxsplit=1)
    tail, head = parts[0], (parts[1] if len(parts) > 1 else "")
    if head or next_opens:
        return tail, head
    # "Tỷ lệ A đạt 80%, tỷ lệ B đạt 70%": a last piece ending with a joining word is the next one's.
    _level, rest = _level_and_rest(tail)
    match = _LAST_CLAUSE.search(rest)
    piece = match.group("clause") if match else ""
    if piece.strip() and _before_clause(piece) and not _LEVEL_AT_START.match(piece):
        return tail[: len(tail) - len(piece)], piece
    return tail, ""


def _level_and_rest(tail):
    match = _LEVEL_AT_START.match(tail)
    return (match.group("level"), tail[match.end() :]) if match else ("", tail)


def _subject_after(after):
    """The subject named after a figure, "" when what follows names none (a time, a comparison,
    nothing)."""
    text = after.strip(" ,;:–—-")
    text = re.sub(r"\s*(?:,|và|hoặc)\s*$", "", text).strip()
    if not text or _NOT_SUBJECT.match(text) or not re.search(r"[^\W\d_]", text):
        return ""
    return text


def _unit_subject(text, figure, after):
    """A count's subject: its unit and what follows ("doanh nghiệp được hỗ trợ chuyển đổi số")."""
    unit_text = text[figure.number_end : figure.end]
    unit_text = re.sub(r"\s*(?:trở lên|trở xuống|trở lại)\s*$", "", unit_text, flags=re.IGNORECASE).strip()
    unit_text = re.sub(r"^%\s*", "", unit_text)
    return f"{unit_text}{after}" if after.startswith(",") else f"{unit_text} {after}".strip()


def _before_clause(before):
    """The subject written before a figure: the clause it closes, without the words joining them."""
    text = _JOINERS_AT_END.sub("", before).strip()
    text = text.strip(" ,;:–—-+•*·")
    if not re.search(r"[^\W\d_]", text):
        return ""
    return text


def _tidy(text):
    text = re.sub(r"\s+", " ", text or "").strip()
    text = text.strip(" ,;:–—-+•*·")
    text = re.sub(r"[.;,]+$", "", text).strip()
    if text.count("(") > text.count(")"):
        text += ")"
    elif text.count(")") > text.count("(") and text.endswith(")"):
        text = text[:-1].rstrip()
    return text
