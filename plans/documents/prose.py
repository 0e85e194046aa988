"""Tasks written in prose: numbered items whose paragraphs carry labelled fields.

A plan without an appendix table often writes each task as a numbered heading followed by its fields,
one paragraph each::

    IV. NỘI DUNG NHIỆM VỤ
    1. Rà soát, bổ sung chức năng, nhiệm vụ …          <- the task: title = heading without its marker
    - Nội dung thực hiện: Rà soát …                    <- content: not kept (the heading is the title)
    + Tại cấp tỉnh: …                                  <- continues the field above
    - Cơ quan chủ trì: Sở Nội vụ.                      <- lead
    - Cơ quan phối hợp: Sở Thông tin và Truyền thông, … <- coordinators
    - Thời gian hoàn thành: Quý III /2024.             <- deadline
    - Kết quả: báo cáo kết quả rà soát …               <- deliverable
    5. Phát triển lực lượng …                          <- a group: its sub-items are the tasks
    5.1. Tổ chức bồi dưỡng …
    a) Cơ quan chủ trì: Sở Nội vụ, …

Fields are written "- Label: value", "a) Label: value", "+ Label: value" or "Label: value", the value
possibly on the following paragraph(s); labels vary ("Cơ quan/Đơn vị chủ trì", "Đơn vị thực hiện",
"Chủ trì:", "Tiến độ", "Sản phẩm đầu ra", upper case, a missing colon before a capitalised value).

The result is the ``ParsedAppendix`` a table parse gives, so the rest of the import is the same:
``row`` is the 1-based index of the task's heading among the document's paragraphs, agency fields are
the raw text (split into mentions later), the deadline is the text as printed.

The outline helpers (``outline``, ``Node``) are shared with ``plans.documents.duties``.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from agencies.names import clean_text
from plans.appendix.parsing import ParsedAppendix, ParsedSection, ParsedTask

CONTENT, LEAD, COORDINATORS, DEADLINE, DELIVERABLE = (
    "content",
    "lead",
    "coordinators",
    "deadline",
    "deliverable",
)

APPENDIX, ROMAN, PART, NUMBER, LETTER, BULLET, PLAIN = (
    "appendix",
    "roman",
    "part",
    "number",
    "letter",
    "bullet",
    "plain",
)

# --- Markers -------------------------------------------------------------------------------------------

_ROMAN = re.compile(r"^((?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\s*[.:)]\s*(\S.*)$", re.DOTALL)
_PART = re.compile(r"^([A-H])\s*[.)]\s+(\S.*)$", re.DOTALL)  # "A. NHIỆM VỤ CHUNG"
# "1. …", "5.4) …", "7.1. …", "1.2 …" (a dotted number needs no closing mark); not "100% …", "2024 …".
_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\s*[.):]?\s+(\S.*)$|^(\d{1,3})\s*[.)]\s*(\S.*)$", re.DOTALL)
_LETTER = re.compile(r"^([a-zđ])\s*[.)]\s+(\S.*)$", re.DOTALL)
_BULLET = re.compile(r"^([-+–—•*·∙▪○●])\s*(\S.*)$", re.DOTALL)
_RULE = re.compile(r"^[-_=–—.*\s]+$")  # "-------" drawn under a title

RANKS = {APPENDIX: -1, ROMAN: 0, PART: 1}  # numbers rank by depth ("5.1" = 3), letters below any number
LETTER_RANK = 20


@dataclass
class Line:
    """One paragraph, its marker read."""

    index: int  # 1-based among the document's paragraphs
    text: str  # cleaned, whole
    kind: str  # ROMAN | PART | NUMBER | LETTER | BULLET | PLAIN
    marker: str = ""  # as printed without the closing mark: "IV", "5.4", "a", "-"
    body: str = ""  # text after the marker (the whole text for PLAIN)
    printed: str = ""  # the marker as printed: "5.4)", "a)"


def read_line(index, text):
    text = clean_text(text)
    if match := _ROMAN.match(text):
        return Line(index, text, ROMAN, match.group(1), match.group(2), text[: match.start(2)].strip())
    if match := _PART.match(text):
        return Line(index, text, PART, match.group(1), match.group(2), text[: match.start(2)].strip())
    if match := _NUMBER.match(text):
        marker, start = (match.group(1), 2) if match.group(1) else (match.group(3), 4)
        return Line(index, text, NUMBER, marker, match.group(start), text[: match.start(start)].strip())
    if match := _LETTER.match(text):
        return Line(index, text, LETTER, match.group(1), match.group(2), text[: match.start(2)].strip())
    if match := _BULLET.match(text):
        return Line(index, text, BULLET, match.group(1), match.group(2), match.group(1))
    return Line(index, text, PLAIN, "", text)


def rank(line):
    if line.kind == NUMBER:
        return 1 + line.marker.count(".") + 1
    if line.kind == LETTER:
        return LETTER_RANK
    return RANKS.get(line.kind)


def document_lines(document):
    """The body's paragraphs as ``Line``s, numbered from 1 among the document's paragraphs; blank ones
    and drawn rules are left out (they keep their number), and so is the closing (see ``body_end``).
    An appendix ("PHỤ LỤC") starts a part of its own, above any Roman section."""
    lines = []
    for index, paragraph in enumerate(document.paragraphs, start=1):
        text = clean_text(paragraph.text)
        if text and not _RULE.match(text):
            lines.append(read_line(index, text))
    starts = [0] + [
        position
        for position, line in enumerate(lines)
        if position and line.kind == PLAIN and _APPENDIX.match(fold(line.text))
    ]
    kept = []
    for start, stop in zip(starts, starts[1:] + [len(lines)], strict=True):
        part = lines[start:stop]
        if start:
            first = part[0]
            part[0] = Line(first.index, first.text, APPENDIX, "PL", first.text, "")
        kept.extend(part[: body_end(part)])
    return kept


_APPENDIX = re.compile(r"^phu luc(?:\s+(?:[ivxlc]+|\d+|so \d+))?\s*$|^phu luc\b.*\b(?:kem theo|danh muc)")
# What ends the body: "Trên đây là Kế hoạch …", "Nơi nhận:", the signing block.
_HARD_END = re.compile(r"^(?:tren day la|noi nhan\b|tm\.|t/m\b|kt\.|k/t\b)")
# The closing words just before it: "Trong quá trình triển khai thực hiện, nếu có khó khăn …",
# "UBND tỉnh yêu cầu các cơ quan …".
_SOFT_END = re.compile(
    r"^(?:trong qua trinh|(?:ubnd|uy ban nhan dan) (?:tinh|thanh pho|huyen)\w* (?:yeu cau|de nghi)"
    r"|yeu cau (?:cac|thu truong)|de nghi (?:cac|thu truong))"
)


def body_end(lines):
    """Index in ``lines`` where the body ends: the first closing paragraph, moved back over the plain
    closing words right before it (a bullet "- Trong quá trình …" is a duty, not the closing)."""
    end = next(
        (
            position
            for position, line in enumerate(lines)
            if line.kind == PLAIN and _HARD_END.match(fold(line.text))
        ),
        len(lines),
    )
    while end > 0 and lines[end - 1].kind == PLAIN and _SOFT_END.match(fold(lines[end - 1].text)):
        end -= 1
    return end


# --- Text folding --------------------------------------------------------------------------------------


def fold(text):
    """Lower case without accents, đ → d, one character for one: positions stay those of ``text``."""
    out = []
    for char in text:
        if char in "đĐðÐ":  # "Ð" (U+00D0): the "Đ" of legacy fonts
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", char)[0].lower()
        out.append(base if len(base) == 1 else char)
    return "".join(out)


# --- Field labels --------------------------------------------------------------------------------------

_AGENCY = r"(?:co quan|don vi)(?:\s*/\s*(?:co quan|don vi))?"
_DONE = r"(?:hoan thanh|thuc hien|trien khai)(?:\s*/\s*(?:hoan thanh|thuc hien))?"
_LABELS = (
    (CONTENT, r"noi dung(?:\s+(?:thuc hien|cong viec|nhiem vu|chinh|hoat dong))?"),
    (LEAD, rf"(?:{_AGENCY}\s+)?chu tri(?:\s+thuc hien)?|{_AGENCY}\s+(?:thuc hien|chiu trach nhiem)"),
    (COORDINATORS, rf"(?:{_AGENCY}\s+)?phoi hop(?:\s+thuc hien)?"),
    (
        DEADLINE,
        rf"thoi gian(?:\s+{_DONE})?|thoi han(?:\s+hoan thanh)?|tien do(?:\s+{_DONE})?"
        r"|moc thoi gian|han hoan thanh",
    ),
    (
        DELIVERABLE,
        r"(?:ket qua|san pham)(?:\s*(?:/|,|va|hoac)\s*(?:ket qua|san pham))?"
        r"(?:\s+(?:dau ra|du kien|can dat|dat duoc|chu yeu))?",
    ),
)
_LABEL = re.compile("^(?:" + "|".join(f"(?P<{role}>{pattern})" for role, pattern in _LABELS) + r")(?![\w])")
# A label may go without its colon only when it cannot open a sentence ("Chủ trì tổ chức …",
# "Phối hợp Sở …" can): the agency forms, and deadline and result labels of two words or more.
_BARE_LABEL_OK = re.compile(rf"^(?:{_AGENCY}\s+\w|thoi gian\s+\w|thoi han|tien do|san pham|ket qua\s+\w)")
_SEPARATOR = re.compile(r"^\s*(?:[:：]|\s[-–—]\s)\s*")


@dataclass
class FieldLine:
    role: str
    value: str


def read_field(line):
    """The field a paragraph opens ("- Cơ quan chủ trì: Sở Nội vụ."), None when it opens none."""
    if line.kind not in (LETTER, BULLET, PLAIN):
        return None
    body = line.body
    folded = fold(body)
    match = _LABEL.match(folded)
    if not match:
        return None
    role = match.lastgroup
    rest_start = match.end()
    rest = body[rest_start:]
    separator = _SEPARATOR.match(rest)
    if separator:
        return FieldLine(role, rest[separator.end() :].strip())
    if not rest.strip():
        return FieldLine(role, "")  # "Cơ quan chủ trì" alone: the value follows
    # No colon: only a label that cannot start a sentence, before a capitalised value or a figure.
    value = rest.strip()
    if rest[:1].isspace() and _BARE_LABEL_OK.match(folded) and (value[:1].isupper() or value[:1].isdigit()):
        return FieldLine(role, value)
    return None


# --- Outline -------------------------------------------------------------------------------------------


@dataclass
class Node:
    line: Line | None  # None for the root
    children: list = field(default_factory=list)
    body: list = field(default_factory=list)  # Lines under the heading that are no field
    fields: dict = field(default_factory=dict)  # role -> [texts]
    parent: "Node | None" = None

    @property
    def title(self):
        return self.line.body if self.line else ""

    @property
    def marker(self):
        return self.line.marker if self.line else ""

    @property
    def kind(self):
        return self.line.kind if self.line else ""

    def walk(self):
        for child in self.children:
            yield child
            yield from child.walk()


def outline(lines, read_fields=True):
    """The headings of a document as a tree: Roman sections, parts, numbers by depth, letters; fields
    (when ``read_fields``) and other paragraphs go to the heading above them."""
    root = Node(None)
    stack = [root]
    current_field = None
    for line in lines:
        found = read_field(line) if read_fields else None
        node = stack[-1]
        if found:
            node.fields.setdefault(found.role, []).append(found.value)
            current_field = found.role
            continue
        line_rank = rank(line)
        if line_rank is None:  # a bullet or plain paragraph
            if current_field:
                node.fields[current_field].append(line.text if line.kind == BULLET else line.body)
            else:
                node.body.append(line)
            continue
        while len(stack) > 1 and rank(stack[-1].line) >= line_rank:
            stack.pop()
        parent = stack[-1]
        child = Node(line, parent=parent)
        parent.children.append(child)
        stack.append(child)
        current_field = None
    return root


def field_text(node, role, joiner="\n"):
    return joiner.join(text for text in node.fields.get(role, []) if text).strip()


def is_task(node):
    """A heading whose paragraphs give it a lead agency, or two of coordinators, deadline, result."""
    roles = {role for role in node.fields if field_text(node, role)}
    return LEAD in roles or len(roles & {COORDINATORS, DEADLINE, DELIVERABLE}) >= 2


_NOT_TASK_LISTS = re.compile(r"^(?:to chuc thuc hien|muc tieu|muc dich|kinh phi|can cu|danh gia)")


def _container(node):
    """The Roman section (part, appendix) a node is in, or the root."""
    while node.parent is not None and node.kind not in (APPENDIX, ROMAN, PART):
        node = node.parent
    return node


# --- Parsing -------------------------------------------------------------------------------------------


def parse_prose(document):
    """Sections and tasks of the prose task list, or None when the document has none."""
    root = outline(document_lines(document))
    task_nodes = [node for node in root.walk() if node.kind in (NUMBER, LETTER) and is_task(node)]
    if not task_nodes:
        return None
    containers = {}
    for node in task_nodes:
        containers.setdefault(id(_container(node)), (_container(node), []))[1].append(node)
    kept = [
        (container, nodes)
        for container, nodes in containers.values()
        if not _NOT_TASK_LISTS.match(fold(container.title))
    ] or list(containers.values())
    prefix_romans = len(kept) > 1
    builder = _Builder(prefix_romans)
    for container, nodes in kept:
        builder.add(container, {id(node) for node in nodes})
    return ParsedAppendix(sections=builder.sections, tasks=builder.tasks, issues=[])


class _Builder:
    def __init__(self, prefix_romans):
        self.prefix_romans = prefix_romans
        self.sections, self.tasks = [], []

    def add(self, container, task_ids):
        parent = None
        if self.prefix_romans and container.line is not None:
            self.sections.append(ParsedSection(container.marker, container.title, container.line.index))
            parent = _Parent(container.marker, container.title, container.marker)
        for child in container.children:
            self._visit(child, parent, task_ids)

    def _visit(self, node, parent, task_ids):
        code = node_code(node.marker, parent)
        if id(node) in task_ids:
            self.tasks.append(
                ParsedTask(
                    row=node.line.index,
                    code=code,
                    section=parent.code if parent else "",
                    section_title=parent.title if parent else "",
                    title=clean_title(node.title),
                    lead=field_text(node, LEAD),
                    coordinators=field_text(node, COORDINATORS),
                    deliverable=field_text(node, DELIVERABLE),
                    deadline_text=clean_deadline(field_text(node, DEADLINE, " ")),
                    printed_number=node.line.printed,
                )
            )
            return
        if not any(id(below) in task_ids for below in node.walk()):
            return
        title = clean_title(node.title)
        self.sections.append(ParsedSection(code, title, node.line.index, parent.code if parent else ""))
        for child in node.children:
            self._visit(child, _Parent(code, title, node.marker), task_ids)


@dataclass(frozen=True)
class _Parent:
    code: str
    title: str
    marker: str  # as printed, to see whether a child's number repeats it


def node_code(marker, parent):
    """The printed number; one that repeats its group's number is kept ("5.1" under "5"), one
    numbered afresh gets the group's code in front ("1" under "7.1" → "7.1.1", "a" under "2" → "2.a")."""
    if parent is None:
        return marker
    if marker.startswith(parent.marker + "."):
        return parent.code + marker[len(parent.marker) :]
    return f"{parent.code}.{marker}"


def clean_title(text):
    """The heading as printed, without a trailing colon."""
    return clean_text(text).rstrip(" :").strip()


def clean_deadline(text):
    """The deadline as printed, without the sentence's closing full stop or semicolon."""
    return clean_text(text).rstrip(" .;,").strip()
