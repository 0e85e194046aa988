"""Zip containers (xlsx, ods, docx) and their XML parts, read within bounds.

The container is checked from its directory before anything is inflated: the number of parts, their
declared sizes and how densely each is compressed. Python's zipfile never inflates a part beyond its
declared size, so the declared sizes bound what reading can cost.

Parts are then parsed as a stream by lxml, handing each element to a parser target instead of
building a tree: entities are left unresolved, nothing is fetched, a part carrying a DTD is refused
(Office files never have one: it is how entity bombs and external entities get in), and so is one
nesting elements deeper than 256 levels (libxml2's own limit, which it does not apply when it builds no
tree). Only the records a reader asks for (a cell, a shared string) are built, one at a time and within
bounds, so a part of any size is read in constant memory.
"""

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from plans.appendix.sheet import PROTECTED, AppendixError, megabytes, number

MAX_ZIP_ENTRIES = 5_000
MAX_COMPRESSION_RATIO = 100  # only checked above RATIO_CHECK_FROM: small parts may compress very well
RATIO_CHECK_FROM = 10 * 1024 * 1024
# What one record (a cell, a shared string) may hold: a cell of rich text has a few dozen elements, and
# Excel's cells hold at most 32,767 characters. Office files nest a few dozen levels deep.
MAX_RECORD_ELEMENTS = 10_000
MAX_RECORD_CHARACTERS = 1_000_000
MAX_DEPTH = 256
CHUNK_BYTES = 64 * 1024
_TAIL = 64

_BOMB = "nghi là tệp nén độc hại, hệ thống từ chối xử lý."
_SUSPICIOUS = "nghi là tệp độc hại, hệ thống từ chối xử lý."


def open_zip(data, limits):
    """The container of ``data`` once its directory shows nothing abnormal (zip bomb guard)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise AppendixError("Tệp bị hỏng: không giải nén được nội dung.") from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise AppendixError(
            f"Tệp có số thành phần nén bất thường ({number(len(infos))}; tối đa {number(MAX_ZIP_ENTRIES)}), "
            + _BOMB
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_unpacked_bytes:
        raise AppendixError(
            f"Tệp có dung lượng sau giải nén bất thường ({megabytes(total)} MB; tối đa "
            f"{megabytes(limits.max_unpacked_bytes)} MB), " + _BOMB
        )
    for info in infos:
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > RATIO_CHECK_FROM and ratio > MAX_COMPRESSION_RATIO:
            raise AppendixError(
                f"Tệp có dung lượng sau giải nén bất thường (phần «{info.filename[:100]}» nén tới "
                f"{number(round(ratio))} lần; tối đa {MAX_COMPRESSION_RATIO} lần), " + _BOMB
            )
    if any(info.flag_bits & 0x1 for info in infos):
        raise AppendixError(PROTECTED)
    return archive


@dataclass(frozen=True)
class Survey:
    counts: Counter  # elements by local name
    markup: int  # "<" and "&": the tags and references of the part, each a call of the parser's target


def survey(archive, name, local_names=(), stop=None):
    """The part ``name`` counted in its raw text at the speed of a regular expression, before any
    parsing: its elements named ``local_names`` (a comment or a CDATA section naming one counts too:
    never fewer than there are) and its markup. Counting stops once the markup passes ``stop``."""
    names = b"|".join(re.escape(local.encode()) for local in local_names) or b"(?!)"
    # A tag's start is at most 1 + 33 + a name + 1 bytes: one beginning in the last _TAIL bytes of a
    # chunk may be cut short, so it is counted with the next chunk.
    pattern = re.compile(rb"<(?:[\w.-]{1,32}:)?(" + names + rb")[\s/>]")
    counts, markup, carry = Counter(), 0, b""
    with archive.open(name) as stream:
        while (stop is None or markup <= stop) and (chunk := stream.read(CHUNK_BYTES * 16)):
            markup += chunk.count(b"<") + chunk.count(b"&")
            block = carry + chunk
            cut = block.rfind(b"<", max(0, len(block) - _TAIL))
            cut = len(block) if cut < 0 else cut
            counts.update(pattern.findall(block, 0, cut))
            carry = block[cut:]
    counts.update(pattern.findall(carry))
    return Survey(Counter({local.decode(): count for local, count in counts.items()}), markup)


START, END = "start", "end"


class Node:
    """An element of a record: its local name, its attributes (names as lxml gives them,
    ``{namespace}name``), its text, its children and the text after it."""

    __slots__ = ("tag", "attrib", "text", "tail", "children")

    def __init__(self, tag, attrib):
        self.tag, self.attrib, self.text, self.tail, self.children = tag, attrib, "", "", ()

    def get(self, key, default=None):
        return self.attrib.get(key, default)

    def __iter__(self):
        return iter(self.children)


def events(archive, name, budget, *, starts=(), ends=(), held=(), keep=None, cells=()):
    """``(event, node, parents)`` of the part ``name`` in document order: ``START`` for the elements
    named in ``starts`` (with their attributes), ``END`` for those named in ``ends`` and ``held`` (the
    held ones with their subtree: a record, such as a cell; inside it, only the elements named in
    ``keep`` when it is given, the others left out with what they hold); ``parents`` are the local
    names of the enclosing elements, outermost first. Names are local: transitional and strict Office
    files name the same things in different namespaces. No tree is built but the records'.

    Before anything is parsed, the part's markup is charged to ``budget`` (``sheet.Budget``) and so are
    the elements named in ``cells``, as cells."""
    declared = survey(archive, name, cells, stop=budget.limits.max_elements - budget.markup)
    budget.add_markup(declared.markup)
    budget.add_cells(declared.counts.total())
    target = _Target(name, frozenset(starts), frozenset(ends), frozenset(held), keep and frozenset(keep))
    parser = etree.XMLParser(
        target=target, resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True,
        remove_pis=True,
    )
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            parser.feed(chunk)
            yield from target.ready
            target.ready.clear()
    parser.close()
    yield from target.ready


class _Target:
    """lxml's parser calls these as it reads (``XMLParser(target=…)``); ``ready`` collects the events
    of the chunk being read. Text between two tags may come in several pieces: they wait in ``pieces``
    until the next tag says whose text or tail they are. Called for every element of the part, these
    are kept short: a sheet may have half a million cells."""

    def __init__(self, part, starts, ends, held, keep):
        self.part, self.starts, self.ends, self.held, self.keep = part, starts, ends, held, keep
        self.skipping = 0  # depth inside an element of a record left out (not in ``keep``)
        self.local_names = {}  # tag -> local name
        self.names = []  # local names of the open elements
        self.attributes = []  # attributes of the open elements an END is wanted of, outside records
        self.record = []  # the open nodes of the record being built, outermost first
        self.size = self.characters = 0  # nodes and characters of that record
        self.pieces = []
        self.ready = []

    def doctype(self, *args):
        raise self._refused("có khai báo DTD hoặc thực thể XML (tệp Office không có)")

    def start(self, tag, attrib):
        names, record = self.names, self.record
        if len(names) >= MAX_DEPTH:
            raise self._refused(f"các thành phần XML lồng nhau quá {MAX_DEPTH} cấp")
        name = self.local_names.get(tag) or self.local_names.setdefault(tag, tag.rpartition("}")[2])
        if self.skipping or (record and self.keep is not None and name not in self.keep):
            self.skipping += 1
        elif record:
            if self.pieces:
                self._place_text()
            self.size += 1
            if self.size > MAX_RECORD_ELEMENTS:
                raise self._refused(f"một ô chứa hơn {number(MAX_RECORD_ELEMENTS)} thành phần XML")
            node, parent = Node(name, attrib), record[-1]
            if parent.children:
                parent.children.append(node)
            else:
                parent.children = [node]
            record.append(node)
        elif name in self.held:
            record.append(Node(name, attrib))
            self.size = self.characters = 0
        else:
            if name in self.starts:
                self.ready.append((START, Node(name, attrib), tuple(names)))
            if name in self.ends:
                self.attributes.append(attrib)
        names.append(name)

    def end(self, tag):
        names, record = self.names, self.record
        name = names.pop()
        if self.skipping:
            self.skipping -= 1
        elif record:
            if self.pieces:
                self._place_text()
            node = record.pop()
            if not record:
                self.ready.append((END, node, tuple(names)))
        elif name in self.ends:
            self.ready.append((END, Node(name, self.attributes.pop()), tuple(names)))

    def data(self, text):
        if self.record and not self.skipping:
            self.characters += len(text)
            if self.characters > MAX_RECORD_CHARACTERS:
                raise self._refused(f"một ô có hơn {number(MAX_RECORD_CHARACTERS)} ký tự")
            self.pieces.append(text)

    def _place_text(self):
        text = self.pieces[0] if len(self.pieces) == 1 else "".join(self.pieces)
        self.pieces = []
        node = self.record[-1]
        if node.children:
            node.children[-1].tail = text
        else:
            node.text = text

    def _refused(self, reason):
        return AppendixError(
            f"Tệp có cấu trúc bất thường: trong phần «{self.part}», {reason}; " + _SUSPICIOUS
        )

    def close(self):
        return None
