"""Word's automatic numbering: the labels ("I.", "1.", "a)", "-") Word prints before a paragraph of a
numbered list, which are not in the paragraph's text.

Many plans number their sections, their task headings and the STT column of their appendix with
Word lists instead of typing the numbers; without the labels a reader would see "Rà soát …" where
the page shows "1. Rà soát …". ``Numbering`` reads ``word/numbering.xml`` (levels of each list:
start, format, label template, restarts) and gives each numbered paragraph its label in document
order, as Word counts: one counter per list and level, the deeper levels restarting after a higher
one.
"""

from dataclasses import dataclass, field

from plans.appendix.zipxml import events

NUMBERING = "word/numbering.xml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_KEEP = {"lvl", "start", "numFmt", "lvlText", "lvlRestart", "abstractNumId", "lvlOverride", "startOverride"}
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
# Symbol-font bullets print as private-use characters; a plan's bullets are dashes, pluses or dots.
_BULLETS = {
    "-": "-", "\u2013": "-", "\u2014": "-", "+": "+", "\uf02d": "-", "\uf0b7": "•", "•": "•", "o": "•",
    "\uf0a7": "•", "\uf0d8": "•", "\uf076": "•", "§": "•",
}
MAX_LEVELS = 9


@dataclass(frozen=True)
class Level:
    start: int = 1
    format: str = "decimal"
    text: str = "%1."


@dataclass
class Numbering:
    levels: dict = field(default_factory=dict)  # numId -> {ilvl: Level}
    counters: dict = field(default_factory=dict)  # numId -> [count per level]

    @classmethod
    def read(cls, archive, budget):
        """The lists of the document (none when it has no numbering part)."""
        if NUMBERING not in archive.namelist():
            return cls()
        abstract, instances = {}, {}
        for _, node, _ in events(archive, NUMBERING, budget, held={"abstractNum", "num"}, keep=_KEEP):
            if node.tag == "abstractNum":
                abstract[node.get(f"{{{W}}}abstractNumId")] = _levels(node)
            else:
                instances[node.get(f"{{{W}}}numId")] = node
        levels = {}
        for num_id, node in instances.items():
            base = _child(node, "abstractNumId")
            own = dict(abstract.get(base.get(f"{{{W}}}val") if base is not None else None, {}))
            for override in (child for child in node if child.tag == "lvlOverride"):
                level = _int(override.get(f"{{{W}}}ilvl"), 0)
                start = _child(override, "startOverride")
                if start is not None and level in own:
                    current = own[level]
                    own[level] = Level(_int(start.get(f"{{{W}}}val"), 1), current.format, current.text)
            levels[num_id] = own
        return cls(levels)

    def label(self, num_id, level):
        """The label of the next paragraph of list ``num_id`` at ``level`` ("" for none)."""
        levels = self.levels.get(num_id)
        if not levels or level not in levels or not 0 <= level < MAX_LEVELS:
            return ""
        counts = self.counters.setdefault(num_id, [0] * MAX_LEVELS)
        counts[level] = counts[level] + 1 if counts[level] else levels[level].start
        for deeper in range(level + 1, MAX_LEVELS):
            counts[deeper] = 0
        spec = levels[level]
        if spec.format == "bullet":
            return _BULLETS.get(spec.text.strip(), "•")
        if spec.format == "none":
            return ""
        text = spec.text
        for shown in range(level, -1, -1):  # "%10" is not a thing: one digit per level
            value = counts[shown] or (levels[shown].start if shown in levels else 1)
            fmt = levels[shown].format if shown in levels else "decimal"
            text = text.replace(f"%{shown + 1}", _formatted(value, fmt))
        return text


def _levels(node):
    levels = {}
    for lvl in (child for child in node if child.tag == "lvl"):
        index = _int(lvl.get(f"{{{W}}}ilvl"), 0)
        start, fmt, text = (_child(lvl, name) for name in ("start", "numFmt", "lvlText"))
        levels[index] = Level(
            _int(start.get(f"{{{W}}}val"), 1) if start is not None else 1,
            fmt.get(f"{{{W}}}val", "decimal") if fmt is not None else "decimal",
            text.get(f"{{{W}}}val", "") if text is not None else "",
        )
    return levels


def _formatted(value, fmt):
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("upperLetter", "lowerLetter"):
        letter = _letters(value)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value):
    if not 0 < value < 4000:
        return str(value)
    out = []
    for amount, numeral in _ROMAN:
        while value >= amount:
            out.append(numeral)
            value -= amount
    return "".join(out)


def _letters(value):
    """Word's letters: a … z, then aa, bb …"""
    if value < 1:
        return str(value)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _child(node, name):
    return next((child for child in node if child.tag == name), None)


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
