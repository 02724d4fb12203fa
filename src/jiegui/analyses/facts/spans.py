"""Spans of a text between stop characters (clauses, sentences) and paragraph starts."""
from __future__ import annotations

import bisect

import regex

# Characters that end a clause, and a sentence (the latter for text outside the document's sentences).
CLAUSE_STOPS = frozenset("，,；;：:。！？!?\n")
SENTENCE_STOPS = frozenset("。！？!?\n")


class Spans:
    """The spans of a text between stop characters (clauses, sentences), found by bisection over the stops'
    positions: a lookup costs O(log n) however long the span (one line of 700,000 characters without
    punctuation has thousands of places and numbers, and walking to the span's ends from each was quadratic)."""

    def __init__(self, text: str, stops: frozenset[str]) -> None:
        pattern = regex.compile("[" + "".join(regex.escape(c) for c in sorted(stops)) + "]")
        self.stops = [m.start() for m in pattern.finditer(text)]
        self.length = len(text)

    def around(self, position: int) -> tuple[int, int]:
        """(start, end) of the span holding `position`: after the last stop before it, up to the next stop."""
        i = bisect.bisect_left(self.stops, position)
        start = self.stops[i - 1] + 1 if i > 0 else 0
        return start, self.stops[i] if i < len(self.stops) else self.length


def paragraph_start(text: str, position: int) -> int:
    """Where the paragraph holding `position` starts (after the last line break before it)."""
    return text.rfind("\n", 0, position) + 1
