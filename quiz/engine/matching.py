"""Fill-in answer matching: the forgiving comparison a human judge would make.

Judging lives in the pure core, so this module uses the standard library only. Both the
accepted answers and the player's answer pass through :func:`normalize_answer`; two answers
match when their normal forms are equal. Because the same rewriting is applied to both
sides, it may be generous (every Chinese numeral becomes Arabic) without creating false
matches between answers a person would call different.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_CHINESE_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
# "两" is left out on purpose: it is part of proper names such as 两路精神.
_NUMERAL_RUN = re.compile("[〇零一二三四五六七八九十百千]+")
_DIGITS_THEN_NIAN = re.compile(r"^([0-9]+)年$")
# Spoken Chinese names the day of a date with 号, written Chinese with 日: 3月28号 is 3月28日.
_DAY_AS_HAO = re.compile("([0-9]+月[0-9]+)号")
# Before these measure words a bare number is already an ordinal (五世 = 第五世, 十八军 = 第十八军,
# 三五九旅 = 第三五九旅), so 第 adds nothing. Before others (次, 个, 类) a bare number is a count
# and 第 changes the meaning, so it stays. A 第 right after a digit stays too: dropping it would
# join two numbers into one.
_ORDINAL_DI = re.compile("(?<![0-9])第+([0-9]+)(?=[世届军师旅团])")


def _positional_value(run: str) -> int | None:
    """Value of a positional Chinese numeral such as 十八 or 一百零八, or None if malformed."""
    total = 0
    pending: int | None = None
    last_unit = 10_000
    for char in run:
        if char in _CHINESE_DIGITS:
            if pending is not None and _CHINESE_DIGITS[char] != 0:
                return None
            pending = _CHINESE_DIGITS[char] or pending
        else:
            unit = _CHINESE_UNITS[char]
            if unit >= last_unit:
                return None
            total += (pending if pending is not None else 1) * unit
            pending = None
            last_unit = unit
    return total + (pending or 0)


def _arabic(run: str) -> str:
    """Rewrite one run of Chinese numerals in Arabic digits; leave it alone if malformed."""
    if not any(char in _CHINESE_UNITS for char in run):
        return "".join(str(_CHINESE_DIGITS[char]) for char in run)
    value = _positional_value(run)
    return run if value is None else str(value)


class _DropIgnorable(dict[int, int | None]):
    """A str.translate table that drops spaces, punctuation (the name-separating middle dot
    included) and control/format characters, filling itself one code point at a time so that
    repeated characters cost a C-level dict hit instead of a category lookup."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code))[0] in "PZC" else code
        self[code] = kept
        return kept


_DROP_IGNORABLE = _DropIgnorable()


def fold_text(text: str) -> str:
    """Text with width, case, spacing and punctuation folded (numerals left as written)."""
    # NFKC again after casefold: case folding can produce sequences NFKC would rewrite.
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    # Dropping a space can bring a combining mark next to a letter: compose them again.
    return unicodedata.normalize("NFC", folded.translate(_DROP_IGNORABLE))


def normalize_answer(answer: str) -> str:
    """Normal form of a typed answer: width, case, spacing, punctuation and numerals folded,
    a date's 号 read as 日, and 第 dropped where the bare number is already an ordinal."""
    arabic = _NUMERAL_RUN.sub(lambda match: _arabic(match.group()), fold_text(answer))
    dated = _DAY_AS_HAO.sub(r"\1日", arabic)
    return _DIGITS_THEN_NIAN.sub(r"\1", _ORDINAL_DI.sub(r"\1", dated))


def fill_matches(given: str, accepted: Iterable[str]) -> bool:
    """A typed answer is right when its normal form equals that of any accepted answer."""
    target = normalize_answer(given)
    return target != "" and any(target == normalize_answer(option) for option in accepted)
