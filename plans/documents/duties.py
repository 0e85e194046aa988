"""Per-agency duties as tasks, for a plan that has neither an appendix nor a prose task list.

Such a plan lists, under "Tổ chức thực hiện" (or under a heading like "7. Nhiệm vụ trọng tâm của các
sở, ban, ngành"), one heading per agency followed by its duties::

    7. Nhiệm vụ trọng tâm của các sở, ban, ngành
    7.1. Công an tỉnh                       <- agency heading: a marker and an agency name
    Tiếp tục đôn đốc, kiểm tra …            <- a single paragraph: one task, code 7.1.1
    7.3. Sở Khoa học và Công nghệ
    - Đẩy mạnh các chương trình …           <- each bullet a task: 7.3.1, 7.3.2 …
    - Triển khai hình thành …
    2. Sở Nội vụ: Theo dõi, hướng dẫn …     <- the duty may follow the name on the heading's line

Each task is led by its agency (the name as printed, split into mentions later); its deadline is the
one its text prints ("trong Quý III/2024", "trước ngày 30/6/2024", "hoàn thành trong năm 2024"), else
the plan's period (``period_from_title``: "… năm 2024" → "Năm 2024"), else "".

The caller tries the appendix tables first, then ``plans.documents.prose.parse_prose``, then this.
"""

import re

from agencies.names import clean_text, looks_like_agency
from plans.appendix.parsing import ParsedAppendix, ParsedSection, ParsedTask
from plans.documents.prose import BULLET, LETTER, NUMBER, PART, PLAIN, ROMAN, document_lines, fold, outline

# "7. Nhiệm vụ trọng tâm của các sở, ban, ngành", "Trách nhiệm của các cơ quan, đơn vị", "Phân công
# nhiệm vụ": a heading whose agency sub-headings are the task list, preferred to the whole section.
_DUTY_LIST = re.compile(
    r"^(?:phan cong\s+)?(?:nhiem vu|trach nhiem)(?:\s+(?:trong tam|cu the|chu yeu|chinh))?"
    r"(?:\s+(?:cua|doi voi|giao))?(?:\s+cac)?\s+(?:so|co quan|don vi|ban|nganh|dia phuong)"
    r"|^phan cong(?:\s+nhiem vu)?(?:\s+thuc hien)?$"
)
_ORGANISING = re.compile(r"^to chuc thuc hien")
_MAX_AGENCY_NAME = 160


def parse_duties(document, plan_period_text=""):
    """The per-agency duties as sections (one per agency) and tasks, None when there are none."""
    root = outline(document_lines(document), read_fields=False)
    container = _duty_list(root)
    if container is None:
        return None
    sections, tasks = [], []
    container_code = ""
    if container.kind in (NUMBER, LETTER):
        container_code = container.marker
        sections.append(ParsedSection(container_code, _clean(container.title), container.line.index))
    for node in _agency_headings(container):
        name, inline = agency_heading(node)
        code = _code(node, container_code)
        sections.append(ParsedSection(code, name, node.line.index, container_code))
        for number, (row, text) in enumerate(_duties(node, inline), start=1):
            tasks.append(
                ParsedTask(
                    row=row,
                    code=f"{code}.{number}",
                    section=code,
                    section_title=name,
                    title=text,
                    lead=name,
                    coordinators="",
                    deliverable="",
                    deadline_text=deadline_in(text) or plan_period_text,
                )
            )
    if not tasks:
        return None
    return ParsedAppendix(sections=sections, tasks=tasks, issues=[])


# --- Where the duties are --------------------------------------------------------------------------


def _duty_list(root):
    nodes = list(root.walk())
    for node in nodes:
        is_list = node.kind in (ROMAN, PART, NUMBER, LETTER) and _DUTY_LIST.match(fold(node.title))
        if is_list and _agency_headings(node):
            return node
    for node in nodes:
        is_section = node.kind in (ROMAN, PART, NUMBER) and _ORGANISING.match(fold(node.title))
        if is_section and _agency_headings(node):
            return node
    return None


def agency_heading(node):
    """(agency name, duty printed after it on the same line) of an agency heading, None otherwise:
    "7.1. Công an tỉnh" → ("Công an tỉnh", ""), "2. Sở Nội vụ: Theo dõi …" → ("Sở Nội vụ", "Theo dõi …")."""
    if node.kind not in (NUMBER, LETTER):
        return None
    name, _, inline = node.title.partition(":")
    name = _clean(name)
    if not name or len(name) > _MAX_AGENCY_NAME or not looks_like_agency(name):
        return None
    return name, clean_text(inline)


def _agency_headings(container):
    """The agency headings under a container, at whatever depth ("1. Trách nhiệm …" / "a) Sở Nội vụ:")."""
    found = []
    for child in container.children:
        if agency_heading(child):
            found.append(child)
        elif child.kind in (NUMBER, LETTER):
            found.extend(_agency_headings(child))
    return found


def _code(node, container_code):
    marker = node.marker
    if node.kind == NUMBER and ("." in marker or not container_code):
        return marker
    parent = node.parent
    if node.kind == LETTER and parent is not None and parent.kind == NUMBER:
        return f"{parent.marker}.{marker}"
    return f"{container_code}.{marker}" if container_code else marker


# --- The duties of one agency ----------------------------------------------------------------------


def _duties(node, inline):
    """(paragraph index, text) of each duty: the text after the name, then the bullets (a bullet of
    another kind under a bullet ending in ":" belongs to it), the lettered sub-items, or the plain
    paragraphs; a plain paragraph ending in ":" that introduces bullets is left out."""
    duties = []
    if inline:
        duties.append([node.line.index, inline, []])
    lines = list(node.body)
    top_kind = next((line.marker for line in lines if line.kind == BULLET), None)
    for position, line in enumerate(lines):
        following = lines[position + 1] if position + 1 < len(lines) else None
        if line.kind == BULLET and line.marker != top_kind and duties and duties[-1][1].endswith(":"):
            duties[-1][2].append(line.body)
        elif line.kind == PLAIN and line.text.endswith(":") and following and following.kind == BULLET:
            continue
        else:
            duties.append([line.index, line.body, []])
    for child in node.children:
        if child.kind in (NUMBER, LETTER) and not agency_heading(child):
            subs = [line.body for line in child.body]
            duties.append([child.line.index, _clean_duty(child.title), subs])
    return [(row, _compose(text, subs)) for row, text, subs in duties if text]


def _compose(text, subs):
    """A duty with the sub-items it introduces: "Xây dựng: CSDL A; CSDL B."."""
    text = _clean_duty(text)
    if not subs:
        return text
    items = [clean_text(sub).rstrip(" ;.,") for sub in subs if clean_text(sub)]
    return f"{text} {'; '.join(items)}." if items else text


def _clean_duty(text):
    return clean_text(text)


def _clean(text):
    return clean_text(text).rstrip(" :.;").strip()


# --- Deadlines ---------------------------------------------------------------------------------------

_DATE = (
    r"(?:ngày\s+)?\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}"
    r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
    r"|(?:tháng\s+)?quý\s+(?:[IV]{1,3}|[1-4])\s*(?:(?:/|-)\s*|\s+năm\s+)\d{4}"
    r"|tháng\s+\d{1,2}\s*(?:/\s*|\s+năm\s+)\d{4}"
    r"|(?:6|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4}"
    r"|năm\s+\d{4}"
)
_DEADLINE_PHRASE = re.compile(
    rf"(?<!\w)(?:(?:hoàn thành|xong)\s+(?:(?:trong|trước|vào|chậm nhất|trong\s+thời\s+gian)\s+)?(?:{_DATE})"
    rf"|(?:trong|trước|chậm nhất(?:\s+là)?|muộn nhất|đến hết|không quá)\s+(?:{_DATE}))(?!\w)",
    re.IGNORECASE,
)
# "(thời gian hoàn thành: Quý II/2024)", "Thời hạn: trước 30/6/2024."
_DEADLINE_LABEL = re.compile(
    r"(?<!\w)(?:thời gian(?:\s+(?:hoàn thành|thực hiện))?|thời hạn(?:\s+hoàn thành)?|tiến độ)\s*:\s*([^);]+)",
    re.IGNORECASE,
)


def deadline_in(text):
    """The deadline a duty prints, as printed ("trong Quý III/2024"), "" when it prints none. A date
    alone ("… Quyết định số 36/2020/QĐ-UBND ngày 31/8/2020") is a reference, not a deadline: only a
    labelled one or one after "trong", "trước", "hoàn thành", "chậm nhất" … counts."""
    text = clean_text(text)
    if match := _DEADLINE_LABEL.search(text):
        return match.group(1).strip().rstrip(" .,")
    if match := _DEADLINE_PHRASE.search(text):
        return match.group(0)
    return ""


# --- The plan's period -------------------------------------------------------------------------------

_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»|‘[^’]*’")
_ORIENTATION = re.compile(r"(?:định hướng|tầm nhìn)(?:\s+(?:đến|tới))?(?:\s+năm)?\s+\d{4}", re.IGNORECASE)
_RANGE = re.compile(r"(?:giai đoạn\s+)?((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})", re.IGNORECASE)
_UNTIL = re.compile(r"(?:đến|tới)\s+năm\s+((?:19|20)\d{2})", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\w/])năm\s+((?:19|20)\d{2})(?!\w)", re.IGNORECASE)


def period_from_title(title):
    """The period a plan's title says it covers, as a deadline is printed: "Kế hoạch chuyển đổi số …
    năm 2024" → "Năm 2024", "… giai đoạn 2024 - 2026" → "Giai đoạn 2024-2026", "… đến năm 2025" →
    "Đến năm 2025"; the years of a quoted Đề án and an orientation ("định hướng đến năm 2030") do not
    count; "" when no period is left."""
    text = _ORIENTATION.sub(" ", _QUOTED.sub(" ", clean_text(title)))
    if match := _RANGE.search(text):
        return f"Giai đoạn {match.group(1)}-{match.group(2)}"
    if match := _UNTIL.search(text):
        return f"Đến năm {match.group(1)}"
    years = _YEAR.findall(text)
    return f"Năm {years[-1]}" if years else ""
