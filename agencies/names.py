"""Normalisation of Vietnamese agency names and splitting of agency cells into mentions.

Pure functions, no Django: used by the appendix importer and by the agency matcher.
"""

import re
import unicodedata

# Combining tone marks (NFD): grave, acute, tilde, hook above, dot below.
_TONES = "\u0300\u0301\u0303\u0309\u0323"

# Old-style tone placement ("hoá", "uỷ") versus new style ("hóa", "ủy"): both are in use in official
# texts.  In NFD form, move a tone written on the second vowel of an open "oa"/"oe"/"uy" syllable onto
# the first vowel, so both spellings give the same key.  "qu" + "y" is left alone: there the "u" is part
# of the consonant ("quý").  A following letter means a closed syllable ("hoàn"), where the tone
# belongs on the second vowel in both styles.
_OLD_TONE_OA = re.compile(rf"([oO])([aAeE])([{_TONES}])(?![^\W\d_])")
_OLD_TONE_UY = re.compile(rf"(?<![qQ])([uU])([yY])([{_TONES}])(?![^\W\d_])")

_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
# Characters that show nothing yet change how text reads or compares: NUL and the other control
# characters (tab, line breaks and the whitespace controls excepted), bidirectional marks, embeddings,
# overrides and isolates (they can display a title reversed), zero-width spaces and joiners, the
# byte-order mark and the soft hyphen. PostgreSQL refuses NUL in text and JSON outright.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff]"
)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;.:)])")
_TRAILING_PUNCT = " \t\n\r\u00a0…,.;:"
_LEADING_BULLETS = " \t\n\r\u00a0-+•*·–—"


def unify_tone_placement(text):
    """Return ``text`` (any normal form) in NFC with old-style tone placement rewritten (hoá -> hóa)."""
    decomposed = unicodedata.normalize("NFD", text)
    decomposed = _OLD_TONE_OA.sub(r"\1\3\2", decomposed)
    decomposed = _OLD_TONE_UY.sub(r"\1\3\2", decomposed)
    return unicodedata.normalize("NFC", decomposed)


def remove_invisible(text):
    """``(text, count)``: ``text`` without its invisible and control characters (``_INVISIBLE``), and
    how many were removed. The one rule for them, wherever text comes in from outside."""
    return _INVISIBLE.subn("", text)


def clean_text(text):
    """NFC text without invisible characters, whitespace collapsed to single spaces (line breaks too)
    and ends stripped."""
    if text is None:
        return ""
    text, _removed = remove_invisible(unicodedata.normalize("NFC", str(text)))
    return " ".join(text.split())


def strip_trailing_punctuation(text):
    """Drop trailing ``…`` ``,`` ``.`` ``;`` ``:`` and spaces (``"báo, đài,…"`` -> ``"báo, đài"``)."""
    return text.rstrip(_TRAILING_PUNCT)


def normalize_name(text):
    """Comparison key of an agency name.

    NFC, tone placement unified, case-folded, dashes unified, whitespace collapsed, no space before
    punctuation, trailing ``… , . ; :`` stripped.  ``"Sở Văn hoá,  Thể thao và Du lịch."`` and
    ``"sở văn hóa, thể thao và du lịch"`` give the same key.
    """
    text = clean_text(text)
    text = _DASHES.sub("-", text)
    text = unify_tone_placement(text).casefold()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return strip_trailing_punctuation(text).strip()


def fold_accents(text):
    """Remove Vietnamese diacritics (đ -> d) from already-normalised text."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D")


def fold_name(text):
    """Accent-insensitive comparison key: ``normalize_name`` without diacritics."""
    return fold_accents(normalize_name(text))


# --- Splitting a cell into agency mentions ---------------------------------------------------------

# Words that open an agency name in any letter case ("các sở, ngành", "UBND", "Sở").
_STARTERS_ANY_CASE = (
    "sở", "ubnd", "ủy ban", "văn phòng", "vp", "công an", "các", "thanh tra", "ngân hàng", "nhnn",
    "tỉnh đoàn", "thành đoàn", "huyện đoàn", "bộ chỉ huy", "bch", "kho bạc", "bảo hiểm xã hội",
    "chi cục", "tổng cục", "hđnd", "ubmttq", "ủy ban mặt trận", "mặt trận", "liên đoàn", "tòa án",
    "viện kiểm sát", "bưu điện", "tổng công ty", "bcđ", "thường trực",
)
# Common nouns that open an agency name only when capitalised: "Báo Đồng Nai" but "báo, đài".
_STARTERS_CAPITALISED = (
    "Ban", "Báo", "Đài", "Bộ", "Cục", "Đoàn", "Hội", "Phòng", "Viện", "Trường", "Trung tâm", "Công ty",
    "Tập đoàn", "Thành viên", "Viễn thông", "Chi nhánh", "Hiệp hội",
)
# Place words: open a name only when a proper noun follows ("huyện Cao Lãnh", not "thị xã, thành phố").
_PLACE_WORDS = ("huyện", "thị xã", "thành phố", "tp", "tp.", "tx", "tx.", "quận", "xã", "phường", "thị trấn")
# After "các", these words continue an elliptic list of levels ("UBND các huyện, các xã").
_LEVEL_WORDS = {"huyện", "xã", "phường", "thị", "thành", "cấp", "tỉnh", "quận", "thôn", "ấp", "khóm"}

_SEPARATORS = re.compile(r"[;\n\r\u2028\u2029]+")
_AND_BEFORE_AGENCY = re.compile(r"\s+và\s+")


def _starts_with_phrase(words, phrase_words):
    return words[: len(phrase_words)] == phrase_words


def looks_like_agency(text):
    """True when ``text`` begins like an agency name (at least two words, opened by an agency word).

    A single word never counts, which keeps lists such as ``"Sở, Ban, ngành"`` together.
    """
    text = clean_text(text).lstrip(_LEADING_BULLETS)
    words = text.split()
    if len(words) < 2:
        return False
    folded_words = unify_tone_placement(text).casefold().split()
    for phrase in _PLACE_WORDS:
        phrase_words = phrase.split()
        if _starts_with_phrase(folded_words, phrase_words):
            following = words[len(phrase_words)] if len(words) > len(phrase_words) else ""
            return following[:1].isupper()
    if folded_words[0] == "các":
        return folded_words[1].strip(",") not in _LEVEL_WORDS
    for phrase in _STARTERS_ANY_CASE:
        phrase_words = unify_tone_placement(phrase).split()
        if _starts_with_phrase(folded_words, phrase_words) and len(words) > len(phrase_words):
            return True
    for phrase in _STARTERS_CAPITALISED:
        phrase_words = phrase.split()
        if words[: len(phrase_words)] == phrase_words and len(words) > len(phrase_words):
            return True
    return False


def _join_wrapped_lines(lines):
    """Re-join a name wrapped over two lines (``"Các sở, ngành" / "Tỉnh"``).

    A line continues the previous one when it does not open an agency name and is either a single word
    or starts in lower case.  Anything else is a new mention.
    """
    joined = []
    for raw in lines:
        line = clean_text(raw)
        if not line:
            continue
        bullet = line[:1] in _LEADING_BULLETS
        line = line.lstrip(_LEADING_BULLETS)
        continues = (
            joined
            and not bullet
            and not joined[-1].endswith((",", ";", "."))
            and not looks_like_agency(line)
            and (" " not in line or line[:1].islower())
        )
        if continues:
            joined[-1] = f"{joined[-1]} {line}"
        elif line:
            joined.append(line)
    return joined


def _split_on(part, pattern, joiner):
    """Split ``part`` on ``pattern`` only where the following piece opens an agency name."""
    pieces = pattern.split(part)
    mentions = [pieces[0]]
    for piece in pieces[1:]:
        if looks_like_agency(piece):
            mentions.append(piece)
        else:
            mentions[-1] = f"{mentions[-1]}{joiner}{piece}"
    return mentions


def split_mentions(cell):
    """Split an agency cell into mentions.

    Splits on ``;`` and line breaks, then on ``,`` (and `` và ``) only where the next piece opens an
    agency name, so ``"Sở Văn hóa, Thể thao và Du lịch"``, ``"UBND các huyện, thị xã, thành phố"``,
    ``"các Sở, Ban, ngành"`` and the elliptic ``"UBND cấp huyện, cấp xã"`` stay whole.  Each mention is
    NFC, whitespace-collapsed, without leading bullets or trailing ``… , . ;``.
    """
    if cell is None:
        return []
    text = unicodedata.normalize("NFC", str(cell))
    mentions = []
    for part in _join_wrapped_lines(_SEPARATORS.split(text)):
        for piece in _split_on(part, re.compile(","), ","):
            for mention in _split_on(piece, _AND_BEFORE_AGENCY, " và "):
                mention = strip_trailing_punctuation(clean_text(mention).lstrip(_LEADING_BULLETS)).strip()
                if mention:
                    mentions.append(mention)
    return mentions
