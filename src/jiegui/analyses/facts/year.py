"""The year a quantity refers to: a calendar year stated in its clause, else in its sentence (nearest
first); 今年/去年/前年/明年 resolved against the document's date; years inside 《》 titles do not count."""
from __future__ import annotations

import bisect
from collections.abc import Sequence

import regex

from jiegui.analyses.numbers import QuantityMatch, parse_number

_YEAR = regex.compile(r"(?<![\d.])(1[5-9]\d\d|20\d\d)[ \u3000]?年(?![代级])|([〇零一二三四五六七八九]{4})年")
_RELATIVE_YEAR = regex.compile(r"今年|去年|前年|明年|上年")
_RELATIVE_OFFSET = {"今年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
_TITLE = regex.compile(r"《[^》\n]{0,80}》")


def _years(text: str, doc_year: int | None) -> list[tuple[int, int, int]]:
    """(start, end, year) for every calendar year stated, relative years resolved; titles excluded."""
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(text)]

    def in_title(pos: int) -> bool:
        return any(s <= pos < e for s, e in titles)

    years = []
    for match in _YEAR.finditer(text):
        if in_title(match.start()):
            continue
        years.append((match.start(), match.end(), int(parse_number(match[1] or match[2]))))
    if doc_year is not None:
        for match in _RELATIVE_YEAR.finditer(text):
            if not in_title(match.start()):
                years.append((match.start(), match.end(), doc_year + _RELATIVE_OFFSET[match[0]]))
    years.sort()
    return years


def _nearest(
    items: Sequence[tuple[int, int, int]], starts: list[int], lo: int, hi: int, position: int, end: int
) -> tuple[int, int, int] | None:
    """The item nearest before `position` within [lo, position), else the first in [end, hi)."""
    i = bisect.bisect_left(starts, position) - 1
    if i >= 0 and starts[i] >= lo:
        return items[i]
    j = bisect.bisect_left(starts, end)
    if j < len(items) and starts[j] < hi:
        return items[j]
    return None


class YearResolver:
    """The years a document states, in text order, for `year_of` to look up by bisection."""

    def __init__(self, text: str, date: str | None) -> None:
        """`text` the document's (Simplified) text, `date` its ISO date (relative years need its year)."""
        doc_year = int(date[:4]) if date and date[:4].isdigit() else None
        self.years = _years(text, doc_year)
        self.year_starts = [y[0] for y in self.years]

    def year_of(self, quantity: QuantityMatch, clause: tuple[int, int], sentence: tuple[int, int]) -> int | None:
        """The year stated nearest before the quantity in its clause (else the first after it), then in
        its sentence."""
        for lo, hi in (clause, sentence):
            found = _nearest(self.years, self.year_starts, lo, hi, quantity.start, quantity.end)
            # A year inside the quantity itself (1800年建城史) is not a time stamp.
            if found is not None and not (quantity.start <= found[0] < quantity.end):
                return found[2]
        return None
