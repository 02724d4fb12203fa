import json
import stat

from jiegui import cache
from jiegui.corpus import Source, load_source
from jiegui.segment import Segmenter

TEXT = "嘉兴市引进来自上海的内资项目220个。总投资近1000亿元。"


def load(path, **options):
    return load_source(Source(str(path), path.stem), segmenter=Segmenter(), **options)


def entry_files():
    return sorted(cache.entries_dir().glob("*.json"))


def test_second_load_comes_from_cache_and_is_equal(tmp_path):
    file = tmp_path / "a.txt"
    file.write_text(TEXT, encoding="utf-8")
    before = set(entry_files())
    first = load(file)
    new = set(entry_files()) - before
    assert len(new) == 1
    entry = json.loads(new.pop().read_text(encoding="utf-8"))  # plain JSON data, never pickle
    assert entry["documents"][0]["text"] == TEXT
    assert load(file) == first


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
    payload = json.loads(path.read_text(encoding="utf-8"))
    payload["documents"][0]["tokens"][0] = [0, 10**6, "n"]  # offset beyond the text
    path.write_text(json.dumps(payload), encoding="utf-8")
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
