"""The packaged word lists and tables (`src/jiegui/data/`), read in one place.

Format: one entry a line (a `.tsv` row: tab-separated fields); `#` starts a comment; the header comment of
each file says where its entries come from (and which script in `tools/` made it, if one did). Lists are
read once per process.
"""
from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def entries(name: str) -> tuple[str, ...]:
    """The non-empty lines of data file `name`, comments and surrounding blanks removed, in file order."""
    text = (resources.files("jiegui") / "data" / name).read_text(encoding="utf-8")
    return tuple(entry for line in text.splitlines() if (entry := line.split("#", 1)[0].strip()))


@cache
def word_set(name: str) -> frozenset[str]:
    """A word list as a set, for membership tests."""
    return frozenset(entries(name))


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """A table: each entry split on tabs."""
    text = (resources.files("jiegui") / "data" / name).read_text(encoding="utf-8")
    return tuple(
        tuple(field.strip() for field in line.split("\t"))
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )
