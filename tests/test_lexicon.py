"""The packaged data files (src/jiegui/data): each says where it comes from, lists an entry once, and is used."""
from __future__ import annotations

import gzip
import re
from collections import Counter
from pathlib import Path

import pytest

from jiegui import lexicon

SRC = Path(lexicon.__file__).parent
DATA = SRC / "data"
FILES = sorted(p.name for p in DATA.iterdir() if p.suffix in (".txt", ".tsv", ".gz"))
# jieba's load_userdict reads every line as a word: a comment line would become a dictionary entry.
NO_HEADER = {"userdict.txt": "jieba's user-dictionary format has no comments"}


def _text(name: str) -> str:
    path = DATA / name
    return gzip.decompress(path.read_bytes()).decode("utf-8") if name.endswith(".gz") else path.read_text(encoding="utf-8")


def test_there_are_data_files() -> None:
    assert len(FILES) > 30


@pytest.mark.parametrize("name", [n for n in FILES if n not in NO_HEADER])
def test_data_file_opens_with_a_header_comment(name: str) -> None:
    lines = _text(name).splitlines()
    assert lines and lines[0].startswith("# ") and len(lines[0]) > 20, f"{name}: no header comment saying what it is"


@pytest.mark.parametrize("name", [n for n in FILES if not n.endswith(".gz")])
def test_data_file_lists_each_entry_once(name: str) -> None:
    if name.endswith(".tsv"):
        keys = list(lexicon.rows(name))  # a surface may have two rows (currencies: before and after a number)
    elif name == "userdict.txt":
        keys = [line.split()[0] for line in _text(name).splitlines() if line.strip()]
    else:
        keys = list(lexicon.entries(name))
    duplicates: list[object] = [key for key, n in Counter(keys).items() if n > 1]
    assert keys and not duplicates, f"{name}: listed twice: {duplicates[:10]}"


@pytest.mark.parametrize("name", FILES)
def test_data_file_is_read_by_a_module(name: str) -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    assert re.search(rf"[\"'/]{re.escape(name)}[\"']", sources), f"{name}: no module of jiegui reads it"


def test_go_verbs_are_shared_by_regions_and_entities() -> None:
    from jiegui.analyses import entities, regions

    assert regions._GO_VERBS == lexicon.word_set("go_verbs.txt")
    assert entities._ABBREVIATION_COMPANIONS == regions._GO_VERBS | {"方", "外"}
