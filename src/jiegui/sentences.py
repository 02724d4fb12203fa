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
