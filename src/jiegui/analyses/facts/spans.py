"""Spans of a text between stop characters (clauses, sentences), paragraph starts and token starts."""
from __future__ import annotations

import bisect
import sys
from functools import lru_cache
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# Characters that end a clause, and a sentence (the latter for text outside the document's sentences).
CLAUSE_STOPS = frozenset("，,；;：:。！？!?\n")
SENTENCE_STOPS = frozenset("。！？!?\n")


@lru_cache(maxsize=4)
def _is_stop(stops: frozenset[str]) -> NDArray[np.bool_]:
    """A table over every code point: True for the stops (a lookup per character, at numpy's speed)."""
    import numpy as np

    table = np.zeros(sys.maxunicode + 1, dtype=bool)
    table[[ord(c) for c in stops]] = True
    return table


class Spans:
    """The spans of a text between stop characters (clauses, sentences), found by bisection over the stops'
    positions: a lookup costs O(log n) however long the span (one line of 700,000 characters without
    punctuation has thousands of places and numbers, and walking to the span's ends from each was quadratic)."""

    def __init__(self, text: str, stops: frozenset[str]) -> None:
        import numpy as np  # here: the package's import stays light

        # The stops' positions over the text's code points (UTF-32: one unit a character, so indices
        # are offsets): 0.04 s over a 10 MB corpus (290 k stops), a regex's match per stop 0.15 s.
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        self.stops: list[int] = np.flatnonzero(_is_stop(stops)[codes]).tolist()
        self.length = len(text)

    def around(self, position: int) -> tuple[int, int]:
        """(start, end) of the span holding `position`: after the last stop before it, up to the next stop."""
        i = bisect.bisect_left(self.stops, position)
        start = self.stops[i - 1] + 1 if i > 0 else 0
        return start, self.stops[i] if i < len(self.stops) else self.length


def paragraph_start(text: str, position: int) -> int:
    """Where the paragraph holding `position` starts (after the last line break before it)."""
    return text.rfind("\n", 0, position) + 1

