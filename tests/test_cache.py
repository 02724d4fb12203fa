import hashlib
import json
import os
import stat

from jiegui import cache
from jiegui.corpus import Source, load_source
from jiegui.text.segment import Segmenter

TEXT = "嘉兴市引进来自上海的内资项目220个。总投资近1000亿元。"


SEGMENTER = Segmenter()  # one jieba tokenizer for the module: each new one loads the dictionary again


def load(path, **options):
    return load_source(Source(str(path), path.stem), segmenter=SEGMENTER, **options)


def entry_files():
    return sorted(cache.entries_dir().glob("*.json"))


def documents_of(path):
    return json.loads(path.read_text(encoding="utf-8"))["documents"]


def rewrite(path, documents):
    """Store other documents in an entry, with the right key and digest: only the schema checks remain
    to catch them (what a bug in jiegui, not a damaged disk, would produce)."""
    key = path.stem
    body = documents if isinstance(documents, str) else json.dumps(documents, ensure_ascii=False)
    digest = hashlib.sha256(body.encode()).hexdigest()
    path.write_text(cache._prefix(key) + body + f',"sha256":"{digest}"}}', encoding="utf-8")


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
    entry = json.loads(new.pop().read_text(encoding="utf-8"))  # plain JSON data, never pickle
    assert entry["documents"][0]["text"] == TEXT
    assert lookups == [False]
    assert load(file) == first
    assert lookups == [False, True]


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
    for garbage in ['{"format": 1, "key": "x"', '{"format": 1}', "[]", "\x00\x01"]:
        path.write_text(garbage, encoding="utf-8")
        assert load(file) == good
    documents = documents_of(path)
    entry = path.read_text(encoding="utf-8")
    path.write_text(entry.replace("海宁", "海盐"), encoding="utf-8")  # valid JSON, but not what was written
    assert load(file) == good
    documents[0]["tokens"][0] = [0, 10**6, "n"]  # offset beyond the text
    rewrite(path, documents)
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

    monkeypatch.setattr(Segmenter, "tokenize", no_segmenting)
    assert load(file) == first


def test_entries_that_parse_but_break_their_schema_or_key_are_rebuilt(tmp_path):
    file = tmp_path / "f.txt"
    file.write_text(TEXT, encoding="utf-8")
    before = set(entry_files())
    good = load(file)
    (path,) = set(entry_files()) - before
    documents = documents_of(path)
    for field, value in [("id", None), ("id", "other"), ("title", ["x"]), ("duplicates_removed", True),
                         ("duplicates_removed", -1), ("text", ""), ("tokens", []), ("sentences", []),
                         ("tokens", [[0, 2, "ns"]])]:  # a token list that stops short of the text
        changed = json.loads(json.dumps(documents))
        changed[0][field] = value
        rewrite(path, changed)
        assert load(file) == good, (field, value)
    for other in ([], [1], "x", {"a": 1}, documents * 2):
        rewrite(path, other)
        assert load(file) == good, other
    rewrite(path, "[" * 100_000 + "]" * 100_000)  # nested too deep for json's parser
    assert load(file) == good


def test_a_rejected_entry_is_reported_with_debug(tmp_path):
    from typer.testing import CliRunner

    from jiegui.cli import app

    file = tmp_path / "dbg.txt"
    file.write_text(TEXT, encoding="utf-8")
    before = set(entry_files())
    load(file)
    (path,) = set(entry_files()) - before
    rewrite(path, [])
    result = CliRunner().invoke(app, ["corpus", "-c", str(file), "--json", "--debug"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["id"] == "dbg"
    assert "jiegui: debug: cache entry" in result.stderr and "(no documents); rebuilding it" in result.stderr


def _own_and_foreign_files(root):
    """Files jiegui writes (by their exact names) and a user's files that merely sit in the same folders."""
    own = [root / "documents" / f"{'a' * 64}.json", root / "documents" / ".tmp-abcd_123.json",
           root / "jieba" / "jieba.dict.cache", root / "jieba" / "tmpk2j4h1x9", root / "idf-100-200.json",
           root / ".tmp-zz9x8y7w.json", root / "jieba.dict.cache", root / "vega-bundle-7.0.2-6.4.js"]
    foreign = [root / "documents" / "thesis.docx", root / "documents" / "notes.json", root / "documents" / f"{'a' * 64}.json.bak",
               root / "jieba" / "tmp-notes.txt", root / "readme.txt", root / "idf.json", root / "vega-bundle.js", root / "documents" / "sub" / "x.json",
               root / "documents" / f"{'b' * 64}.json" / "inner.txt"]
    for path in own + foreign:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"12345")
    return own, foreign


def test_clear_removes_only_files_jiegui_wrote_and_counts_them(tmp_path, monkeypatch):
    """JIEGUI_CACHE_DIR=~ must never cost a user's file: only exact cache names go, never a folder."""
    monkeypatch.setenv("JIEGUI_CACHE_DIR", str(tmp_path))
    own, foreign = _own_and_foreign_files(tmp_path)
    assert cache.info().entries == 1
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

    def full_disk(write, documents):
        write("[" + "x" * 1000)
        raise OSError(errno.ENOSPC, "No space left on device")

    file = tmp_path / "full.txt"
    file.write_text(TEXT + "嘉善。", encoding="utf-8")
    before = set(entry_files())
    monkeypatch.setattr(cache, "_write_documents", full_disk)
    assert load(file)[0].text == TEXT + "嘉善。"
    assert set(entry_files()) == before
    assert not list(cache.entries_dir().glob(".tmp-*"))
