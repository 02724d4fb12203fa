"""What a quantity measures (`Fact.metric`): the noun phrase next to the number in its clause: the nouns
right before it (skipping a verb or adverb such as 引进, 共, 达到), else the nouns right after it or after
the next 的; a count, or any quantity followed by 的, measures the noun it modifies (15座中心城市)."""
from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import lru_cache

from operator import attrgetter

from jiegui.analyses.columns import entry_columns
from jiegui.analyses.numbers import QuantityMatch
from jiegui.models import QuantityKind, Token, token_starts

_TEXT, _POS, _END = attrgetter("text"), attrgetter("pos"), attrgetter("end")

# jieba POS tags of words that can name what is measured (nouns, verbal nouns, abbreviations, idioms,
# distinguishing words such as 高层次/总).
_METRIC_POS = ("n", "nz", "vn", "nt", "ns", "j", "l", "eng", "an", "ng", "b")
_SKIPPABLE_POS = ("v", "d", "p", "u", "c", "r", "m", "q", "f", "a", "ul", "uj")
_METRIC_MAX_TOKENS = 3


@lru_cache(maxsize=65536)
def _has_letters(word: str) -> bool:
    """Whether `word` holds a Chinese character or a letter (not only digits and signs); memoised: the
    metric rules ask it of the same few thousand words over and over."""
    return any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in word)


class _Tokens:
    """A text's tokens as lists that the rules index: each token's word and tag as an id into a table of
    the distinct strings, its start and end. For tokens read from the cache, the entry's columns and tables
    as they are (a 10 MB corpus has two million tokens, and the rules look at a few around each figure:
    the strings of every token cost 0.17 s of CPU, their ids 0.05 s); for other tokens, each its own id."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        columns = entry_columns(tokens)
        if columns is not None:
            self.word_ids: Sequence[int] = columns.word.tolist()
            self.words: Sequence[str] = columns.words
            self.tag_ids: Sequence[int] = columns.tag.tolist()
            self.tags: Sequence[str] = columns.tags
            self.starts: list[int] = columns.start.tolist()
            self.ends: list[int] = columns.end.tolist()
        else:
            self.words = list(map(_TEXT, tokens))
            self.tags = list(map(_POS, tokens))
            self.word_ids = self.tag_ids = range(len(tokens))
            self.starts = token_starts(tokens)
            self.ends = list(map(_END, tokens))


class MetricResolver:
    """The metric of each quantity of one document, from its tokens and the spans of the places it names
    (a place is not a metric)."""

    def __init__(self, text: str, original: str, tokens: Sequence[Token], region_spans: list[tuple[int, int]]) -> None:
        """`text` and `tokens` Simplified (what the rules read), `original` the text a metric is cut from;
        `region_spans` (start, end) of every place named, sorted."""
        self.text = text
        self.original = original
        table = _Tokens(tokens)
        self.words, self.word_ids, self.tag_names, self.tag_ids = table.words, table.word_ids, table.tags, table.tag_ids
        self.token_starts, self.ends = table.starts, table.ends
        self.count = len(self.ends)
        self.region_spans = region_spans

    def _is_metric_token(self, index: int) -> bool:
        # ns is allowed: jieba tags some common nouns (嘉宾) as places; real places are region spans.
        pos = self.tag_names[self.tag_ids[index]]
        if not pos.startswith(_METRIC_POS) or pos.startswith(("nr", "m")):
            return False
        if not _has_letters(self.words[self.word_ids[index]]):
            return False
        return not self._is_region_token(index)

    def metric_of(self, quantity: QuantityMatch, clause: tuple[int, int]) -> str | None:
        text = self.text
        first_after = bisect.bisect_left(self.token_starts, quantity.end)
        last_before = bisect.bisect_left(self.token_starts, quantity.start) - 1
        # What a number directly modifies is what it measures: 15座中心城市 (a count and its noun),
        # 11.8%的人口, 14.71平方公里的土地 (any quantity, then 的 and a noun).
        next_pos = self.tag_names[self.tag_ids[first_after]] if first_after < self.count else ""
        # Only a noun right after: 1000人出席会议 (出席会议/l) measures the people, not the meeting.
        if quantity.quantity.kind == QuantityKind.count.value and next_pos.startswith(("n", "j", "eng", "b")):
            modified = self._run_forward(first_after, clause[1], regions_inside=True)
            if modified:
                return modified
        if text.startswith("的", quantity.end):
            modified = self._run_forward(bisect.bisect_left(self.token_starts, quantity.end + 1), clause[1], regions_inside=True)
            if modified:
                return modified
        before = self._run_backward(last_before, clause[0], skip=2)
        if before:
            return before
        after = self._run_forward(first_after, clause[1])
        if after:
            return after
        de = text.find("的", quantity.end, clause[1])
        if de >= 0:
            after = self._run_forward(bisect.bisect_left(self.token_starts, de + 1), clause[1])
            if after:
                return after
        return self._run_backward(last_before, clause[0], skip=_METRIC_MAX_TOKENS * 4)

    def _run_backward(self, index: int, lo: int, *, skip: int) -> str | None:
        run: list[int] = []
        starts = self.token_starts
        while index >= 0 and starts[index] >= lo:
            if self._is_metric_token(index):
                run.append(index)
                if len(run) == _METRIC_MAX_TOKENS:
                    break
            elif run:
                break
            elif skip > 0 and self.tag_names[self.tag_ids[index]].startswith(_SKIPPABLE_POS):
                skip -= 1
            else:
                break
            index -= 1
        return self._join(run[-1], run[0]) if run else None

    def _run_forward(self, index: int, hi: int, *, regions_inside: bool = False) -> str | None:
        """The nouns from token `index` on; with `regions_inside`, a place may lead the run (30余家海宁企业 →
        海宁企业) but not end it."""
        first, last = index, index - 1
        nouns = 0
        ends = self.ends
        while index < self.count and ends[index] <= hi and nouns < _METRIC_MAX_TOKENS:
            if self._is_metric_token(index):
                nouns += 1
            elif not (regions_inside and self._is_region_token(index)):
                break
            last = index
            index += 1
        while last >= first and not self._is_metric_token(last):
            last -= 1
        return self._join(first, last) if last >= first else None

    def _is_region_token(self, index: int) -> bool:
        start = self.token_starts[index]
        i = bisect.bisect_right(self.region_spans, (start, 10**12)) - 1
        return i >= 0 and self.region_spans[i][1] > start

    def _join(self, first: int, last: int) -> str:
        # Contiguous tokens only: the text between them is the phrase as written.
        return self.original[self.token_starts[first]:self.ends[last]]
