"""A warm run knows the corpus's files and the cache's entries by their stat (jiegui.known_files): it
reads neither a file to hash it nor an entry's tokens to check them again, and a changed file or entry
is never taken for the one it replaced."""
from __future__ import annotations

import os
import time

import pytest

from jiegui import cache, corpus, known_files
from jiegui.corpus import load_corpus

TEXTS = {"a.txt": "嘉兴市引进来自上海的内资项目220个。总投资近1000亿元。", "b.txt": "海宁市出台了融杭接沪规划。平湖市新埭镇引进上海项目12个。"}


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """Two corpus files and a cache of their own; every file counts as stable at once (STABLE_NS 0)."""
    monkeypatch.setenv("JIEGUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(known_files, "STABLE_NS", 0)
    monkeypatch.setattr(known_files, "_known", None)
    files = tmp_path / "corpus"
    files.mkdir()
    for name, text in TEXTS.items():
        (files / name).write_text(text, encoding="utf-8")
    time.sleep(0.02)  # past the timestamps' granularity: a later write gives another ctime
    return files


def fresh_process(monkeypatch):
    """Forget the records read so far, as a new run would."""
    monkeypatch.setattr(known_files, "_known", None)


def test_a_warm_load_reads_no_file_and_checks_no_entry_again(folder, monkeypatch):
    first = load_corpus(folder)  # cold: the files' keys are remembered as the entries are written
    assert load_corpus(folder) == first  # warm: the entries are checked, and remembered
    assert (folder.parent / "cache" / known_files.RECORDS).is_file()
    fresh_process(monkeypatch)

    def no_reading(source):
        raise AssertionError(f"read {source.path}")

    def no_checking(*args):
        raise AssertionError("tokens checked again")

    monkeypatch.setattr(corpus, "read_bytes", no_reading)
    monkeypatch.setattr(cache, "_covered_numpy", no_checking)
    monkeypatch.setattr(cache, "_without_gaps", no_checking)
    assert load_corpus(folder) == first
    assert [d.tokens for d in load_corpus(folder)] == [d.tokens for d in first]


def test_a_changed_file_is_read_again_even_with_its_size_and_mtime_kept(folder, monkeypatch):
    load_corpus(folder)
    fresh_process(monkeypatch)
    path = folder / "a.txt"
    before = path.stat()
    changed = TEXTS["a.txt"].replace("上海", "杭州")
    assert len(changed.encode()) == before.st_size
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # what `touch -d` or a copy with -p does
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_ctime_ns != before.st_ctime_ns
    assert "杭州" in load_corpus(folder)[0].text


def test_a_recent_file_is_not_remembered(folder, monkeypatch):
    """A file changed within STABLE_NS may change again with the same timestamps: it is hashed each time."""
    monkeypatch.setattr(known_files, "STABLE_NS", 3600 * 10**9)
    load_corpus(folder)
    assert not (folder.parent / "cache" / known_files.RECORDS).exists()


def test_a_replaced_entry_is_checked_again(folder, monkeypatch):
    """An entry known as checked and then replaced (another file at its name: another inode and ctime)
    goes through every check: a planted entry with a valid digest but wrong tokens is rebuilt."""
    from .test_cache import rewrite, split_entry

    first = load_corpus(folder)
    fresh_process(monkeypatch)
    entries = sorted(cache.entries_dir().glob(f"*{cache.SUFFIX}"))
    path = entries[0]
    prefix, blocks, header, _ = split_entry(path.read_bytes())
    tokens_at, _ = header["documents"][0]["tokens"]
    planted = path.with_name("planted")
    planted.write_bytes(path.read_bytes())
    words = tokens_at + 4 * header["documents"][0]["tokens"][1]
    bad = bytearray(blocks)
    bad[words : words + 4] = (1).to_bytes(4, "little")  # another word of the table: the text is not theirs
    rewrite(planted, header, bytes(bad))
    time.sleep(0.02)
    os.replace(planted, path)
    assert load_corpus(folder) == first


def test_records_of_another_version_or_damaged_are_ignored(folder, monkeypatch):
    first = load_corpus(folder)
    records = folder.parent / "cache" / known_files.RECORDS
    for text in (records.read_text(encoding="utf-8").replace(f'"version":"{known_files.__version__}"', '"version":"0.0.1"'),
                 "{", "[]", '{"format":1,"version":"%s","records":{"x":[1]}}' % known_files.__version__):
        records.write_text(text, encoding="utf-8")
        fresh_process(monkeypatch)
        assert known_files.known().records == {}
        assert load_corpus(folder) == first
