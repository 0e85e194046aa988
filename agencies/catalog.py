"""Agency catalogs as CSV: ``canonical_name, short_names (| separated), kind, parent`` and, optionally,
``active_from`` (ISO date: an agency created by the 2025 reorganisation).

The demo-data loader and the appendix tests read the catalogs in ``plans/demo_data/agencies/`` with
``read_catalog_csv``; nothing here touches the database.
"""

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ALIAS_SEPARATOR = "|"
REQUIRED_COLUMNS = ("canonical_name", "short_names", "kind", "parent")


@dataclass(frozen=True)
class CatalogEntry:
    """One agency of a province catalog."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""
    parent: str = ""
    active_from: datetime.date | None = None


def _clean(value):
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def _parse(text):
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"catalog CSV lacks columns: {', '.join(missing)}")
    entries = []
    for row in reader:
        name = _clean(row["canonical_name"])
        if not name:
            continue
        aliases = tuple(
            alias for alias in (_clean(a) for a in (row["short_names"] or "").split(ALIAS_SEPARATOR)) if alias
        )
        active_from = _clean(row.get("active_from"))
        entries.append(CatalogEntry(
            name, aliases, _clean(row["kind"]), _clean(row["parent"]),
            datetime.date.fromisoformat(active_from) if active_from else None,
        ))
    return entries


def read_catalog_csv(path_or_file):
    """Read a catalog CSV (path, or text/binary file object; UTF-8 with or without BOM)."""
    if isinstance(path_or_file, (str, Path)):
        return _parse(Path(path_or_file).read_text(encoding="utf-8-sig"))
    content = path_or_file.read()
    if isinstance(content, bytes):
        content = content.decode("utf-8-sig")
    return _parse(content.lstrip("\ufeff"))
