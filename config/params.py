"""Primary keys written in query strings and forms, read by one rule for every view and form: ASCII
digits, short enough for every database's integer key (SQLite refuses integers past 2**63 with an
error, not a miss)."""

MAX_PK_DIGITS = 18


def pk_param(value):
    """The primary key ``value`` writes, None when it writes none ("abc", "²", "-1", 20 digits)."""
    if isinstance(value, str) and value.isascii() and value.isdecimal() and len(value) <= MAX_PK_DIGITS:
        return int(value)
    return None


def pk_params(values):
    """The primary keys among ``values``, the others left out."""
    return [pk for pk in map(pk_param, values) if pk is not None]
