"""A scanned PDF (pages that are images, no text layer) read with Tesseract into a ``Document``.

Each page is rendered on its own (never all of them at once), straightened (the small rotation of a
scan is measured on the projection profile of its ink and turned back), and searched for ruled tables:
long horizontal and vertical runs of ink are the table's lines. A table's cells are cut out between its
lines and read one by one, so that columns never mix; a boundary with no line in a row (a section title
spanning five columns) merges the cells it would have separated. The text outside the tables is read as
lines with their boxes and joined into paragraphs by ``paragraphs_from_lines``.

A table continued on the next page with the same columns is one ``Table``: the header printed again
there is dropped, and a row split by the page break (its continuation has an empty first column) is
joined back. Cells read with a mean word confidence below ``LOW_CONFIDENCE`` are listed in the table's
``low_confidence`` for a person to check.

Tesseract runs in a few processes at a time (``WORKERS``), each with one OpenMP thread: on a 2-core
server two single-threaded processes are much faster than one that spins up threads. One process reads a
whole batch of cells (each cell a page of its own, from a list file), since starting Tesseract and
loading its model costs more than reading a cell; the text outside the tables is read in strips.
"""

import csv
import difflib
import io
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import pypdfium2 as pdfium
from PIL import Image

try:
    import numpy as np
except ImportError:  # not installed: OCR is reported unavailable, the rest of the importer still works
    np = None

from agencies.names import fold_name
from plans.appendix.sheet import AppendixError, SheetBuilder, clean_cell_text
from plans.documents.model import Document, Line, Table, paragraphs_from_lines

TESSERACT = "tesseract"
LANGUAGE = "vie"
LOW_CONFIDENCE = 70  # mean word confidence (0–100) under which a cell is marked for checking
MAX_SCANNED_PAGES = 50  # default of ``limits.max_scanned_pages``
WORKERS = max(1, min(2, os.cpu_count() or 1))
DPI_MIN, DPI_MAX, DPI_DEFAULT = 200, 300, 200
TESSERACT_TIMEOUT = 120  # seconds for one cell or strip

OCR_UNAVAILABLE = (
    "Máy chủ chưa cài Tesseract OCR (gói tesseract-ocr, tesseract-ocr-vie) nên không đọc được bản quét."
)
NOT_A_PDF = "Không đọc được tệp PDF: tệp bị hỏng hoặc không phải PDF."
OCR_FAILED = "Không nhận dạng được chữ trên bản quét (Tesseract OCR báo lỗi). Vui lòng thử lại sau."


def too_many_pages(count, limit):
    return AppendixError(
        f"Bản quét có {count} trang; chỉ đọc được bản quét tối đa {limit} trang. "
        "Vui lòng tách riêng phần phụ lục (hoặc các trang cần đọc) rồi tải lên lại."
    )


@lru_cache(maxsize=1)
def ocr_available():
    """Is the Tesseract binary installed with its Vietnamese model (and numpy, for the images)?"""
    if np is None or not shutil.which(TESSERACT):
        return False
    try:
        listed = subprocess.run(
            [TESSERACT, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in listed.stdout.split()


# --- Tesseract ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float
    line: tuple  # (block, paragraph, line) as Tesseract numbers them


def _tesseract(source, psm, stdin=None):
    """Tesseract's TSV rows for ``source`` ("stdin", or a list file naming one image a line)."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            [TESSERACT, source, "stdout", "-l", LANGUAGE, "--psm", str(psm), "tsv"],
            input=stdin, capture_output=True, env=env, timeout=TESSERACT_TIMEOUT, check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise AppendixError(OCR_FAILED) from error
    if done.returncode != 0:
        raise AppendixError(OCR_FAILED)
    text = io.StringIO(done.stdout.decode("utf-8", "replace"))
    rows = csv.reader(text, delimiter="\t", quoting=csv.QUOTE_NONE)
    next(rows, None)
    for row in rows:
        if len(row) < 12 or row[0] != "5":
            continue
        text = unicodedata.normalize("NFC", row[11]).strip()
        if text:
            left, top, width, height = (int(value) for value in row[6:10])
            word = Word(text, left, top, left + width, top + height, float(row[10]), tuple(row[2:5]))
            yield int(row[1]), word


def run_tesseract(image, psm=6):
    """Words Tesseract reads on ``image`` (a PIL image), in its reading order."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return [word for _, word in _tesseract("stdin", psm, buffer.getvalue())]


def run_tesseract_many(images, psm=6):
    """Words of each image, all read by one Tesseract process (each image a page of its own): starting
    Tesseract and loading its model costs more than reading a table cell."""
    found = [[] for _ in images]
    if not images:
        return found
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
        names = []
        for index, image in enumerate(images):
            name = os.path.join(folder, f"{index:05d}.png")
            image.save(name, format="PNG", compress_level=1)
            names.append(name)
        listing = os.path.join(folder, "images.txt")
        with open(listing, "w", encoding="utf-8") as file:
            file.write("\n".join(names) + "\n")
        for page, word in _tesseract(listing, psm):
            if 1 <= page <= len(found):
                found[page - 1].append(word)
    return found


def word_lines(words):
    """Words grouped into Tesseract's lines, in order: [[Word, …], …]."""
    lines, keys = [], {}
    for word in words:
        if word.line not in keys:
            keys[word.line] = len(lines)
            lines.append([])
        lines[keys[word.line]].append(word)
    return lines


# --- Image ----------------------------------------------------------------------------------------------


def render_page(page):
    """(grayscale PIL image, dpi) of a page: the resolution of the scan it holds, within 200–300 dpi."""
    width_pt, height_pt = page.get_size()
    dpi = DPI_DEFAULT
    images = [obj for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    if len(images) == 1:
        try:
            pixels_wide, _ = images[0].get_px_size()
            left, _, right, _ = images[0].get_bounds()
            if right - left > 0.5 * width_pt:
                dpi = pixels_wide / ((right - left) / 72)
        except pdfium.PdfiumError:
            pass
    dpi = int(round(min(max(dpi, DPI_MIN), DPI_MAX)))
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    image = bitmap.to_pil().convert("L")
    bitmap.close()
    return image, dpi


def otsu(gray):
    """Otsu's threshold of a grayscale array: ink is ``<=`` it; -1 on a blank page (no contrast)."""
    if int(gray.max()) - int(gray.min()) <= 40:
        return -1
    histogram = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256)
    weight = np.cumsum(histogram)
    mean = np.cumsum(histogram * levels)
    total, total_mean = weight[-1], mean[-1]
    background = total - weight
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mean * weight - mean * total) ** 2 / (weight * background)
    between[~np.isfinite(between)] = 0
    return int(np.argmax(between[:-1]))


def binarise(gray):
    """(ink, clean ink) masks (True = dark) of a grayscale array by Otsu's threshold: ``ink`` as scanned,
    ``clean`` without the specks of noise (ink pixels with fewer than two inked neighbours)."""
    threshold = otsu(gray)
    ink = gray <= threshold
    padded = np.pad(ink, 1).astype(np.uint8)
    height, width = ink.shape
    neighbours = np.zeros(ink.shape, dtype=np.uint8)
    for dy in range(3):
        for dx in range(3):
            if dy != 1 or dx != 1:
                neighbours += padded[dy:dy + height, dx:dx + width]
    return ink, ink & (neighbours >= 2)


def estimate_skew(ink, limit=3.0):
    """Rotation of the page in degrees (counter-clockwise positive, as ``Image.rotate`` turns): the angle
    whose projection of the ink on the vertical axis is sharpest (text lines and rules in few rows)."""
    ys, xs = np.nonzero(ink[::2, ::2])
    if len(ys) < 500:
        return 0.0
    if len(ys) > 400_000:
        pick = np.random.default_rng(0).choice(len(ys), 400_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys, xs = ys.astype(np.float64), xs.astype(np.float64)

    def sharpness(angle):
        projected = np.round(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
        counts = np.bincount(projected - projected.min())
        return float(np.dot(counts, counts))

    best = max(np.arange(-limit, limit + 1e-9, 0.25), key=sharpness)
    best = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), key=sharpness)
    best = max(np.arange(best - 0.05, best + 0.05 + 1e-9, 0.01), key=sharpness)
    return float(best)


def _widen(mask):
    """The mask with each row's ink spread one pixel up and down and gaps of one pixel along the row
    bridged: a thin rule, turned back from a small rotation, still runs along one row."""
    wide = mask.copy()
    wide[1:] |= mask[:-1]
    wide[:-1] |= mask[1:]
    wide[:, 1:-1] |= wide[:, :-2] & wide[:, 2:]
    return wide


def _dilate(mask):
    """The mask grown by one pixel each way (3 × 3)."""
    grown = mask.copy()
    grown[1:] |= mask[:-1]
    grown[:-1] |= mask[1:]
    wide = grown.copy()
    wide[:, 1:] |= grown[:, :-1]
    wide[:, :-1] |= grown[:, 1:]
    return wide


def long_runs(ink, length, axis):
    """Pixels of ``ink`` lying in a run of at least ``length`` along ``axis`` (1: rows, 0: columns),
    a pixel of tolerance across the run."""
    mask = _widen(ink if axis == 1 else ink.T)
    height, width = mask.shape
    if width < length:
        return np.zeros_like(ink)
    sums = np.zeros((height, width + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, out=sums[:, 1:])
    starts = (sums[:, length:] - sums[:, :-length]) == length  # window [s, s + length) all ink
    # pixel x is covered when a full window starts in [x - length + 1, x]
    padded = np.pad(starts, ((0, 0), (length - 1, length - 1)))
    covered = np.zeros((height, padded.shape[1] + 1), dtype=np.int32)
    np.cumsum(padded, axis=1, out=covered[:, 1:])
    runs = ((covered[:, length:length + width] - covered[:, :width]) > 0) & (ink if axis == 1 else ink.T)
    return runs if axis == 1 else runs.T


def _groups(flags, gap=2):
    """[(start, end)] (end exclusive) of the runs of True in a 1-D array, bridging gaps ≤ ``gap``."""
    index = np.flatnonzero(flags)
    if not len(index):
        return []
    breaks = np.flatnonzero(np.diff(index) > gap + 1)
    starts = np.concatenate(([index[0]], index[breaks + 1]))
    ends = np.concatenate((index[breaks], [index[-1]])) + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


@dataclass(frozen=True)
class Rule:
    position: float  # y of a horizontal rule, x of a vertical one (centre)
    start: int  # extent along the rule
    end: int
    low: int  # thickness band
    high: int


def find_rules(mask, axis, min_length):
    """Rules of a line mask: horizontal (axis 1) or vertical (axis 0), each band of adjacent rows (or
    columns) cut into its segments along the rule."""
    mask = mask if axis == 1 else mask.T
    rules = []
    for low, high in _groups(mask.any(axis=1), gap=1):
        band = mask[low:high].any(axis=0)
        for start, end in _groups(band, gap=6):
            if end - start >= min_length:
                rules.append(Rule((low + high - 1) / 2, start, end, low, high))
    return rules


# --- Tables on a page ------------------------------------------------------------------------------------


@dataclass
class GridCell:
    row: int  # 0-based in the page's grid
    col: int
    last_row: int
    last_col: int
    box: tuple  # (left, top, right, bottom) in pixels, inside the lines
    text: str = ""
    confidences: list = field(default_factory=list)


@dataclass
class PageTable:
    top: float  # pixels
    bottom: float
    left: float
    right: float
    columns: tuple  # x of the column boundaries, as fractions of the table's width
    rows: int
    cols: int
    cells: list  # GridCell, row by row


def _union_find(size):
    parent = list(range(size))

    def find(item):
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(a, b):
        parent[find(a)] = find(b)

    return find, union


def find_tables(horizontal, vertical, dpi):
    """(ruled tables, mask of the rules' pixels) of a page from its horizontal and vertical line masks:
    groups of rules that cross, with at least two of each; each cut into its grid of cells (merged where
    a boundary has no line)."""
    tolerance = max(4, dpi // 25)
    h_rules = find_rules(horizontal, 1, dpi // 2)
    v_rules = find_rules(vertical, 0, dpi // 6)
    # The pixels of the rules, to wipe before reading: long horizontal rules anywhere, vertical ones
    # only at a table's column boundaries (a letter's stem is a short vertical run too).
    rules = np.zeros_like(horizontal)
    for h in h_rules:
        rules[h.low:h.high, h.start:h.end] |= horizontal[h.low:h.high, h.start:h.end]
    find, union = _union_find(len(h_rules) + len(v_rules))
    for i, h in enumerate(h_rules):
        for j, v in enumerate(v_rules):
            crosses_x = h.start - tolerance <= v.position <= h.end + tolerance
            crosses_y = v.start - tolerance <= h.position <= v.end + tolerance
            if crosses_x and crosses_y:
                union(i, len(h_rules) + j)
    groups = {}
    for index in range(len(h_rules) + len(v_rules)):
        groups.setdefault(find(index), []).append(index)
    tables = []
    for members in groups.values():
        hs = [h_rules[i] for i in members if i < len(h_rules)]
        vs = [v_rules[i - len(h_rules)] for i in members if i >= len(h_rules)]
        if len(hs) < 2 or len(vs) < 2:
            continue
        table = _grid(hs, vs, horizontal, vertical, tolerance, dpi)
        if table is None:
            continue
        tables.append(table)
        boundaries = [table.left + f * (table.right - table.left) for f in table.columns]
        for v in vs:
            if any(abs(v.position - x) <= tolerance for x in boundaries):
                rules[v.start:v.end, v.low:v.high] |= vertical[v.start:v.end, v.low:v.high]
    return sorted(tables, key=lambda table: table.top), rules


def _supported(rules, tolerance, min_length):
    """Positions of the rules (position, length), those within ``tolerance`` taken as one, kept when
    their lengths add up to ``min_length``: a letter's stroke touching a rule is no column boundary."""
    groups = []
    for position, length in sorted(rules):
        if groups and position - groups[-1][-1][0] <= tolerance:
            groups[-1].append((position, length))
        else:
            groups.append([(position, length)])
    return [
        sum(p * n for p, n in group) / sum(n for _, n in group)
        for group in groups
        if sum(n for _, n in group) >= min_length
    ]


def _grid(hs, vs, horizontal, vertical, tolerance, dpi):
    ys = _supported([(h.position, h.end - h.start) for h in hs], tolerance, dpi // 2)
    xs = _supported([(v.position, v.end - v.start) for v in vs], tolerance, dpi // 3)
    if len(ys) < 2 or len(xs) < 2:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    half = tolerance // 2 + 1

    def vertical_line(x, top, bottom):  # is there a vertical line at x between top and bottom?
        top, bottom = int(top) + tolerance, int(bottom) - tolerance
        if bottom <= top:
            return True
        strip = vertical[top:bottom, max(int(x) - half, 0):int(x) + half + 1]
        return strip.any(axis=1).mean() >= 0.5

    def horizontal_line(y, left, right):
        left, right = int(left) + tolerance, int(right) - tolerance
        if right <= left:
            return True
        strip = horizontal[max(int(y) - half, 0):int(y) + half + 1, left:right]
        return strip.any(axis=0).mean() >= 0.5

    find, union = _union_find(rows * cols)
    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not vertical_line(xs[c + 1], ys[r], ys[r + 1]):
                union(r * cols + c + 1, r * cols + c)
            if r + 1 < rows and not horizontal_line(ys[r + 1], xs[c], xs[c + 1]):
                union((r + 1) * cols + c, r * cols + c)
    spans = {}
    for r in range(rows):
        for c in range(cols):
            root = find(r * cols + c)
            r1, c1, r2, c2 = spans.get(root, (r, c, r, c))
            spans[root] = (min(r1, r), min(c1, c), max(r2, r), max(c2, c))
    cells = []
    for r1, c1, r2, c2 in sorted(spans.values()):
        box = (int(xs[c1]) + half + 1, int(ys[r1]) + half + 1, int(xs[c2 + 1]) - half, int(ys[r2 + 1]) - half)
        cells.append(GridCell(r1, c1, r2, c2, box))
    width = xs[-1] - xs[0]
    columns = tuple((x - xs[0]) / width for x in xs)
    return PageTable(ys[0], ys[-1], xs[0], xs[-1], columns, rows, cols, cells)


# --- A page ------------------------------------------------------------------------------------------------


@dataclass
class PageText:
    number: int
    height: float  # points
    lines: list  # Line, outside the tables, in reading order
    tables: list  # PageTable


_PAGE_NUMBER = re.compile(r"^[-–(\[]?\s*(?:trang\s*)?\d{1,4}\s*[-–)\]]?$", re.IGNORECASE)


def _cell_image(gray, lines_mask, box, pad=12):
    """The cell's pixels, lines and specks wiped, on a white margin (Tesseract reads edges badly)."""
    left, top, right, bottom = box
    crop = gray[top:bottom, left:right].copy()
    crop[lines_mask[top:bottom, left:right]] = 255
    return Image.fromarray(np.pad(crop, pad, constant_values=255))


CELL_SCALE = 1.35  # cells are enlarged before reading: Tesseract reads 12-pt text at 200 dpi better so


def _batches(cells, count):
    """The cells in ``count`` batches of about the same area, each kept in reading order."""
    batches, areas = [[] for _ in range(count)], [0] * count
    for cell in cells:
        left, top, right, bottom = cell.box
        index = areas.index(min(areas))
        batches[index].append(cell)
        areas[index] += (right - left) * (bottom - top)
    return [batch for batch in batches if batch]


def _prepared(images, threshold=-1):
    """Cell images enlarged, and made black on white with a ``threshold`` (≥ 0). Tesseract's LSTM reads
    the grey levels it is given: they keep the small diacritics of long text, while a lone short word
    ("STT", "I"), blurred and enlarged, is read better in black and white."""
    prepared = []
    for image in images:
        if CELL_SCALE != 1:
            size = (round(image.width * CELL_SCALE), round(image.height * CELL_SCALE))
            image = image.resize(size, Image.BICUBIC)
        if threshold >= 0:
            image = image.point(lambda value: 0 if value <= threshold else 255)
        prepared.append(image)
    return prepared


def _read_cells(images, psm, threshold=-1):
    return run_tesseract_many(_prepared(images, threshold), psm)


def _ink_box(ink, box, dpi):
    """The box of the ink inside a cell's box, with a little margin."""
    inset = dpi // 50  # the grey edge of the rules
    left, top, right, bottom = box
    crop = ink[top + inset:bottom - inset, left + inset:right - inset]
    rows, cols = np.flatnonzero(crop.any(axis=1)), np.flatnonzero(crop.any(axis=0))
    if not len(rows):
        return box
    rows, cols = rows + inset, cols + inset
    margin = dpi // 30
    return (
        max(left + int(cols[0]) - margin, left),
        max(top + int(rows[0]) - margin, top),
        min(left + int(cols[-1]) + 1 + margin, right),
        min(top + int(rows[-1]) + 1 + margin, bottom),
    )


def _is_short(ink, box, dpi):
    """One short line of text (an STT number, "x"): read as a single line, in black and white, since
    Tesseract drops or misreads a lone character taken as a block of text."""
    left, top, right, bottom = box
    if right - left > dpi * 0.6 or bottom - top > dpi * 0.4:
        return False
    return len(_groups(ink[top:bottom, left:right].any(axis=1), gap=dpi // 25)) == 1


def _has_ink(ink, box, dpi):
    left, top, right, bottom = box
    if right - left < 4 or bottom - top < 4:
        return False
    return int(ink[top:bottom, left:right].sum()) >= (dpi // 40) ** 2  # a thin "1" has 80 pixels at 200 dpi


def _text_strips(ink, dpi, parts):
    """Split the page's rows of ink into up to ``parts`` strips, cut in blank gaps between text lines."""
    rows = _groups(ink.sum(axis=1) > 2, gap=dpi // 40)
    if not rows:
        return []
    top, bottom = max(rows[0][0] - dpi // 20, 0), min(rows[-1][1] + dpi // 20, ink.shape[0])
    strips, start = [], top
    for index in range(1, parts):
        target = top + (bottom - top) * index / parts
        cuts = [(end + following) // 2 for (_, end), (following, _) in zip(rows, rows[1:], strict=False)]
        cuts = [cut for cut in cuts if start + dpi // 4 < cut < bottom - dpi // 4]
        if not cuts:
            break
        cut = min(cuts, key=lambda cut: abs(cut - target))
        strips.append((start, cut))
        start = cut
    strips.append((start, bottom))
    return strips


def _set_text(cell, words):
    cell.text = " ".join(word.text for line in word_lines(words) for word in line)
    # a cell with ink where nothing could be read is as doubtful as can be
    cell.confidences = [word.confidence for word in words if word.confidence >= 0] or [0.0]


# What a short cell usually holds: a number ("1", "1.2", "a)", "IV"), "x", or a header label ("STT").
_SHORT_CELL = re.compile(r"^(?:\(?(?:[IVXLC]+|\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]?|x|STT|TT)$")


def _likelier(words):
    """Score of a reading of a short cell: its mean confidence, more when it reads as what such cells
    hold."""
    if not words:
        return -1
    text = " ".join(word.text for word in words)
    confidence = sum(max(word.confidence, 0) for word in words) / len(words)
    return confidence + (50 if _SHORT_CELL.match(text) else 0)


def _split_at_gaps(lines, dpi):
    """Tesseract's lines cut where words lie far apart: the two columns of a layout table without
    borders (issuer and motto, "Nơi nhận" and the signature) are separate lines."""
    for words in lines:
        start = 0
        for index in range(1, len(words)):
            if words[index].left - words[index - 1].right > 0.3 * dpi:  # some 5 spaces
                yield words[start:index]
                start = index
        yield words[start:]


def read_page(image, dpi, number, pool):
    """The lines and tables of one rendered page."""
    gray = np.asarray(image, dtype=np.uint8)
    ink, clean = binarise(gray)
    angle = estimate_skew(clean)  # rules and text lines
    paper = int(np.median(gray[~ink])) if (~ink).any() else 255
    if abs(angle) >= 0.05:
        gray = np.asarray(image.rotate(-angle, resample=Image.BICUBIC, fillcolor=paper), dtype=np.uint8)
        ink, clean = binarise(gray)
    # The paper's tone made white: the cells are read on a white sheet, and must not show as grey boxes.
    if paper < 250:
        lut = np.minimum(np.arange(256) * (255 / max(paper, 1)), 255).astype(np.uint8)
        gray = lut[gray]
    threshold = otsu(gray)
    horizontal = long_runs(ink, max(dpi // 4, 20), axis=1)
    vertical = long_runs(ink, max(dpi // 7, 12), axis=0)
    tables, lines_mask = find_tables(horizontal, vertical, dpi)
    del horizontal, vertical
    lines_mask = _dilate(lines_mask)  # and the grey edges of the rules
    cells = [cell for table in tables for cell in table.cells if _has_ink(clean, cell.box, dpi)]
    short, long = [], []
    for cell in cells:
        box = _ink_box(clean & ~lines_mask, cell.box, dpi)
        (short if _is_short(clean, box, dpi) else long).append((cell, box))
    cell_jobs = [
        (batch, pool.submit(_read_cells, [_cell_image(gray, lines_mask, cell.box) for cell in batch], 6))
        for batch in _batches([cell for cell, _ in long], WORKERS)
    ]
    short_jobs = []
    if short:
        # Two readings of each short cell, in black and white and in grey: neither is right every time
        # on a lone numeral; the likelier one is kept (``_likelier``).
        images = [_cell_image(gray, lines_mask, box) for _, box in short]
        short_jobs = [pool.submit(_read_cells, images, 7, threshold), pool.submit(_read_cells, images, 7)]
    # Text outside the tables
    rest = gray.copy()
    rest_ink = clean.copy()
    margin = dpi // 40
    for table in tables:
        top, bottom = max(int(table.top) - margin, 0), int(table.bottom) + margin
        left, right = max(int(table.left) - margin, 0), int(table.right) + margin
        rest[top:bottom, left:right] = 255
        rest_ink[top:bottom, left:right] = False
    rest[lines_mask] = 255
    rest_ink &= ~lines_mask
    strip_jobs = []
    for top, bottom in _text_strips(rest_ink, dpi, WORKERS):
        strip = Image.fromarray(rest[top:bottom])
        strip_jobs.append((top, pool.submit(run_tesseract, strip, 4)))
    for batch, job in cell_jobs:
        for cell, words in zip(batch, job.result(), strict=True):
            _set_text(cell, words)
    if short_jobs:
        readings = zip(*(job.result() for job in short_jobs), strict=True)
        for (cell, _), words in zip(short, readings, strict=True):
            _set_text(cell, max(words, key=_likelier))
    scale = 72 / dpi
    page_lines = []
    height = gray.shape[0]
    for offset, job in strip_jobs:
        for words in _split_at_gaps(word_lines(job.result()), dpi):
            text = re.sub(r"\s+", " ", " ".join(word.text for word in words)).strip()
            top = min(word.top for word in words) + offset
            bottom = max(word.bottom for word in words) + offset
            in_margin = bottom < 0.1 * height or top > 0.9 * height
            if not text or (in_margin and _PAGE_NUMBER.match(text)):
                continue
            confidences = [word.confidence for word in words if word.confidence >= 0]
            page_lines.append(
                Line(
                    text=text,
                    x0=min(word.left for word in words) * scale,
                    x1=max(word.right for word in words) * scale,
                    top=top * scale,
                    bottom=bottom * scale,
                    page=number,
                    confidence=sum(confidences) / len(confidences) if confidences else None,
                )
            )
    for table in tables:
        table.top, table.bottom = table.top * scale, table.bottom * scale
    return PageText(number, height * scale, page_lines, tables)


# --- Post-correction --------------------------------------------------------------------------------------

_ROMAN = re.compile(r"^(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
# What OCR makes of the strokes of a Roman numeral: "l", "1", "|" for "I"; "H" for a bold "II".
_ROMANISH = re.compile(r"^([IVXLCl1|!H]+)([.)]?)$")


def fix_number_cell(text):
    """A Roman numeral of the STT column with the usual OCR confusions undone: "l" → "I", "1I" → "II",
    "V1" → "VI", "H" → "II", "VH" → "VII", "VỊ" → "VI". Arabic numbers and anything else are left as read."""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text.strip()) if not unicodedata.combining(ch))
    match = _ROMANISH.match(bare)  # "VỊ": the dot is the language model's guess, not ink
    if not match or match.group(1).isdigit():
        return text
    fixed = re.sub(r"[l1|!]", "I", match.group(1)).replace("H", "II")
    return fixed + match.group(2) if _ROMAN.match(fixed) else text


_ROMAN_VALUES = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90), ("L", 50),
                 ("XL", 40), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


def _roman(value):
    text = ""
    for letters, amount in _ROMAN_VALUES:
        count, value = divmod(value, amount)
        text += letters * count
    return text


def _roman_value(text):
    value, index = 0, 0
    for letters, amount in _ROMAN_VALUES:
        while text.startswith(letters, index):
            value += amount
            index += len(letters)
    return value


def clean_text(text):
    """NFC, blanks collapsed; three dots as the one character Word's AutoCorrect types for them."""
    text = re.sub(r"[ \t]+", " ", unicodedata.normalize("NFC", text)).strip()
    return re.sub(r"(?<!\.)\.\.\.(?!\.)", "…", text)


# --- Pages into a document --------------------------------------------------------------------------------


@dataclass
class _Row:
    cells: dict  # 0-based column -> [text, confidences]
    page: int


class _TableBuilder:
    """A table as it is read, page after page."""

    def __init__(self, page_table, page):
        self.page = page
        self.columns = page_table.columns
        self.cols = page_table.cols
        self.rows = []
        self.merges = []  # (first row, first col, last row, last col), 0-based
        self.header = []  # folded text of the first rows, to spot the header printed again
        self.add(page_table, page, continued=False)

    def matches(self, page_table):
        if page_table.cols != self.cols:
            return False
        return all(abs(a - b) <= 0.02 for a, b in zip(page_table.columns, self.columns, strict=True))

    def add(self, page_table, page, continued=True):
        grid = {}
        spans = {}
        for cell in page_table.cells:
            grid.setdefault(cell.row, {})[cell.col] = [clean_text(cell.text), list(cell.confidences)]
            spans[(cell.row, cell.col)] = (cell.last_row, cell.last_col)
        first = 0
        if continued:
            while first < page_table.rows and self._is_header(grid.get(first, {})):
                first += 1
        offset = len(self.rows) - first
        for index in range(first, page_table.rows):
            cells = grid.get(index, {})
            continuation = index == first and continued and self.rows and not cells.get(0, ["", []])[0]
            if continuation and any(text for text, _ in cells.values()):
                previous = self.rows[-1].cells
                for col, (text, confidences) in cells.items():
                    if not text:
                        continue
                    before = previous.setdefault(col, ["", []])
                    before[0] = f"{before[0]} {text}".strip()
                    before[1].extend(confidences)
                offset -= 1
                continue
            self.rows.append(_Row(cells, page))
        for (r1, c1), (r2, c2) in spans.items():
            if (r1, c1) != (r2, c2) and r1 >= first:
                self.merges.append((r1 + offset, c1, r2 + offset, c2))
        if not continued:
            self.header = [self._folded(self.rows[i].cells) for i in range(min(2, len(self.rows)))]

    @staticmethod
    def _folded(cells):
        return " ".join(fold_name(cells[col][0]) for col in sorted(cells) if cells[col][0])

    def _is_header(self, cells):
        text = self._folded(cells)
        return bool(text) and any(
            difflib.SequenceMatcher(None, text, header).ratio() >= 0.8 for header in self.header if header
        )

    def _number_column(self):
        head = " ".join(fold_name(row.cells.get(0, [""])[0]) for row in self.rows[:3])
        if re.search(r"\b(stt|tt)\b", head):
            return 0
        texts = [row.cells[0][0] for row in self.rows if row.cells.get(0, [""])[0]]
        return 0 if texts and sum(len(text) <= 5 for text in texts) >= 0.6 * len(texts) else None

    def _headings(self):
        """0-based rows whose cells right of the second column are merged into it (section titles)."""
        return {r1 for r1, c1, r2, c2 in self.merges if c1 == 1 and c2 == self.cols - 1 and c2 > c1}

    def _number_texts(self, number_column):
        """The number column's texts, Roman numerals mended (``fix_number_cell``), and the section
        numbers of the heading rows put in sequence where OCR misread their strokes, as a clerk reading
        "I, II, II, IV" or "I, II, M, IV" knows the third is "III": only in a table whose headings are
        numbered in Roman numerals."""
        texts = {r: fix_number_cell(row.cells[number_column][0]) for r, row in enumerate(self.rows)
                 if row.cells.get(number_column, [""])[0]}
        for r in range(min(2, len(self.rows))):  # the header's label, "SIT" or "S1T" for "STT"
            label = texts.get(r, "")
            if len(label) == 3 and difflib.SequenceMatcher(None, label.upper(), "STT").ratio() >= 0.6:
                texts[r] = "STT"
        headings = sorted(r for r in self._headings() if r in texts)
        ones = {r for r in headings if re.match(r"^[1l|]{1,3}[.)]?$", texts[r])}  # "1" or "I"?
        roman = [r for r in headings if r not in ones and _ROMAN.match(texts[r].rstrip(".)"))]
        if len(roman) < 2 or len(roman) < 0.6 * (len(headings) - len(ones)):
            return texts
        for r in ones:  # "1" heading a section of a table numbered I, II, III: the strokes of "I"
            texts[r] = re.sub(r"[1l|]", "I", texts[r])
        expected = 1
        for r in range(len(self.rows)):
            text = texts.get(r, "")
            marker, end = text.rstrip(".)"), text[len(text.rstrip(".)")):]
            if _ROMAN.match(marker):
                value = _roman_value(marker)
                wanted = _roman(expected)
                if r in headings and value != expected and marker.replace("I", "") == wanted.replace("I", ""):
                    texts[r] = wanted + end  # a stroke too many or too few: "II" for "III"
                    value = expected
                expected = value + 1
            elif r in headings and text and len(marker) <= 3 and not re.match(r"^(?:\d+|[A-G])$", marker):
                texts[r] = _roman(expected) + end  # unreadable: "M" for "III"
                expected += 1
        return texts

    def build(self, index, limits, budget):
        budget.add_cells(len(self.rows) * self.cols)
        builder = SheetBuilder(f"Bảng {index} (trang {self.page})", limits, budget)
        number_column = self._number_column()
        numbers = self._number_texts(number_column) if number_column is not None else {}
        low = set()
        for r, row in enumerate(self.rows, start=1):
            for col, (text, confidences) in row.cells.items():
                if col == number_column:
                    text = numbers.get(r - 1, text)
                text, removed = clean_cell_text(text)
                builder.put(r, col + 1, text, text, removed)
                if confidences and sum(confidences) / len(confidences) < LOW_CONFIDENCE:
                    low.add((r, col))
        for r1, c1, r2, c2 in self.merges:
            if r1 < len(self.rows):
                builder.merge(r1 + 1, c1 + 1, min(r2, len(self.rows) - 1) + 1, c2 + 1)
        return Table(builder.build(), page=self.page, from_ocr=True, low_confidence=frozenset(low))


class _DocumentBuilder:
    def __init__(self, limits, budget):
        self.limits, self.budget = limits, budget
        self.blocks = []
        self.lines = []  # lines since the last block
        self.table = None  # the table that may go on over the next page
        self.held = []  # lines printed above the table's continuations: they follow the table
        self.table_count = 0

    def add_page(self, page):
        # keep Tesseract's order for lines (two-column headers): sort only tables in among them
        ordered, queue = [], sorted(page.tables, key=lambda t: t.top)
        for line in page.lines:
            while queue and queue[0].top <= line.top:
                ordered.append(queue.pop(0))
            ordered.append(line)
        ordered.extend(queue)
        first_table = True
        for item in ordered:
            if isinstance(item, Line):
                self.lines.append(item)
                continue
            continues = (
                first_table
                and self.table is not None
                and all(line.page == page.number for line in self.lines)
                and self.table.matches(item)
            )
            first_table = False
            if continues:
                self.table.add(item, page.number)
                self.held.extend(self.lines)  # a page header above the continued table
                self.lines = []
                continue
            self.close_table()
            self.flush_lines()
            self.table = _TableBuilder(item, page.number)
        if self.table is not None and any(line.page == page.number and line.top > self._last_bottom(page)
                                          for line in self.lines):
            self.close_table()

    @staticmethod
    def _last_bottom(page):
        return max((table.bottom for table in page.tables), default=-1)

    def flush_lines(self):
        if self.lines:
            self.blocks.extend(paragraphs_from_lines(self.lines, from_ocr=True))
            self.lines = []

    def close_table(self):
        if self.table is not None:
            self.table_count += 1
            self.blocks.append(self.table.build(self.table_count, self.limits, self.budget))
            self.table = None
            self.lines = self.held + self.lines
            self.held = []

    def document(self, pages):
        self.close_table()
        self.flush_lines()
        return Document(blocks=self.blocks, pages=pages, from_ocr=True)


def _page_numbers(pages, total):
    if pages is None:
        return list(range(1, total + 1))
    numbers = sorted(set(pages))
    if any(not isinstance(n, int) or not 1 <= n <= total for n in numbers):
        raise ValueError(f"pages must be page numbers between 1 and {total}")
    return numbers


def read_scanned_pdf(data, limits, budget, progress=None, pages=None):
    """The ``Document`` of a scanned PDF, read with Tesseract (Vietnamese).

    ``pages``: 1-based numbers of the pages to read (default all). ``progress(done, total)`` is called
    after each page. Refused (``AppendixError``) with more pages than ``limits.max_scanned_pages``.
    """
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise AppendixError(NOT_A_PDF) from error
    try:
        total = len(pdf)
        limit = getattr(limits, "max_scanned_pages", MAX_SCANNED_PAGES)
        if total > limit:
            raise too_many_pages(total, limit)
        numbers = _page_numbers(pages, total)
        builder = _DocumentBuilder(limits, budget)
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for done, number in enumerate(numbers, start=1):
                page = pdf[number - 1]
                try:
                    image, dpi = render_page(page)
                finally:
                    page.close()
                builder.add_page(read_page(image, dpi, number, pool))
                del image
                if progress is not None:
                    progress(done, len(numbers))
        return builder.document(total)
    finally:
        pdf.close()
