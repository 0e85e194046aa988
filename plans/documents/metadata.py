"""The plan's own data, read from its document: number, date and place of issue, issuer, kind, title
(subject line), signer and legal basis.

An administrative document (Nghị định 30/2020) opens with a header: the issuer on the left
("ỦY BAN NHÂN DÂN" / "TỈNH ĐỒNG THÁP") over "Số: 115/KH-UBND", the motto on the right over
"Đồng Tháp, ngày 08 tháng 04 năm 2024"; then the kind ("KẾ HOẠCH") and the subject, or for an official
letter (công văn) a "V/v …" line under the number; then the body, whose first paragraphs give the legal
basis ("Căn cứ …", "Thực hiện …", "Theo đề nghị …"); it ends with a signing block ("TM. ỦY BAN NHÂN DÂN
/ KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Huỳnh Minh Tuấn").

Word lays the header and the signature out in tables without borders, a PDF gives them as paragraphs
(left column first or lines of both columns in turn, OCR with its noise): both are read as a stream of
lines, a table's cells column by column, and each item is found by its own pattern, not by position.
"""

import datetime
import re
from dataclasses import dataclass, field

from agencies.names import clean_text
from plans.documents.model import Paragraph, Table
from plans.documents.prose import BULLET, LETTER, NUMBER, ROMAN, fold, read_line

HEADER_LINES = 40  # the header is within the first lines; the subject may follow a long issuer block


@dataclass
class PlanData:
    number: str = ""  # "115/KH-UBND"; "" when none or printed blank
    issued_on: datetime.date | None = None
    place: str = ""  # "Đồng Tháp"
    issuer: str = ""  # "UBND tỉnh Đồng Tháp"
    kind: str = ""  # "Kế hoạch", "Quyết định", "Công văn" …
    title: str = ""  # the subject line as printed
    signer: str = ""
    signer_title: str = ""  # "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    legal_basis: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # Vietnamese, for the person importing


def document_text_lines(document):
    """The document as lines: each paragraph, and each line of a layout table's cells, column by column
    (a bordered table is content, e.g. an appendix, and is left out)."""
    lines = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            text = clean_text(block.text)
            if text:
                lines.append(text)
        elif isinstance(block, Table) and not block.bordered:
            sheet = block.sheet
            for column in range(sheet.width):
                for row in sheet.rows:
                    cell = row.cell(column)
                    if cell.merged or cell.filled_down:
                        continue
                    lines.extend(clean_text(part) for part in cell.text.split("\n") if clean_text(part))
    return lines


# --- Patterns ---------------------------------------------------------------------------------------

# On folded text (lower case, no accents): "Số: 115/KH-UBND", "Sô : 115 / KH-UBND", "Số:     /KH-UBND".
_NUMBER = re.compile(r"(?<![a-z])so\s*[:;.]\s*(\d*)\s*/\s*([a-z0-9đ&.\-–]+(?:\s*-\s*[a-z0-9&.]+)*)")
_NUMBER_AT_START = re.compile(r"^so\s+(\d+)\s*/\s*([a-z0-9&.\-–]+)")
# "Đồng Tháp, ngày 08 tháng 04 năm 2024", "Quảng Nam, ngày        tháng 6 năm 2024".
_DATE = re.compile(
    r"(?:^|(?<=\s))([a-z][a-z.\s]*?)\s*,\s*ngay\s*(\d{1,2})?[\s.…_]*thang\s*(\d{1,2})?[\s.…_]*nam\s*(\d{4})?"
)
_MOTTO = re.compile(r"^(?:cong hoa xa hoi chu nghia viet nam|doc lap\s*[-–]\s*tu do\s*[-–]\s*hanh phuc)")
_RULE = re.compile(r"^[-_=–—.*\s]+$")
_KINDS = {
    "ke hoach": "Kế hoạch",
    "quyet dinh": "Quyết định",
    "chuong trinh": "Chương trình",
    "thong bao": "Thông báo",
    "chi thi": "Chỉ thị",
    "nghi quyet": "Nghị quyết",
    "to trinh": "Tờ trình",
    "bao cao": "Báo cáo",
    "huong dan": "Hướng dẫn",
    "de an": "Đề án",
    "cong van": "Công văn",
    "ke hoach hanh dong": "Kế hoạch",
    "chuong trinh hanh dong": "Chương trình",
}
_CODES = {
    "kh": "Kế hoạch",
    "qd": "Quyết định",
    "ctr": "Chương trình",
    "tb": "Thông báo",
    "ct": "Chỉ thị",
    "nq": "Nghị quyết",
    "ttr": "Tờ trình",
    "bc": "Báo cáo",
    "hd": "Hướng dẫn",
    "da": "Đề án",
}
_SUBJECT_LINE = re.compile(r"^v\s*/\s*v\s*[:.]?\s*")  # "V/v triển khai …"
_ISSUER_WORDS = re.compile(
    r"^(?:uy ban|ubnd|hoi dong|so|bo|ban|van phong|cuc|tong cuc|chi cuc|trung tam|phong|thanh tra|"
    r"cong an|dai|bao|truong|vien|tinh uy|thanh uy|huyen uy|dang uy|bch|ban chi dao)\b"
)
_PLACE_WORDS = ("tinh", "thanh pho", "huyen", "quan", "thi xa", "xa", "phuong", "thi tran", "tp.", "tp")
# Openers of the body: the legal basis, an address, the articles of a decision.
_LEGAL_OPENER = re.compile(
    r"^(?:Căn cứ|Thực hiện|Theo đề nghị|Xét đề nghị|Theo (?:chỉ đạo|Quyết định|Kế hoạch))\b"
)
_BODY_OPENER = re.compile(r"^(?:Kính gửi|Điều \d|QUYẾT ĐỊNH\s*:|Nơi nhận)")
_AUTHORITY = re.compile(r"^(?:chu tich|uy ban nhan dan|ubnd|bo truong|giam doc|truong ban)\b")
# Signing block.
_FORMULA = re.compile(r"(?<![\w.])(?:TM|T/M|KT|K/T|Q|TL|TUQ|T\.U\.Q|UQ)\s*\.?\s+[A-ZĐÀ-Ỹ]", re.UNICODE)
_POSITION = re.compile(
    r"(?:^|\s)((?:PHÓ\s+|QUYỀN\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỨ TRƯỞNG|CHÁNH VĂN PHÒNG|TRƯỞNG BAN|"
    r"CỤC TRƯỞNG|BÍ THƯ|TỔNG GIÁM ĐỐC|VIỆN TRƯỞNG|HIỆU TRƯỞNG|TRƯỞNG PHÒNG|CHÁNH THANH TRA))\s*$"
)
_PLACEHOLDER = re.compile(r"^(?:\[.*\]|\(.*\)|đã ký|da ky|ký tên|\.+|…+)$", re.IGNORECASE)


# --- Reading ----------------------------------------------------------------------------------------


def read_plan_data(document):
    lines = document_text_lines(document)
    data = PlanData()
    header_end = _read_header(lines, data)
    _read_legal_basis(lines, header_end, data)
    _read_signature(lines, data)
    return data


def _read_header(lines, data):
    """Number, date, issuer, kind, subject; returns the index of the first body line."""
    head = lines[:HEADER_LINES]
    kind_at = next((i for i, line in enumerate(head) if _kind_word(line)), None)
    number_code = _read_number(head, data)
    _read_date(head, data)
    # The issuer: upper-case lines before the kind word (or the number) that are neither motto nor
    # number nor date.
    stop = kind_at
    if stop is None:  # no title word: the issuer is above the number (or the body)
        stop = next(
            (
                i
                for i, line in enumerate(head)
                if _NUMBER.search(fold(line)) or _LEGAL_OPENER.match(line) or _BODY_OPENER.match(line)
            ),
            len(head),
        )
    data.issuer = _issuer([line for line in head[:stop] if _is_issuer_line(line)])
    body_start = stop
    if kind_at is not None:
        data.kind = _kind_word(head[kind_at])
        subject, body_start = _subject(lines, kind_at + 1)
        data.title = subject
    else:
        subject_at = next((i for i, line in enumerate(head) if _SUBJECT_LINE.match(fold(line))), None)
        if subject_at is not None:
            data.kind = "Công văn"
            first = _SUBJECT_LINE.sub("", fold(head[subject_at]), count=1)
            text = head[subject_at][len(head[subject_at]) - len(first) :]
            parts = [text]
            for line in head[subject_at + 1 :]:
                if _is_header_noise(line) or not line[:1].islower():
                    break
                parts.append(line)
            data.title = clean_text(" ".join(parts))
        body_start = next(
            (
                i
                for i, line in enumerate(lines)
                if _LEGAL_OPENER.match(line) or _BODY_OPENER.match(line) or read_line(0, line).kind == ROMAN
            ),
            len(head),
        )
    if not data.kind and number_code:
        data.kind = _kind_from_code(number_code)
    return body_start


def _kind_word(line):
    key = re.sub(r"[^a-z ]+", " ", fold(line)).strip()
    key = " ".join(key.split())
    if key in _KINDS and line.upper() == line:
        return _KINDS[key]
    return ""


def _kind_from_code(code):
    """ "KH-UBND" → "Kế hoạch"; a code naming only the issuer ("UBND-VX") is an official letter."""
    first = fold(code).split("-")[0].strip(". ")
    if first in _CODES:
        return _CODES[first]
    return "Công văn" if first else ""


def _rejoined(head, broken):
    """The header's lines, a line cut where the printed blank was ("Số:" / "/KH-UBND", "Quảng Nam,
    ngày" / "tháng 6 năm 2024", as a PDF's text may give them) joined to the next two lines."""
    for position, line in enumerate(head):
        if broken.search(fold(line)):
            yield " ".join(head[position : position + 3])
        else:
            yield line


_BROKEN_NUMBER = re.compile(r"(?<![a-z])so\s*[:;.]\s*\d*\s*$")
_BROKEN_DATE = re.compile(r",\s*ngay\s*\d{0,2}\s*$|,\s*ngay\s*\d{0,2}\s*thang\s*\d{0,2}\s*$")


def _read_number(head, data):
    for line in _rejoined(head, _BROKEN_NUMBER):
        folded = fold(line)
        match = _NUMBER.search(folded) or _NUMBER_AT_START.match(folded)
        if not match:
            continue
        digits = match.group(1)
        code = re.sub(r"\s+", "", line[match.start(2) : match.end(2)]).strip(".").replace("–", "-")
        if digits:
            data.number = f"{digits}/{code}"
        else:
            data.warnings.append(
                f"Văn bản chưa có số (Số: …/{code}): có thể là bản dự thảo chưa ban hành; "
                "vui lòng nhập số văn bản nếu đã có."
            )
        return code
    data.warnings.append("Không tìm thấy số văn bản (dòng “Số: …”) ở phần đầu văn bản.")
    return ""


def _read_date(head, data):
    for line in _rejoined(head, _BROKEN_DATE):
        folded = fold(line)
        match = _DATE.search(folded)
        if not match or _MOTTO.match(folded):
            continue
        place = line[match.start(1) : match.end(1)]
        # A header read line by line may put the number before the place: keep what follows it.
        number = _NUMBER.search(fold(place))
        if number:
            place = place[number.end() :]
        data.place = clean_text(place).strip(" ,.")
        day, month, year = match.group(2), match.group(3), match.group(4)
        printed = clean_text(line[match.start() : match.end()])
        if not (day and month and year):
            data.warnings.append(
                f"Văn bản chưa ghi đủ ngày ban hành (“{printed}”): vui lòng nhập ngày ban hành."
            )
            return
        try:
            data.issued_on = datetime.date(int(year), int(month), int(day))
        except ValueError:
            data.warnings.append(f"Ngày ban hành “{printed}” không hợp lệ: vui lòng kiểm tra lại.")
        return
    data.warnings.append("Không tìm thấy ngày ban hành (dòng “…, ngày … tháng … năm …”) ở phần đầu văn bản.")


def _is_header_noise(line):
    folded = fold(line)
    return bool(
        _MOTTO.match(folded)
        or _RULE.match(line)
        or _NUMBER.search(folded)
        or _DATE.search(folded)
        or _NUMBER_AT_START.match(folded)
    )


def _is_issuer_line(line):
    if _is_header_noise(line) or _SUBJECT_LINE.match(fold(line)) or line.startswith("/"):
        return False
    letters = [char for char in line if char.isalpha()]
    return bool(letters) and line.upper() == line


def _issuer(lines):
    """The issuing body from its header lines: the last unit opened by an organisation word, the lines
    after it continuing it ("ỦY BAN NHÂN DÂN" + "TỈNH ĐỒNG THÁP"); a parent body above it
    ("UBND TỈNH ĐỒNG THÁP" over "SỞ NỘI VỤ") is left out."""
    units = []
    for line in lines:
        if _ISSUER_WORDS.match(fold(line)) or not units:
            units.append([line])
        else:
            units[-1].append(line)
    if not units:
        return ""
    return issuer_name(" ".join(units[-1]))


def issuer_name(text):
    """ "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP" → "UBND tỉnh Đồng Tháp"; "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" →
    "Sở Thông tin và Truyền thông". Text not in capitals is kept as printed."""
    text = clean_text(text)
    if text.upper() != text:
        return text
    folded = fold(text)
    head = ""
    for prefix in ("uy ban nhan dan ", "ubnd "):
        if folded.startswith(prefix):
            head, text, folded = "UBND", text[len(prefix) :], folded[len(prefix) :]
            break
    place = ""
    for word in _PLACE_WORDS:
        position = folded.find(word + " ") if head else folded.find(" " + word + " ")
        if head and position == 0 or (not head and position > 0):
            start = position if head else position + 1
            place_word = text[start : start + len(word)].lower()
            place = f"{place_word} {_title_words(text[start + len(word) + 1 :])}"
            text = text[:start].strip()
            break
    if head:
        return clean_text(f"UBND {place}")
    name = _sentence_parts(text)
    return clean_text(f"{name} {place}") if place else name


def _title_words(text):
    """A place name: each word capitalised ("ĐỒNG THÁP" → "Đồng Tháp")."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split())


def _sentence_parts(text):
    """An agency name: each part (split on "và" and commas) capitalised, the rest in lower case
    ("VĂN HÓA, THỂ THAO VÀ DU LỊCH" → "Văn hóa, Thể thao và Du lịch"); the first word too ("Sở …")."""
    words = text.lower().split()
    out, capitalise = [], True
    for word in words:
        if word == "và":
            out.append(word)
            capitalise = True
            continue
        out.append(word[:1].upper() + word[1:] if capitalise else word)
        capitalise = word.endswith(",") or len(out) == 1
    return " ".join(out)


def _subject(lines, start):
    """The subject after the kind word: its first line, and the lines continuing it (the same case, or a
    line going on in lower case) up to the body; returns (subject, index of the first body line)."""
    parts = []
    position = start
    while position < len(lines):
        line = lines[position]
        if _RULE.match(line):
            position += 1
            if parts:
                break
            continue
        if not parts and _is_header_noise(line):
            # A PDF reads the header's left column first: the kind word may come before the motto,
            # the number or the date printed on the right.
            position += 1
            continue
        if parts and not _continues_subject(parts, line):
            break
        if not parts and (_LEGAL_OPENER.match(line) and line.upper() != line or _BODY_OPENER.match(line)):
            break
        parts.append(line)
        position += 1
    return clean_text(" ".join(parts)), position


def _continues_subject(parts, line):
    if _LEGAL_OPENER.match(line) or _BODY_OPENER.match(line) or line.startswith("("):
        return False
    if read_line(0, line).kind in (ROMAN, NUMBER, LETTER, BULLET):
        return False
    first_upper = parts[0].upper() == parts[0]
    upper = line.upper() == line
    if first_upper:
        return upper and not _AUTHORITY.match(fold(line))
    if upper:
        return False
    previous = parts[-1]
    if previous.endswith((".", ";", ":")):
        return False
    return line[:1].islower() or len(line) <= 100


def _read_legal_basis(lines, start, data):
    """ "Căn cứ …", "Thực hiện …", "Theo đề nghị …" paragraphs before the first section heading, or the
    items of a first section "I. CĂN CỨ …"."""
    position = start
    while position < len(lines):
        line = lines[position]
        parsed = read_line(0, line)
        if parsed.kind == ROMAN:
            if fold(parsed.body).startswith("can cu"):
                _basis_section(lines, position + 1, data)
            break
        if parsed.kind == NUMBER or (_BODY_OPENER.match(line) and not line.startswith("Kính gửi")):
            break
        if _LEGAL_OPENER.match(line):
            data.legal_basis.append(line)
        position += 1


def _basis_section(lines, start, data):
    for line in lines[start:]:
        parsed = read_line(0, line)
        if parsed.kind in (ROMAN, NUMBER):
            break
        text = parsed.body if parsed.kind in (BULLET, LETTER) else line
        data.legal_basis.append(clean_text(text).rstrip(" ;,."))


def _read_signature(lines, data):
    """The signing block after the body: formula and position lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ
    TỊCH", "PHÓ CHỦ TỊCH"), then the signer's name (a placeholder like "[daky]" skipped)."""
    start = None
    for position in range(len(lines) - 1, -1, -1):
        if _signing_part(lines[position]) is not None:
            start = position
            # Go up to the first line of the block ("TM. …" over "KT. …" over "PHÓ CHỦ TỊCH").
            while start > 0 and _signing_part(lines[start - 1]) is not None:
                start -= 1
            break
    if start is None:
        data.warnings.append("Không tìm thấy phần ký ban hành (người ký) ở cuối văn bản.")
        return
    titles, position = [], start
    while position < len(lines) and (part := _signing_part(lines[position])) is not None:
        titles.append(part)
        position += 1
    shown = [title for title in titles if not re.match(r"^(?:tm|t/m)\b", fold(title))]
    data.signer_title = " / ".join(shown or titles)
    for line in lines[position:]:
        if _PLACEHOLDER.match(line):
            continue
        if _is_name(line):
            data.signer = _title_words(line) if line.upper() == line else line
        break


def _signing_part(line):
    """The formula or position a line holds (after recipients a PDF may have put on the same line),
    None when it holds none."""
    match = _FORMULA.search(line)
    if match and line[match.start() :].upper() == line[match.start() :]:
        return clean_text(line[match.start() :])
    match = _POSITION.search(line)
    if match:
        return clean_text(match.group(1))
    return None


def _is_name(line):
    words = line.split()
    capitalised = all(word[:1].isupper() for word in words)
    return 2 <= len(words) <= 6 and capitalised and not line.endswith((":", ";"))
