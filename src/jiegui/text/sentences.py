"""Splitting cleaned text into sentences with offsets into that text."""
from __future__ import annotations

import operator
import re
from functools import partial
from itertools import compress, count, repeat
from operator import itemgetter

from jiegui.models import LazySentences, Sentence, sentences_of

# A sentence ends at a run of terminators (。！？!? and the ellipsis …/……, also as "..." or "。。。"),
# followed by any closing quotes or brackets, which belong to the sentence they close; or at a line
# break (paragraph end). ASCII "." is not a terminator: it is a decimal point in 183.9亿元.
# (The standard library's `re`: twice the speed of `regex` on it, the same matches: no class or construct
# the two read differently.)
_SENTENCE = re.compile(r"[^\n]*?(?:[。！？!?…]+|\.{3,})[”’」』）)】》〉\"\]]*|[^\n]+")


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text`: spans trimmed of whitespace, never empty, `text[start:end] == sentence.text`."""
    return list(sentences_of(text, *sentence_spans(text)))


def lazy_sentences(text: str) -> LazySentences:
    """`split_sentences`'s sentences as their spans, the Sentence objects made when first walked (what a
    document read from the cache holds): `jiegui corpus` counts them only."""
    starts, ends = sentence_spans(text)
    return LazySentences(starts, ends, partial(sentences_of, text, starts, ends))


_span = re.Match.span  # a match's span, at C speed over all matches


def sentence_spans(text: str) -> tuple[list[int], list[int]]:
    """The sentences' starts and ends. Read from the matches at C speed; Python code runs only for the
    few matches that start or end with whitespace (after a sentence's end, a space)."""
    spans = list(map(_span, _SENTENCE.finditer(text)))
    starts = list(map(itemgetter(0), spans))
    ends = list(map(itemgetter(1), spans))
    del spans
    # matches are never empty: text[start] and text[end - 1] are characters of the match
    edged = [*compress(count(), map(str.isspace, map(text.__getitem__, starts))),
             *compress(count(), map(str.isspace, map(text.__getitem__, map(operator.sub, ends, repeat(1)))))]
    if not edged:
        return starts, ends
    empty = []
    for k in sorted(set(edged)):
        start, end = starts[k], ends[k]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        starts[k], ends[k] = start, end
        if start == end:
            empty.append(k)
    if empty:
        kept = [True] * len(starts)
        for k in empty:
            kept[k] = False
        starts, ends = list(compress(starts, kept)), list(compress(ends, kept))
    return starts, ends


# The longest `sentence` a fact or mention carries. Real sentences stay below it (the longest of the
# bundled corpus has 855 characters, of news-dev 1,856); text without punctuation is one "sentence" that
# every number in it would otherwise repeat, making the output grow with the square of the input.
MAX_CONTEXT = 2000


def sentence_context(text: str, start: int, end: int, at: int) -> str:
    """`text[start:end]`, a sentence holding position `at`; a longer one is cut to the MAX_CONTEXT
    characters around `at` (still a substring of the text)."""
    if end - start > MAX_CONTEXT:
        start = max(start, at - MAX_CONTEXT // 2)
        end = min(end, start + MAX_CONTEXT)
    return text[start:end]
