"""Traditional-Chinese input: analysed in Simplified form, reported in the original characters.

jieba's dictionary and the packaged gazetteer are Simplified, so Traditional text is converted with
OpenCC (`t2s`) before segmentation. Offsets must keep indexing the original text, so a conversion is used
only when it keeps the length (OpenCC's phrase rules almost always do); otherwise characters are
converted one by one, which cannot change the length.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from jiegui.models import Token

# Share of Han characters that t2s changes above which a text counts as Traditional. Simplified text
# changes at about 0 (a few ambiguous characters at most); Traditional prose changes at 20-40 %.
TRADITIONAL_SHARE = 0.05


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


_NOT_HAN = re.compile("[^\u4e00-\u9fff]+")


def _han_count(text: str) -> int:
    return len(_NOT_HAN.sub("", text))


def to_simplified(text: str) -> str:
    """`text` in Simplified characters, with exactly the same length; unchanged if it is not Traditional."""
    converted: str = _converter().convert(text)
    if converted == text:
        return text
    if len(converted) != len(text):
        converted = "".join(c if len(c := _converter().convert(ch)) == 1 else ch for ch in text)
    han = _han_count(text)
    if not han or not _changes_share(text, converted, han):
        return text
    return converted


def _changes_share(text: str, converted: str, han: int) -> bool:
    """Whether the characters that differ between two strings of the same length are at least
    TRADITIONAL_SHARE of `han`.

    Compared in blocks (a string comparison) and character by character only inside differing
    blocks, stopping at the limit: Simplified text differs in a few characters at most.
    """
    changed = 0
    for start in range(0, len(text), _BLOCK):
        ours, theirs = text[start : start + _BLOCK], converted[start : start + _BLOCK]
        if ours != theirs:
            changed += sum(1 for a, b in zip(ours, theirs) if a != b)
            if changed / han >= TRADITIONAL_SHARE:
                return True
    return False


_BLOCK = 64


def simplified_tokens(text: str, tokens: Sequence[Token]) -> tuple[str, tuple[Token, ...]]:
    """`text` in Simplified form and `tokens` with surfaces read from it (same offsets); the arguments
    themselves when the text is not Traditional. (A document is converted once, by
    `jiegui.analysed.analyse`; this is for a text that is not one, such as a similarity query.)"""
    analysed = to_simplified(text)
    if analysed is text:
        return text, tuple(tokens)
    return analysed, tuple(Token(analysed[t.start:t.end], t.pos, t.start, t.end) for t in tokens)
