"""Splitting cleaned text into sentences with offsets into that text."""
from __future__ import annotations

import regex

from jiegui.models import Sentence

# A sentence ends at a run of terminators (。！？!? and the ellipsis …/……, also as "..." or "。。。"),
# followed by any closing quotes or brackets, which belong to the sentence they close; or at a line
# break (paragraph end). ASCII "." is not a terminator: it is a decimal point in 183.9亿元.
_SENTENCE = regex.compile(r"[^\n]*?(?:[。！？!?…]+|\.{3,})[”’」』）)】》〉\"\]]*|[^\n]+")


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text`: spans trimmed of whitespace, never empty, `text[start:end] == sentence.text`."""
    sentences: list[Sentence] = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            sentences.append(Sentence(len(sentences), start, end, text[start:end]))
    return sentences


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
