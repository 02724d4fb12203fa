import hashlib
import json
import os
import stat
import struct

import pytest

from jiegui import cache
from jiegui.corpus import Source, load_source
from jiegui.models import LazyTokens
from jiegui.text.segment import Segmenter

TEXT = "嘉兴市引进来自上海的内资项目220个。总投资近1000亿元。"


SEGMENTER = Segmenter()  # one jieba tokenizer for the module: each new one loads the dictionary again


def load(path, **options):
    return load_source(Source(str(path), path.stem), segmenter=SEGMENTER, **options)


def entry_files():
    return sorted(cache.entries_dir().glob(f"*{cache.SUFFIX}"))


def split_entry(raw):
    """An entry's prefix, its blocks (texts and arrays), its JSON header and its digest."""
    prefix, body, digest = raw[: cache._PREFIX.size], raw[cache._PREFIX.size : -32], raw[-32:]
    (size,) = struct.unpack("<Q", body[-8:])
    return prefix, body[: len(body) - 8 - size], json.loads(body[len(body) - 8 - size : -8]), digest


def header_of(path):
    return split_entry(path.read_bytes())[2]


def rewrite(path, header=None, blocks=None):
    """Store another header or other blocks in an entry, with the right key and digest: only the schema
    checks remain to catch them (what a bug in jiegui, not a damaged disk, would produce)."""
    prefix, old_blocks, old_header, _ = split_entry(path.read_bytes())
    header = old_header if header is None else header
    text = header if isinstance(header, bytes) else json.dumps(header, ensure_ascii=False).encode()
    body = (old_blocks if blocks is None else blocks) + text + struct.pack("<Q", len(text))
    path.write_bytes(prefix + body + hashlib.sha256(body).digest())


def count_hits(monkeypatch) -> list[bool]:
    """Spy on cache.read: one item per lookup, True when it served documents (a hit)."""
    lookups: list[bool] = []
    real_read = cache.read

    def read(*args, **kwargs):
        documents = real_read(*args, **kwargs)
        lookups.append(documents is not None)
        return documents

    monkeypatch.setattr(cache, "read", read)
    return lookups


def test_second_load_comes_from_cache_and_is_equal(tmp_path, monkeypatch):
    """The first load misses and writes an entry; the second is served by that entry (fails if the cache is
    never read, e.g. with cache.read patched to always miss) and gives the same documents."""
    file = tmp_path / "a.txt"
    file.write_text(TEXT, encoding="utf-8")
    lookups = count_hits(monkeypatch)
    before = set(entry_files())
    first = load(file)
    new = set(entry_files()) - before
    assert len(new) == 1
    (path,) = new
    raw = path.read_bytes()  # data only, never pickle: the text in UTF-8, the header in JSON
    assert raw.startswith(cache.MAGIC) and TEXT.encode() in raw
    assert header_of(path)["documents"][0]["id"] == "a"
    assert lookups == [False]
    second = load(file)
    assert lookups == [False, True]
    assert isinstance(second[0].tokens, LazyTokens) and not isinstance(first[0].tokens, LazyTokens)  # columns: the entry's
    assert second == first and hash(second[0]) == hash(first[0])
    assert list(second[0].tokens) == list(first[0].tokens) and second[0].tokens[1:3] == first[0].tokens[1:3]


def test_cached_tokens_are_made_only_when_walked_and_equal_the_processed_ones(tmp_path):
    """A document read from the cache holds its tokens as LazyTokens: loading the corpus makes no Token
    (fails if load_corpus makes them again); a token or a short slice asked for before is made alone from
    the columns, equal to the processed one; a quarter of the tokens asked for makes them all (a
    TokenTuple with the columns); `outside` gives what TokenTuple.outside gives."""
    from jiegui.corpus import load_corpus
    from jiegui.models import LazyTokens, TokenTuple, columns_of
    from tests.conftest import write_generated_corpus

    root = write_generated_corpus(tmp_path, files=3, seed=7, dated=True)
    processed = load_corpus(root, use_cache=False)
    load_corpus(root)  # cold: writes the entries
    documents = load_corpus(root)
    assert all(isinstance(d.tokens, LazyTokens) and d.tokens._items is None for d in documents)
    for document, fresh in zip(documents, processed):
        tokens, plain = document.tokens, tuple(fresh.tokens)
        assert len(tokens) == len(plain) > 8
        assert tokens[0] == plain[0] and tokens[-1] == plain[-1] and tokens[3:7] == plain[3:7]
        with pytest.raises(IndexError):
            tokens[len(plain)]
        assert tokens._items is None  # those few were made alone
        spans = [(plain[2].start, plain[5].end), (plain[-3].start, plain[-1].end)]
        made = TokenTuple(plain)
        made.columns = columns_of(tokens)
        outside = tokens.outside(spans)
        assert outside == made.outside(spans) and columns_of(outside) == columns_of(made.outside(spans))
        for k in range(len(plain) // 4 + 1):
            assert tokens[k] == plain[k]
        assert isinstance(tokens._items, TokenTuple) and tokens.as_tuple() == plain
        assert columns_of(tokens.as_tuple()) is columns_of(tokens)


def test_a_warm_cli_run_reads_every_file_from_the_cache(tmp_path, monkeypatch):
    """Through the command: the second `jiegui corpus` finds every file's entry and prints the same JSON."""
    from typer.testing import CliRunner

    from jiegui.cli import app

    for name, text in [("p.txt", TEXT), ("q.txt", "平湖市新埭镇引进上海项目12个。"), ("r.txt", "海宁。")]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    lookups = count_hits(monkeypatch)
    cold = CliRunner().invoke(app, ["corpus", "-c", str(tmp_path), "--json"])
    assert cold.exit_code == 0, cold.output
    assert lookups == [False] * 3
    lookups.clear()
    warm = CliRunner().invoke(app, ["corpus", "-c", str(tmp_path), "--json"])
    assert warm.exit_code == 0, warm.output
    assert lookups == [True] * 3
    assert warm.stdout == cold.stdout


def test_repeated_words_share_one_string_fresh_and_cached(tmp_path):
    """Memory: a big file repeats its words millions of times; each distinct word is stored once."""
    file = tmp_path / "repeated.txt"
    file.write_text(TEXT * 50, encoding="utf-8")
    for documents in (load(file), load(file)):  # segmented, then decoded from the cache entry
        tokens = documents[0].tokens
        assert len(tokens) > 500
        assert len({id(t.text) for t in tokens}) == len({t.text for t in tokens})
        assert len({id(t.pos) for t in tokens}) == len({t.pos for t in tokens})


def test_changed_content_is_not_served_stale(tmp_path):
    file = tmp_path / "b.txt"
    file.write_text(TEXT, encoding="utf-8")
    load(file)
    file.write_text("平湖市新埭镇。", encoding="utf-8")
    assert load(file)[0].text == "平湖市新埭镇。"


def test_corrupt_entry_is_rebuilt(tmp_path):
    file = tmp_path / "c.txt"
    file.write_text(TEXT + "海宁。", encoding="utf-8")
    before = set(entry_files())
    good = load(file)
    (path,) = set(entry_files()) - before
    for garbage in [b'{"format": 1, "key": "x"', b"[]", b"\x00\x01", cache.MAGIC, path.read_bytes()[:-1]]:
        path.write_bytes(garbage)
        assert load(file) == good
    load(file)
    entry = path.read_bytes()
    path.write_bytes(entry.replace("海宁".encode(), "海盐".encode()))  # a changed text, the digest as written
    assert load(file) == good
    header = header_of(path)
    header["documents"][0]["tokens"][0] = 10**6  # tokens beyond the entry
    rewrite(path, header)
    assert load(file) == good


def test_no_cache_writes_nothing(tmp_path):
    file = tmp_path / "d.txt"
    file.write_text("独山港镇。", encoding="utf-8")
    before = set(entry_files())
    load(file, use_cache=False)
    assert set(entry_files()) == before


def test_cache_is_private_and_leaves_no_temporary_files(tmp_path):
    file = tmp_path / "e.txt"
    file.write_text("乍浦镇。", encoding="utf-8")
    load(file)
    assert stat.S_IMODE(cache.entries_dir().stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in entry_files())
    assert not list(cache.entries_dir().glob(".tmp-*"))


def test_info_and_clear():
    assert cache.info().entries >= 0
    cache.clear()
    assert cache.info().entries == 0


def test_second_load_reads_the_cache(tmp_path, monkeypatch):
    """Fails if the cache is never read: the second load must not segment again."""
    file = tmp_path / "hit.txt"
    file.write_text(TEXT, encoding="utf-8")
    first = load(file)

    def no_segmenting(self, text):
        raise AssertionError("segmented again: the cache entry was not read")

    monkeypatch.setattr(Segmenter, "lazy_tokens", no_segmenting)  # what the corpus pipeline segments with
    assert load(file) == first


@pytest.mark.parametrize("numpy_after", [10**18, -1])  # the token checks with the standard library, with numpy
def test_entries_that_parse_but_break_their_schema_or_key_are_rebuilt(tmp_path, monkeypatch, numpy_after):
    monkeypatch.setattr(cache, "NUMPY_AFTER", numpy_after)
    file = tmp_path / "f.txt"
    file.write_text(TEXT, encoding="utf-8")
    for entry in entry_files():  # the entry the other parameter's run left
        entry.unlink()
    before = set(entry_files())
    good = load(file)
    (path,) = set(entry_files()) - before
    header = header_of(path)
    _, blocks, _, _ = split_entry(path.read_bytes())
    text_at, text_size = header["documents"][0]["text"]
    tokens_at, tokens = header["documents"][0]["tokens"]
    sentences_at, sentences = header["documents"][0]["sentences"]
    for field, value in [("id", None), ("id", "other"), ("title", ["x"]), ("duplicates_removed", True),
                         ("duplicates_removed", -1), ("text", [text_at, 0]), ("tokens", [tokens_at, 0]),
                         ("sentences", [sentences_at, 0]), ("text", [text_at, 1]),  # half a character
                         ("tokens", [tokens_at, 1]), ("tokens", "x"), ("sentences", [-1, 1])]:
        changed = json.loads(json.dumps(header))
        changed["documents"][0][field] = value
        rewrite(path, changed)
        assert load(file) == good, (field, value)
    for name, value in [("words", []), ("words", [""] * 100), ("tags", [1]), ("documents", []), ("documents", [1]),
                        ("documents", header["documents"] * 2)]:
        changed = dict(header, **{name: value})
        rewrite(path, changed)
        assert load(file) == good, (name, value)
    for other in (b"[]", b"1", b'"x"', b"{}", b"\xff", b"[" * 100_000 + b"]" * 100_000):  # the last nested too deep
        rewrite(path, other)
        assert load(file) == good, other[:10]

    def patched(at, data):
        return blocks[:at] + data + blocks[at + len(data):]

    starts = tokens_at
    words = tokens_at + 4 * tokens
    for blocks_changed in [
        patched(text_at, "湖".encode()),  # a text the words no longer spell
        patched(starts + 4, struct.pack("<i", 0)),  # a token before the one before it
        patched(starts + 4, struct.pack("<i", 2)),  # a token overlapping the one before it
        patched(words, struct.pack("<i", 10**6)),  # a word id beyond the table
        patched(words, struct.pack("<i", -1)),
        patched(words, struct.pack("<i", struct.unpack_from("<i", blocks, words)[0] - len(header["words"]))),  # the same word, counted from the end
        patched(words, struct.pack("<i", 1)),  # another word of the table: the text is not theirs
        patched(tokens_at + 8 * tokens, struct.pack("<H", 999)),  # a tag id beyond the table
        patched(sentences_at, struct.pack("<i", 10**6)),  # a sentence beyond the text
    ]:
        rewrite(path, header, blocks_changed)
        assert cache.read(path.stem, str(file), "f") is None
    shorter = dict(header, words=[*header["words"], good[0].tokens[0].text[:-1]])  # 嘉兴 for 嘉兴市: a gap of 市
    assert len(good[0].tokens[0].text) > 1
    rewrite(path, shorter, patched(words, struct.pack("<i", len(header["words"]))))
    assert load(file) == good
    rewrite(path, header, blocks)
    assert cache.read(path.stem, str(file), "f") == good  # the unchanged entry is still trusted


def test_a_rejected_entry_is_reported_with_debug(tmp_path):
    from typer.testing import CliRunner

    from jiegui.cli import app

    file = tmp_path / "dbg.txt"
    file.write_text(TEXT, encoding="utf-8")
    before = set(entry_files())
    load(file)
    (path,) = set(entry_files()) - before
    rewrite(path, dict(header_of(path), documents=[]))
    result = CliRunner().invoke(app, ["corpus", "-c", str(file), "--json", "--debug"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["id"] == "dbg"
    assert "jiegui: debug: cache entry" in result.stderr and "(no documents); rebuilding it" in result.stderr


def _own_and_foreign_files(root):
    """Files jiegui writes (by their exact names) and a user's files that merely sit in the same folders."""
    own = [root / "documents" / f"{'a' * 64}.json", root / "documents" / ".tmp-abcd_123.json",
           root / "documents" / f"{'c' * 64}.jgc", root / "documents" / ".tmp-abcd_124.jgc",
           root / "jieba" / "jieba.dict.cache", root / "jieba" / "tmpk2j4h1x9", root / "idf-100-200.json",
           root / ".tmp-zz9x8y7w.json", root / "jieba.dict.cache", root / "vega-bundle-7.0.2-6.4.js", root / "known-files.json"]
    foreign = [root / "documents" / "thesis.docx", root / "documents" / "notes.json", root / "documents" / f"{'a' * 64}.json.bak", root / "documents" / f"{'a' * 64}.jgc.tmp",
               root / "jieba" / "tmp-notes.txt", root / "readme.txt", root / "idf.json", root / "vega-bundle.js", root / "known-files.json.bak", root / "documents" / "sub" / "x.json",
               root / "documents" / f"{'b' * 64}.json" / "inner.txt"]
    for path in own + foreign:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"12345")
    return own, foreign


def test_clear_removes_only_files_jiegui_wrote_and_counts_them(tmp_path, monkeypatch):
    """JIEGUI_CACHE_DIR=~ must never cost a user's file: only exact cache names go, never a folder."""
    monkeypatch.setenv("JIEGUI_CACHE_DIR", str(tmp_path))
    own, foreign = _own_and_foreign_files(tmp_path)
    assert cache.info().entries == 2
    removed = cache.clear()
    assert (removed.entries, removed.bytes) == (len(own), 5 * len(own))
    assert not any(path.exists() for path in own)
    assert all(path.exists() for path in foreign)
    assert cache.clear().entries == 0


def test_cache_clear_command_reports_the_files_it_removed(tmp_path):
    import subprocess
    import sys

    own, foreign = _own_and_foreign_files(tmp_path)
    env = {**os.environ, "JIEGUI_CACHE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "jiegui", "cache", "clear"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"removed {len(own)} cached files ({5 * len(own)} bytes) from {tmp_path}\n"
    assert all(path.exists() for path in foreign)


def test_idf_cache_file_is_private(tmp_path, monkeypatch):
    from jiegui.analyses import keywords

    monkeypatch.setenv("JIEGUI_CACHE_DIR", str(tmp_path))
    keywords.background_idf.cache_clear()
    try:
        keywords.background_idf()
    finally:
        keywords.background_idf.cache_clear()
    (idf,) = tmp_path.glob("idf-*.json")
    assert stat.S_IMODE(idf.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".tmp-*"))


def test_a_full_disk_costs_the_entry_but_leaves_no_temporary_file(tmp_path, monkeypatch):
    import errno

    def full_disk(handle, key, documents):
        handle.write(b"x" * 1000)
        raise OSError(errno.ENOSPC, "No space left on device")

    file = tmp_path / "full.txt"
    file.write_text(TEXT + "嘉善。", encoding="utf-8")
    before = set(entry_files())
    monkeypatch.setattr(cache, "_write_entry", full_disk)
    assert load(file)[0].text == TEXT + "嘉善。"
    assert set(entry_files()) == before
    assert not list(cache.entries_dir().glob(".tmp-*"))


def test_writing_an_entry_makes_no_token_and_the_entry_reads_back_the_same(tmp_path):
    """The writer reads the columns of tokens segmented in this run (`SegmentedTokens`): writing makes no
    Token object, and the entry gives back the tokens the segmenter makes."""
    from jiegui.text.segment import SegmentedTokens

    file = tmp_path / "columns.txt"
    file.write_text(TEXT + "\n第二段 有 空格。", encoding="utf-8")
    first = load(file)
    assert isinstance(first[0].tokens, SegmentedTokens) and first[0].tokens.columns() is not None
    second = load(file)
    assert isinstance(second[0].tokens, LazyTokens)
    assert list(second[0].tokens) == list(first[0].tokens) == SEGMENTER.tokenize(first[0].text)
    assert first[0].tokens.columns() is None  # made now: the columns are dropped
