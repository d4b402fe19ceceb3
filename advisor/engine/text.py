"""Small helpers that turn numbers into the strings a founder reads."""

import math


def whole(value: float) -> str:
    """12000 -> "12,000"; fractions are kept to two places (1.5 -> "1.50")."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def money(value: float) -> str:
    """Dollars for humans: whole dollars from $100 up ("$10,000"), cents below ("$12.50") and
    enough digits to read a fraction of a cent ("$0.0042")."""
    if value == 0:
        return "$0"
    if abs(value) >= 100 or float(value).is_integer():
        return f"${value:,.0f}"
    if abs(value) >= 0.01:
        return f"${value:,.2f}"
    digits = 2 - math.floor(math.log10(abs(value)))  # three significant figures
    return "$" + f"{value:.{digits}f}".rstrip("0")


def join_words(words: list[str], last: str = "or") -> str:
    """["a", "b", "c"] -> "a, b or c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"
