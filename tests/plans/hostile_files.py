"""A corpus of hostile appendix files, generated (no binaries are committed): files built to exhaust
memory or time, to smuggle entities or control characters in, or to lie about their size.

Each entry says what the import must do with it: refuse it with a message containing ``refused``, or
read it into ``tasks`` tasks. ``corpus()`` is shared by the tests (``test_hostile_files``) and the
benchmark (``bench/hostile_files.py``), which adds the peak memory and time of each.
"""

import datetime
import functools
import io
import random
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

DEMO = Path(__file__).resolve().parents[2] / "plans" / "demo_data"
MAX_ROW, MAX_COL = 1_048_576, 16_384  # Excel's sheet
HEADER = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"]
TITLES = ["PHỤ LỤC", "(Kèm theo Kế hoạch số 1/KH-UBND)"]
TASKS = [
    ["I", "CÔNG TÁC CHỈ ĐẠO"],
    ["1", "Rà soát quy chế", "Sở Nội vụ", "Sở Tài chính", "Năm 2024", "Quyết định"],
    ["2", "Tổ chức tập huấn", "Sở Tài chính", "Sở Nội vụ", "Hằng quý", "Báo cáo"],
]
TABLE = [[title] for title in TITLES] + [HEADER] + TASKS  # 6 rows, 2 tasks
# What each kind of refusal says (words of the Vietnamese message).
TOO_MANY_CELLS = "quá nhiều ô"
TOO_MANY_ROWS = "quá nhiều dòng"
TOO_MANY_COLUMNS = "quá nhiều cột"
MERGED_AREA = "vùng ô gộp quá lớn"
UNPACKED = "giải nén bất thường"
DTD = "khai báo DTD"
DEPTH = "lồng nhau quá 256 cấp"
LONG_TEXT = "một ô có hơn 1.000.000 ký tự"
MARKUP = "quá lớn để xử lý"
DAMAGED = "bị hỏng"
# A right-to-left override and a left-to-right isolate, zero-width space and joiner, a byte-order mark, a
# soft hyphen, then control characters: in XML (which cannot carry them) escaped the way Excel does.
MARKS = "\u202e\u2066\u200b\u200d\ufeff\u00ad"
XML_CONTROLS = "_x0000__x0007_"
CONTROLS = "\x07\x1b"


@dataclass(frozen=True)
class Hostile:
    name: str  # the file name, whose extension gives the format
    data: bytes
    refused: str = ""  # words of the message refusing it
    tasks: int = 0  # tasks it reads into when it is not refused
    what: str = ""


# --- Containers ----------------------------------------------------------------------------------


def zip_bytes(parts):
    """A zip of ``parts`` {name: bytes or a function writing chunks to a stream}, in that order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if callable(content):
                with archive.open(name, "w", force_zip64=True) as stream:
                    content(stream)
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _column(index):
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(row, col, text):
    return f'<c r="{_column(col)}{row}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def sheet_rows(rows, first=1):
    """``<row>`` elements of ``rows`` (lists of texts) from row ``first``, inline strings."""
    return "".join(
        f'<row r="{number}">'
        + "".join(_cell(number, col, text) for col, text in enumerate(row, 1) if text)
        + "</row>"
        for number, row in enumerate(rows, first)
    )


def xlsx(rows=TABLE, *, after_rows="", merges=(), after_data="", dimension="", strings=None, extra=None):
    """An .xlsx whose sheet holds ``rows``, then the raw XML ``after_rows`` inside ``sheetData``,
    ``merges`` (a list of "A1:B2", or a function writing ``<mergeCell>`` elements) and ``after_data``;
    ``strings`` a raw shared-strings part; ``extra`` more parts or parts replaced."""

    def sheet(stream):
        stream.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode())
        if dimension:
            stream.write(f'<dimension ref="{dimension}"/>'.encode())
        stream.write(("<sheetData>" + sheet_rows(rows)).encode())
        _write(stream, after_rows)
        stream.write(b"</sheetData>")
        if merges:
            stream.write(b"<mergeCells>")
            _write(stream, merges if callable(merges) else "".join(f'<mergeCell ref="{m}"/>' for m in merges))
            stream.write(b"</mergeCells>")
        _write(stream, after_data)
        stream.write(b"</worksheet>")

    relations = f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    relations += f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/>'
    if strings is not None:
        relations += f'<Relationship Id="rId3" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    kinds = {"workbook.xml": "sheet.main", "worksheets/sheet1.xml": "worksheet", "styles.xml": "styles"}
    if strings is not None:
        kinds["sharedStrings.xml"] = "sharedStrings"
    parts = {
        "[Content_Types].xml": _content_types("xl", kinds, "spreadsheetml"),
        "_rels/.rels": f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
        f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
        '<sheet name="Phụ lục" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE_RELS}">{relations}</Relationships>',
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/>'
        '<xf numFmtId="0" fillId="1" applyFill="1"/></cellXfs></styleSheet>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
    parts.update(extra or {})
    return zip_bytes(parts)


def _write(stream, content):
    if callable(content):
        content(stream)
    elif content:
        stream.write(content.encode())


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(body, prologue=""):
    """A .docx whose body is the raw XML ``body`` (text, or a function writing chunks)."""

    def document(stream):
        stream.write(f'{prologue}<w:document xmlns:w="{W}"><w:body>'.encode())
        _write(stream, body)
        stream.write(b"</w:body></w:document>")

    types = _content_types("word", {"document.xml": "document.main"}, "wordprocessingml")
    return zip_bytes(
        {
            "[Content_Types].xml": types,
            "_rels/.rels": f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="word/document.xml"/></Relationships>',
            "word/document.xml": document,
        }
    )


def _content_types(folder, kinds, language):
    """``[Content_Types].xml`` naming the kind of each part of ``folder`` (as Office and the
    libraries reading Office files expect)."""
    overrides = "".join(
        f'<Override PartName="/{folder}/{name}" '
        f'ContentType="application/vnd.openxmlformats-officedocument.{language}.{kind}+xml"/>'
        for name, kind in kinds.items()
    )
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )


def docx_table(rows):
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    return (
        "<w:tbl>"
        + "".join(
            "<w:tr>" + "".join(cell.format(escape(text)) for text in row + [""] * (6 - len(row))) + "</w:tr>"
            for row in rows
        )
        + "</w:tbl>"
    )


TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def ods(rows=TABLE, after_rows=""):
    """An .ods whose sheet holds ``rows``, then the raw XML ``after_rows`` (more rows)."""

    def content(stream):
        stream.write(
            f'<office:document-content xmlns:office="{OFFICE_NS}" xmlns:table="{TABLE_NS}" '
            f'xmlns:text="{TEXT_NS}"><office:body><office:spreadsheet>'
            '<table:table table:name="Phụ lục">'.encode()
        )
        stream.write(ods_rows(rows).encode())
        _write(stream, after_rows)
        stream.write(b"</table:table></office:spreadsheet></office:body></office:document-content>")

    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    parts = {
        "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
        "META-INF/manifest.xml": manifest,
        "content.xml": content,
    }
    return zip_bytes(parts)


def ods_rows(rows):
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    return "".join(
        "<table:table-row>" + "".join(cell.format(escape(text)) for text in row) + "</table:table-row>"
        for row in rows
    )


def xls(records=b""):
    """An .xls with the table, then the BIFF ``records`` written straight into the sheet's part of the
    workbook stream (xlwt takes 14 s to write 1.1 million empty cells and writes a merge's every cell)."""
    import xlwt
    from xlwt.CompoundDoc import XlsDoc

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Phụ lục")
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            sheet.write(r, c, text)
    stream = book.get_biff_data()
    end = stream.rindex(struct.pack("<HH", 0x000A, 0))  # the sheet's EOF record, the stream's last
    buffer = io.BytesIO()
    XlsDoc().save(buffer, stream[:end] + records + stream[end:])
    return buffer.getvalue()


def xls_blank_cells(rows, columns=250):
    """MULBLANK records: ``rows`` rows of ``columns`` empty formatted cells, 2 bytes a cell."""
    return b"".join(
        struct.pack("<HHHH", 0x00BE, 6 + 2 * columns, row, 0)
        + b"\x0f\x00" * columns
        + struct.pack("<H", columns - 1)
        for row in range(len(TABLE), len(TABLE) + rows)
    )


def xls_merge(first_row, last_row, first_col, last_col):
    """A MERGEDCELLS record of one range (0-based, inclusive)."""
    return struct.pack("<HHHHHHH", 0x00E5, 10, 1, first_row, last_row, first_col, last_col)


# --- Content -------------------------------------------------------------------------------------

BELOW = len(TABLE) + 1  # the first row below the table
WHOLE_SHEET = f"A1:{_column(MAX_COL)}{MAX_ROW}"
VOCABULARY = "nhiệm vụ rà soát quy chế sở nội tài chính báo cáo kế hoạch triển khai thực hiện năm quý"


def _styled_cells(count, per_row=1000):
    """``count`` empty formatted cells below the table, ``per_row`` a row."""
    letters = [_column(col) for col in range(1, per_row + 1)]

    def write(stream):
        for start in range(0, count, per_row):
            row = BELOW + start // per_row
            cells = "".join(f'<c r="{letter}{row}" s="1"/>' for letter in letters[: count - start])
            stream.write(f'<row r="{row}">{cells}</row>'.encode())

    return write


def _empty_rows(count):
    """``count`` empty rows below the table (a row height set on each, say)."""

    def write(stream):
        for start in range(BELOW, BELOW + count, 10_000):
            stream.write(
                "".join(
                    f'<row r="{row}"/>' for row in range(start, min(BELOW + count, start + 10_000))
                ).encode()
            )

    return write


def _merge_ranges(count):
    """``count`` ranges of two cells below the table, 100 a row across the first 200 columns."""
    pairs = [(_column(col), _column(col + 1)) for col in range(1, 200, 2)]

    def write(stream):
        for start in range(0, count, 100):
            row = BELOW + start // 100
            ranges = (
                f'<mergeCell ref="{first}{row}:{last}{row}"/>' for first, last in pairs[: count - start]
            )
            stream.write("".join(ranges).encode())

    return write


@functools.cache
def _words_block():
    """A megabyte of Vietnamese-looking text that compresses about as well as real text does."""
    return " ".join(random.Random(14).choices(VOCABULARY.split(), k=250_000))[: 1 << 20]


def _words(characters, seed):
    block = _words_block()
    start = seed * 7919 % len(block)
    text = block[start:] + block[:start]
    return (text * (characters // len(text) + 1))[:characters]


def _shared_strings(count_or_texts):
    """A shared-strings part: the numbers up to a count, or the given texts."""

    def write(stream):
        stream.write(f'<sst xmlns="{MAIN}">'.encode())
        if isinstance(count_or_texts, int):
            for start in range(0, count_or_texts, 10_000):
                chunk = range(start, min(count_or_texts, start + 10_000))
                stream.write("".join(f"<si><t>{n}</t></si>" for n in chunk).encode())
        else:
            for text in count_or_texts:
                stream.write(f"<si><t>{escape(text)}</t></si>".encode())
        stream.write(b"</sst>")

    return write


def _billion_laughs():
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    return f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>'


def _lying_sizes(data, member):
    """``data`` with the uncompressed size of ``member`` declared as 1 KB in both its headers."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(member)
    patched = bytearray(data)
    struct.pack_into("<I", patched, info.header_offset + 22, 1024)  # the local header's field
    position = 0  # then the central directory's
    while (position := data.find(b"PK\x01\x02", position)) != -1:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length].decode() == member:
            struct.pack_into("<I", patched, position + 24, 1024)
        position += 4
    return bytes(patched)


def _deep(levels):
    return "<x>" * levels + "</x>" * levels


def _zeros(megabytes):
    def write(stream):
        for _ in range(megabytes):
            stream.write(bytes(1 << 20))

    return write


def _with_hidden(rows, controls):
    """``rows`` with invisible and control characters around and inside every text."""
    hidden = MARKS + controls
    return [
        [f"{MARKS[:2]}{text[:2]}{hidden}{text[2:]}{hidden}" if text else text for text in row] for row in rows
    ]


def _csv(rows):
    return ("\n".join(";".join(row) for row in rows) + "\n").encode()


def _ods_row(cell, repeat_rows):
    return f'<table:table-row table:number-rows-repeated="{repeat_rows}">{cell}</table:table-row>'


def _ods_text_cell(repeat_columns=1):
    return (
        f'<table:table-cell table:number-columns-repeated="{repeat_columns}" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell>"
    )


@functools.cache
def corpus():
    """Every hostile file by name, generated once per process (about 10 s)."""
    last_column = _column(MAX_COL)
    fifty_thousand = [f"c{n}" for n in range(50_000)]
    no_nul_yet = TABLE[:-1]  # NUL bytes in the first 8 KB make a CSV a binary file
    nul_csv = (
        _csv(no_nul_yet)
        + (";" * 9000 + "\n").encode()
        + _csv([[text.replace("Tổ chức", "Tổ\x00 chức\x00") for text in TASKS[-1]]])
    )
    external = docx_table(TABLE).replace("Tổ chức tập huấn", "&secret;")
    escaped_nul = [TASKS[-1][0], "Tổ chức_x0000_ tập huấn", *TASKS[-1][2:]]
    spanning = docx_table(TABLE).replace(
        "<w:tc><w:p>", '<w:tc><w:tcPr><w:gridSpan w:val="1000000"/></w:tcPr><w:p>', 1
    )
    filler = (
        '<table:table-cell table:number-columns-repeated="16384" table:number-columns-spanned="16384" '
        'table:number-rows-spanned="1048570"/>'
    )
    space_run = ods_rows([TASKS[-1]]).replace("Tổ chức tập", 'Tổ chức<text:s text:c="2000000000"/>tập')
    files = [
        # Merged ranges over the whole sheet, clipped to the table before anything is expanded.
        Hostile(
            "merge-beside-and-below.xlsx",
            xlsx(merges=[f"G1:{last_column}{MAX_ROW}", f"A20:F{MAX_ROW}"]),
            tasks=2,
            what="merges from the table's edges to the end of the sheet",
        ),
        Hostile(
            "merge-whole-sheet-5000-times.xlsx",
            xlsx(merges=[WHOLE_SHEET] * 5000),
            refused=MERGED_AREA,
            what="A1:XFD1048576 merged 5,000 times: the 5 KB file that took a worker to 2.9 GB",
        ),
        Hostile(
            "merge-600000-ranges.xlsx",
            xlsx(merges=_merge_ranges(600_000)),
            refused=MERGED_AREA,
            what="600,000 merged ranges of two cells",
        ),
        Hostile(
            "merge-whole-sheet.xls",
            xls(xls_merge(len(TABLE), 65535, 0, 255)),
            tasks=2,
            what="a merge from below the table to the end of the sheet",
        ),
        # Cells the file writes without text.
        Hostile(
            "styled-cells-1500000.xlsx",
            xlsx(after_rows=_styled_cells(1_500_000)),
            refused=TOO_MANY_CELLS,
            what="1,500,000 empty formatted cells",
        ),
        Hostile(
            "styled-cells-450000.xlsx",
            xlsx(after_rows=_styled_cells(450_000)),
            tasks=2,
            what="450,000 empty formatted cells, under the limit",
        ),
        Hostile(
            "empty-rows-2500000.xlsx",
            xlsx(after_rows=_empty_rows(2_500_000)),
            refused=MARKUP,
            what="2,500,000 empty rows: markup that costs time and holds nothing",
        ),
        Hostile(
            "styled-cell-at-XFD1048576.xlsx",
            xlsx(
                after_rows=f'<row r="{MAX_ROW}"><c r="{last_column}{MAX_ROW}" s="1"/></row>',
                dimension=WHOLE_SHEET,
            ),
            tasks=2,
            what="a format in the sheet's last cell, a dimension of A1:XFD1048576",
        ),
        Hostile(
            "blank-cells-1100000.xls",
            xls(xls_blank_cells(4400)),
            refused=TOO_MANY_CELLS,
            what="1,100,000 empty formatted cells (MULBLANK records)",
        ),
        Hostile(
            "separators-only.csv",
            (";" * 999 + "\n").encode() * 2000,
            refused=TOO_MANY_CELLS,
            what="2,000,000 empty fields",
        ),
        # Shared strings.
        Hostile(
            "shared-strings-1100000.xlsx",
            xlsx(strings=_shared_strings(1_100_000)),
            refused=MARKUP,
            what="1,100,000 shared strings",
        ),
        Hostile(
            "shared-strings-30-MB.xlsx",
            xlsx(strings=_shared_strings([_words(1_000_000, n) for n in range(30)])),
            tasks=2,
            what="30 shared strings of 1,000,000 characters",
        ),
        Hostile(
            "long-string.xlsx",
            xlsx(strings=_shared_strings([_words(12_000_000, 1)])),
            refused=LONG_TEXT,
            what="one shared string of 12,000,000 characters",
        ),
        # Deep XML, entities.
        Hostile(
            "deep-xml.xlsx", xlsx(after_data=_deep(100_000)), refused=DEPTH, what="100,000 nested elements"
        ),
        Hostile(
            "deep-xml.docx",
            docx(docx_table(TABLE) + _deep(100_000)),
            refused=DEPTH,
            what="100,000 nested elements",
        ),
        Hostile(
            "deep-xml.ods", ods(after_rows=_deep(100_000)), refused=DEPTH, what="100,000 nested elements"
        ),
        Hostile(
            "billion-laughs.xlsx",
            xlsx(strings=_billion_laughs()),
            refused=DTD,
            what="entities expanding to 10^9 characters",
        ),
        Hostile(
            "external-entity.docx",
            docx(
                external,
                prologue='<?xml version="1.0"?><!DOCTYPE w:document '
                '[<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
            ),
            refused=DTD,
            what="an external entity reading /etc/passwd",
        ),
        # NUL bytes and invisible characters.
        Hostile(
            "nul-after-8-KB.csv",
            nul_csv,
            tasks=2,
            what="NUL bytes past the first 8 KB (an HTTP 500 on PostgreSQL before)",
        ),
        Hostile(
            "hidden-characters.xlsx",
            xlsx(rows=TABLE[:4] + _with_hidden(TASKS[1:], XML_CONTROLS)),
            tasks=2,
            what="bidi overrides, zero-width characters, NUL and BEL in every cell",
        ),
        Hostile(
            "hidden-characters.csv",
            _csv(TABLE[:4] + _with_hidden(TASKS[1:], CONTROLS)),
            tasks=2,
            what="bidi overrides, zero-width characters, BEL and ESC in every cell",
        ),
        Hostile(
            "escaped-nul.xlsx", xlsx(rows=TABLE[:-1] + [escaped_nul]), tasks=2, what="a NUL written _x0000_"
        ),
        Hostile(
            "raw-nul.xlsx",
            xlsx(after_rows='<row r="30"><c r="A30" t="inlineStr"><is><t>a\x00b</t></is></c></row>'),
            refused=DAMAGED,
            what="a NUL byte in the XML",
        ),
        # Rows and columns.
        Hostile(
            "columns-50000.xlsx",
            xlsx(rows=TABLE + [fifty_thousand]),
            refused=TOO_MANY_COLUMNS,
            what="a row with text in 50,000 columns",
        ),
        Hostile(
            "columns-50000.csv",
            _csv(TABLE + [fifty_thousand]),
            refused=TOO_MANY_COLUMNS,
            what="a row with text in 50,000 columns",
        ),
        Hostile(
            "columns-50000-empty.xlsx",
            xlsx(after_rows=_styled_cells(400_000, per_row=50_000)),
            tasks=2,
            what="8 rows of empty formatted cells out to column 50,000",
        ),
        Hostile(
            "text-in-row-1048576.xlsx",
            xlsx(after_rows=sheet_rows([["x"]], first=MAX_ROW)),
            refused=TOO_MANY_ROWS,
            what="text in the sheet's last row",
        ),
        Hostile(
            "rows-1000000.docx",
            docx(docx_table(TABLE).replace("</w:tbl>", "<w:tr/>" * 1_000_000 + "</w:tbl>")),
            refused=TOO_MANY_ROWS,
            what="a table of 1,000,000 rows",
        ),
        Hostile("span-1000000.docx", docx(spanning), tasks=2, what="a cell spanning 1,000,000 columns"),
        Hostile(
            "repeated-text.ods",
            ods(after_rows=_ods_row(_ods_text_cell(MAX_COL), MAX_ROW)),
            refused=TOO_MANY_COLUMNS,
            what="a text cell repeated over the whole sheet",
        ),
        Hostile(
            "repeated-rows.ods",
            ods(after_rows=_ods_row(_ods_text_cell(), 1_000_000)),
            refused=TOO_MANY_ROWS,
            what="a row of text repeated 1,000,000 times",
        ),
        Hostile(
            "filler-and-spans.ods",
            ods(after_rows=_ods_row(filler, MAX_ROW - 6)),
            tasks=2,
            what="empty cells repeated and spanned to the end of the sheet",
        ),
        Hostile(
            "space-run.ods",
            ods(rows=TABLE[:-1], after_rows=space_run),
            tasks=2,
            what="<text:s> asking for 2,000,000,000 spaces",
        ),
        # Zip bombs.
        Hostile(
            "zip-bomb-ratio.xlsx",
            xlsx(extra={"xl/worksheets/sheet1.xml": _zeros(30)}),
            refused=UNPACKED,
            what="30 MB of zeros in 30 KB",
        ),
        Hostile(
            "zip-bomb-total.xlsx",
            xlsx(extra={f"xl/media/image{n}.png": _zeros(9) for n in range(12)}),
            refused=UNPACKED,
            what="12 parts of 9 MB: 108 MB unpacked",
        ),
        Hostile(
            "zip-declared-1-KB.xlsx",
            _lying_sizes(xlsx(after_rows=_styled_cells(300_000)), "xl/worksheets/sheet1.xml"),
            refused=DAMAGED,
            what="a sheet declaring 1 KB that inflates to 8 MB",
        ),
    ]
    return {item.name: item for item in files}


def preview(source, name):
    """The import preview of a file, as the upload builds it but with the Đồng Tháp catalogue read from
    the demo data instead of the database: raises ``AppendixError`` when the file is refused."""
    from agencies.catalog import read_catalog_csv
    from agencies.matching import AgencyMatcher
    from plans.appendix import AppendixError, read_sheets
    from plans.appendix.parsing import ERROR, find_task_sheet, parse_appendix
    from plans.appendix.preview import build_preview
    from tasks.deadlines import parse_deadline

    parsed = parse_appendix(find_task_sheet(read_sheets(source, name)))
    if not parsed.tasks:
        raise AppendixError(next(issue.message for issue in parsed.issues if issue.level == ERROR))
    matcher = AgencyMatcher(read_catalog_csv(DEMO / "agencies" / "dong-thap.csv"))
    return build_preview(parsed, matcher, datetime.date(2024, 4, 8), parse_deadline)
