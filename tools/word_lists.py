"""What the tools/build_*.py scripts that make word lists share: jieba's dictionary as they read it, and the
writing of a generated list (a header that names the script, then one entry a line).
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import jieba

DATA = Path(__file__).parent.parent / "src" / "jiegui" / "data"


def jieba_dictionary() -> list[tuple[str, int, str]]:
    """The installed jieba's dict.txt: (word, frequency, tag) rows."""
    text = Path(os.path.dirname(jieba.__file__), "dict.txt").read_text(encoding="utf-8")
    return [(word, int(freq), tag) for word, freq, tag in map(str.split, text.splitlines())]


def write_word_list(out: Path, header: Iterable[str], entries: Iterable[str]) -> int:
    """Write `out`: the header's lines as comments, then one entry a line; the number of entries."""
    lines = [f"# {line}" for line in header]
    entries = list(entries)
    out.write_text("\n".join([*lines, *entries]) + "\n", encoding="utf-8")
    print(f"{len(entries)} entries -> {out}")
    return len(entries)
