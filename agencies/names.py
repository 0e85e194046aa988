"""Normalisation of Vietnamese agency names and splitting of agency cells into mentions.

Pure functions, no Django: used by the appendix importer and by the agency matcher.
"""

import functools
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


# Bounded caches on the hot pure str -> str functions: an appendix repeats the same few agency cells,
# codes and labels over thousands of rows (issue 16). Coordinator cells combine agencies: a 20,000-row
# file may have 15,000 distinct ones, each a few dozen characters (a few MB in all).
_CACHE_SIZE = 65_536


@functools.lru_cache(maxsize=_CACHE_SIZE)
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
    return _clean_text(text if type(text) is str else str(text))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _clean_text(text):
    text, _removed = remove_invisible(unicodedata.normalize("NFC", text))
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


@functools.lru_cache(maxsize=_CACHE_SIZE)
def fold_name(text):
    """Accent-insensitive comparison key: ``normalize_name`` without diacritics."""
    return fold_accents(normalize_name(text))


# --- Splitting a cell into agency mentions ---------------------------------------------------------

# Words that open an agency name in any letter case ("các sở, ngành", "UBND", "Sở").
_STARTERS_ANY_CASE = (
    "sở", "ubnd", "ủy ban", "văn phòng", "vp", "công an", "các", "thanh tra", "ngân hàng", "nhnn",
    "tỉnh đoàn", "thành đoàn", "huyện đoàn", "bộ chỉ huy", "bch", "kho bạc", "bảo hiểm xã hội",
    "chi cục", "tổng cục", "hđnd", "ubmttq", "ủy ban mặt trận", "mặt trận", "liên đoàn", "tòa án",
    "viện kiểm sát", "bưu điện", "tổng công ty", "bcđ", "thường trực", "cơ quan", "đảng ủy",
)
# A role, not an agency, after "cơ quan": "Cơ quan chủ trì", "cơ quan thường trực".
_ROLES = ("chủ trì", "phối hợp", "thường trực", "thực hiện", "tham mưu", "đầu mối")
# Names complete in themselves ("Tỉnh đoàn"): an agency even with no word after them.
_COMPLETE_NAMES = ("tỉnh đoàn", "thành đoàn", "huyện đoàn", "tỉnh ủy", "thành ủy", "huyện ủy")
# Common nouns that open an agency name only when capitalised: "Báo Đồng Nai" but "báo, đài";
# "Thuế tỉnh" (the tax office since 2025) but "thuế, phí".
_STARTERS_CAPITALISED = (
    "Ban", "Báo", "Đài", "Bộ", "Cục", "Vụ", "Đoàn", "Hội", "Phòng", "Viện", "Trường", "Trung tâm",
    "Công ty", "Tập đoàn", "Thành viên", "Viễn thông", "Chi nhánh", "Hiệp hội", "Thuế", "Liên minh",
    "Liên hiệp", "Bệnh viện", "Học viện", "Hải quan",
)
# Place words: open a name only when a proper noun follows ("huyện Cao Lãnh", not "thị xã, thành phố").
_PLACE_WORDS = ("huyện", "thị xã", "thành phố", "tp", "tp.", "tx", "tx.", "quận", "xã", "phường", "thị trấn")
# After "các", these words continue an elliptic list of levels ("UBND các huyện, các xã", "các đặc khu")
# or name places, not agencies ("Ban Quản lý Khu kinh tế và các khu công nghiệp").
_LEVEL_WORDS = {
    "huyện", "xã", "phường", "thị", "thành", "cấp", "tỉnh", "quận", "thôn", "ấp", "khóm", "đặc", "khu", "cụm",
}
# Kinds of agency written as bare items of an elliptic list: "Các Vụ, Cục, Viện, Trường thuộc Bộ",
# "Các sở, ngành, cơ quan liên quan".  After such an item a piece opened by one of these kinds continues
# the list unless a proper name follows the kind ("Các Sở, Ban, ngành, Hội Nông dân tỉnh").
_LIST_KINDS = {
    "sở", "ban", "ngành", "bộ", "vụ", "cục", "viện", "trường", "hội", "đoàn", "đoàn thể", "phòng",
    "trung tâm", "cơ quan", "đơn vị", "tổ chức", "doanh nghiệp", "địa phương", "văn phòng",
}
# Generic kinds that open a list of their own after a named agency: "Sở Nội vụ, cơ quan, đơn vị liên
# quan", "Sở Tài chính và cơ quan, đơn vị liên quan".
_GENERIC_KINDS = ("cơ quan", "đơn vị")
_GENERIC_LISTS = tuple(f"{kind}," for kind in _GENERIC_KINDS)
# "Văn phòng HĐND và UBND tỉnh", "Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh": one office serving several
# elected bodies.  The "và" (or comma) between the bodies is inside the office's name.
_BODY = r"(?:hđnd|ubnd|hội đồng nhân dân|ủy ban nhân dân|đoàn đbqh|đoàn đại biểu quốc hội)"
_JOINT_OFFICE_HEAD = re.compile(rf"văn phòng {_BODY}(?:(?:,| và) {_BODY})*")
_BODY_START = re.compile(rf"{_BODY}\b")

_SEPARATORS = re.compile(r"[;\n\r\u2028\u2029]+")
_COMMA = re.compile(",")
_AND_BEFORE_AGENCY = re.compile(r"\s+và\s+")


def _phrases(phrases):
    return tuple(unify_tone_placement(phrase).split() for phrase in phrases)


_STARTER_WORDS_ANY_CASE = _phrases(_STARTERS_ANY_CASE)
_COMPLETE_NAME_WORDS = _phrases(_COMPLETE_NAMES)
_STARTER_WORDS_CAPITALISED = _phrases(_STARTERS_CAPITALISED)
_PLACE_WORD_LISTS = _phrases(_PLACE_WORDS)
_LIST_KIND_WORDS = _phrases(sorted(_LIST_KINDS, key=lambda kind: -len(kind.split())))


def _starts_with_phrase(words, phrase_words):
    return words[: len(phrase_words)] == phrase_words


def _key(text):
    """Tone-unified, case-folded, whitespace-collapsed text without leading bullets."""
    return " ".join(unify_tone_placement(clean_text(text).lstrip(_LEADING_BULLETS)).casefold().split())


def looks_like_agency(text):
    """True when ``text`` begins like an agency name (at least two words, opened by an agency word).

    A single word never counts, which keeps lists such as ``"Sở, Ban, ngành"`` together.
    """
    return _looks_like_agency("" if text is None else str(text))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _looks_like_agency(text):
    text = unify_tone_placement(clean_text(text).lstrip(_LEADING_BULLETS))
    words = text.split()
    if len(words) < 2:
        return False
    folded_words = text.casefold().split()
    for phrase_words in _PLACE_WORD_LISTS:
        if _starts_with_phrase(folded_words, phrase_words):
            following = words[len(phrase_words)] if len(words) > len(phrase_words) else ""
            if phrase_words == ["xã"] and following.casefold().startswith("hội"):
                return False  # "Xã hội" ends "Lao động - Thương binh và Xã hội"
            return following[:1].isupper()
    if folded_words[0] == "các":
        return folded_words[1].strip(",") not in _LEVEL_WORDS
    for phrase_words in _COMPLETE_NAME_WORDS:
        if _starts_with_phrase(folded_words, phrase_words):
            return True
    for phrase_words in _STARTER_WORDS_ANY_CASE:
        if _starts_with_phrase(folded_words, phrase_words) and len(words) > len(phrase_words):
            rest = " ".join(folded_words[len(phrase_words) :])
            return not (phrase_words == ["cơ", "quan"] and rest.startswith(_ROLES))
    for phrase_words in _STARTER_WORDS_CAPITALISED:
        if _starts_with_phrase(words, phrase_words) and len(words) > len(phrase_words):
            return True
    return False


def _list_kind(text):
    """The words of the elliptic-list kind ``text`` opens with (``"Trường thuộc Bộ"`` -> trường), or None."""
    folded = _key(text).split()
    if folded[:1] == ["các"]:
        folded = folded[1:]
    for phrase_words in _LIST_KIND_WORDS:
        if _starts_with_phrase(folded, phrase_words):
            return phrase_words
    return None


def _is_bare_list_item(text):
    """True for a bare kind of agency in an elliptic list: ``"Các Vụ"``, ``"ngành"``, ``"cơ quan"``."""
    kind = _list_kind(text)
    return kind is not None and len(kind) == len(_key(text).removeprefix("các ").split())


def _continues_list(previous, piece):
    """True when ``piece`` goes on the elliptic list that ``previous`` (a bare kind) belongs to."""
    previous = _AND_BEFORE_AGENCY.split(previous)[-1]  # "Bộ Quốc phòng và các bộ" ends with "các bộ"
    if not _is_bare_list_item(previous) or _key(piece).startswith("các "):
        return False
    kind = _list_kind(piece)
    if kind is None:
        return False
    words = clean_text(piece).lstrip(_LEADING_BULLETS).split()
    following = words[len(kind)] if len(words) > len(kind) else ""
    return not (following[:1].isupper() or following[:1].isdigit())


def _inside_joint_office(left, right):
    """True for ``"Văn phòng HĐND"`` + ``"UBND tỉnh"``: the separator is inside the office's name."""
    return bool(_JOINT_OFFICE_HEAD.fullmatch(_key(left)) and _BODY_START.match(_key(right)))


def _split_outside_parentheses(text, pattern):
    """``pattern.split(text)``, but never at a match inside parentheses."""
    depth_before = []
    depth = 0
    for char in text:
        depth_before.append(depth)
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
    pieces, start = [], 0
    for match in pattern.finditer(text):
        if depth_before[match.start()] == 0:
            pieces.append(text[start : match.start()])
            start = match.end()
    pieces.append(text[start:])
    return pieces


def _opens_parenthesis(text):
    return text.count("(") > text.count(")")


def _join_wrapped_lines(lines):
    """Re-join a name wrapped over two lines (``"Các sở, ngành" / "Tỉnh"``).

    A line continues the previous one when it does not open an agency name and is either a single word
    or starts in lower case, and always when it opens with ``(`` or the previous line left a
    parenthesis open.  Anything else is a new mention.
    """
    joined = []
    for raw in lines:
        line = clean_text(raw)
        if not line:
            continue
        bullet = line[:1] in _LEADING_BULLETS
        line = line.lstrip(_LEADING_BULLETS)
        in_parentheses = joined and not bullet and (line.startswith("(") or _opens_parenthesis(joined[-1]))
        continues = in_parentheses or (
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


def _split_on_commas(part):
    """Split ``part`` on commas where the next piece opens an agency name of its own."""
    pieces = _split_outside_parentheses(part, _COMMA)
    mentions = [pieces[0]]
    for previous, piece in zip(pieces, pieces[1:], strict=False):
        generic = _key(piece) in _GENERIC_KINDS and looks_like_agency(previous)  # "Sở Nội vụ, cơ quan, …"
        new = (
            (looks_like_agency(piece) or generic)
            and not _continues_list(previous, piece)
            and not _inside_joint_office(mentions[-1], piece)
        )
        if new:
            mentions.append(piece)
        else:
            mentions[-1] = f"{mentions[-1]},{piece}"
    return mentions


def _split_on_and(part):
    """Split ``part`` on " và " where an agency name follows and the "và" is inside no name."""
    pieces = _split_outside_parentheses(part, _AND_BEFORE_AGENCY)
    mentions = [pieces[0]]
    for piece in pieces[1:]:
        left = mentions[-1]
        opens = looks_like_agency(piece) or _key(piece).startswith(_GENERIC_LISTS)  # "và cơ quan, đơn vị"
        if left.strip() and opens and not _inside_joint_office(left, piece):
            mentions.append(piece)
        else:
            mentions[-1] = f"{mentions[-1]} và {piece}"
    return mentions


def split_mentions(cell):
    """Split an agency cell into mentions.

    Splits on ``;`` and line breaks, then on ``,`` and `` và `` only where the next piece opens an
    agency name, so ``"Sở Văn hóa, Thể thao và Du lịch"``, ``"UBND các huyện, thị xã, thành phố"``,
    ``"các Sở, Ban, ngành"``, the elliptic ``"UBND cấp huyện, cấp xã"``, ``"Các Vụ, Cục, Trường thuộc
    Bộ"`` and ``"Văn phòng HĐND và UBND tỉnh"`` stay whole; never inside parentheses.  Each mention is
    NFC, whitespace-collapsed, without leading bullets or trailing ``… , . ;``.

    Cached per distinct cell text (an appendix repeats a few agency cells over thousands of rows).
    """
    if cell is None:
        return []
    return list(_split_mentions(str(cell)))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _split_mentions(text):
    text = unicodedata.normalize("NFC", text)
    mentions = []
    for part in _join_wrapped_lines(_SEPARATORS.split(text)):
        for piece in _split_on_commas(part):
            for mention in _split_on_and(piece):
                mention = strip_trailing_punctuation(clean_text(mention).lstrip(_LEADING_BULLETS)).strip()
                if mention:
                    mentions.append(mention)
    return tuple(mentions)
