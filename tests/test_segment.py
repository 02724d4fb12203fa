import os

import pytest

from jiegui.errors import InputError
from jiegui.text.segment import Segmenter, SegmenterSettings, is_content_word
from jiegui.text.traditional import to_simplified


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter()


@pytest.mark.parametrize(
    "text, term",
    [
        ("长三角的城市群", "长三角"),
        ("推进长三角一体化发展", "长三角一体化"),
        ("成立上海漕河泾开发区海宁分区", "漕河泾开发区"),
        ("融杭接沪是海宁的战略", "融杭接沪"),
        ("共同发布沪嘉杭G60科创走廊建设", "G60科创走廊"),
    ],
)
def test_domain_dictionary_keeps_terms_whole(segmenter, text, term):
    assert term in [t.text for t in segmenter.tokenize(text)]


def test_offsets_index_the_text(segmenter):
    text = "2016年，嘉兴市引进来自上海的内资项目220个，总投资近1000亿元。\n南湖区 IT 产业"
    tokens = segmenter.tokenize(text)
    assert tokens and all(text[t.start : t.end] == t.text for t in tokens)
    assert not any(t.text.isspace() for t in tokens)


def test_traditional_text_is_segmented_as_simplified_but_keeps_its_characters(segmenter):
    text = "臺灣的經濟發展與上海合作，會議在臺北舉行。"
    tokens = segmenter.tokenize(text)
    assert [(t.text, t.pos) for t in tokens][:4] == [("臺灣", "ns"), ("的", "uj"), ("經濟", "n"), ("發展", "vn")]
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_to_simplified_leaves_simplified_text_alone():
    assert to_simplified("乾隆年间的嘉兴") == "乾隆年间的嘉兴"
    assert to_simplified("會議在臺北舉行") == "会议在台北举行"


def test_stopwords_and_content_words(segmenter):
    assert {"的", "我们", "进一步"} <= segmenter.stopwords
    tokens = segmenter.tokenize("我们进一步推进接轨上海的工作，投资220亿元。")
    assert segmenter.words(tokens) == ["接轨上海", "工作", "投资"]
    assert not any(is_content_word(t, segmenter.stopwords) for t in segmenter.tokenize("，。220"))


def test_extra_stopwords(tmp_path):
    extra = tmp_path / "stop.txt"
    extra.write_text("工作\n", encoding="utf-8")
    seg = Segmenter(SegmenterSettings(stopword_files=(str(extra),)))
    assert Segmenter().words(seg.tokenize("嘉兴接轨上海的工作")) == ["嘉兴", "接轨上海", "工作"]
    assert seg.words(seg.tokenize("嘉兴接轨上海的工作")) == ["嘉兴", "接轨上海"]


def test_missing_user_dictionary_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        Segmenter(SegmenterSettings(userdicts=(str(tmp_path / "none.txt"),)))


def test_segmenting_writes_nothing_to_the_cache_dir(tmp_path, monkeypatch):
    """rjieba builds its dictionary in memory: no dictionary cache file, no temporary file."""
    monkeypatch.setenv("JIEGUI_CACHE_DIR", str(tmp_path))
    assert [t.text for t in Segmenter().tokenize("嘉兴热身")] == ["嘉兴", "热身"]
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "text",
    [
        "iPhone 15 Pro售价６９９９元，约合US$1,000.50。\r\n\n第二段\t😀👍🏽表情 𠀀𠀁字",
        "臺灣的經濟發展與上海合作，會議在臺北舉行。\n\u3000\u3000國際 IT 產業 ５Ｇ網路",
        "   \n\n",
        "\x00控制\u200b字符\ufeff",
    ],
)
def test_tokens_and_whitespace_cover_tricky_text_exactly(segmenter, text):
    """Latin, digits, full-width forms, newlines, emoji (astral and combined), Traditional, controls:
    every token indexes the text, and tokens plus whitespace are the whole text in order."""
    tokens = segmenter.tokenize(text)
    assert all(text[t.start : t.end] == t.text and not t.text.isspace() for t in tokens)
    bounds = [0, *(x for t in tokens for x in (t.start, t.end)), len(text)]
    assert all(start <= end for start, end in zip(bounds[::2], bounds[1::2]))
    assert all(text[start:end].isspace() for start, end in zip(bounds[::2], bounds[1::2]) if start < end)


def test_without_a_usable_cache_dir_the_dictionary_is_built_in_memory(tmp_path, monkeypatch, capfd):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("JIEGUI_CACHE_DIR", str(blocker / "cache"))  # under a regular file
    assert [t.text for t in Segmenter().tokenize("嘉兴热身")] == ["嘉兴", "热身"]
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("option", ["userdicts", "stopword_files"])
def test_word_files_that_are_not_regular_files_are_named_for_what_they_are(tmp_path, option):
    with pytest.raises(InputError, match="is a directory, not a file"):
        Segmenter(SegmenterSettings(**{option: (str(tmp_path),)}))
    with pytest.raises(InputError, match="/dev/null is not a regular file"):
        Segmenter(SegmenterSettings(**{option: ("/dev/null",)}))


def test_settings_fingerprint_changes_with_dictionary_content(tmp_path):
    userdict = tmp_path / "d.txt"
    userdict.write_text("新埭镇 5 ns\n", encoding="utf-8")
    settings = SegmenterSettings(userdicts=(str(userdict),))
    assert settings.fingerprint() != SegmenterSettings().fingerprint()


def test_user_dictionary_words_frequencies_and_tags_are_honoured(tmp_path):
    """jieba's format: `word [freq] [tag]`. A new word is kept whole (a missing frequency is computed so
    that it is), a tag replaces the dictionary's tag of a word it already has (jieba-rs alone would keep
    热身/n), and a new word without a tag is x, as jieba tags it."""
    text = "热身，新埭镇商会和海盐秦山核电新区共建"
    default = Segmenter()
    assert ("热身", "n") in [(t.text, t.pos) for t in default.tokenize(text)]
    assert "新埭镇商会" not in [t.text for t in default.tokenize(text)]
    userdict = tmp_path / "d.txt"
    userdict.write_text("\ufeff热身 500 vn\n新埭镇商会 nt\n秦山核电新区\n\n", encoding="utf-8")
    tagged = [(t.text, t.pos) for t in Segmenter(SegmenterSettings(userdicts=(str(userdict),))).tokenize(text)]
    assert ("热身", "vn") in tagged
    assert ("新埭镇商会", "nt") in tagged
    assert ("秦山核电新区", "x") in tagged
    assert ("热身", "n") in [(t.text, t.pos) for t in default.tokenize(text)]  # each segmenter its own dictionary


def test_user_dictionary_that_is_not_utf8_is_an_input_error(tmp_path):
    userdict = tmp_path / "d.txt"
    userdict.write_bytes("新埭镇 5 ns\n".encode("gbk"))
    with pytest.raises(InputError, match="bad user dictionary .*not UTF-8"):
        Segmenter(SegmenterSettings(userdicts=(str(userdict),))).tokenize("新埭镇")


def test_an_unknown_name_keeps_the_next_word_apart(segmenter):
    """jieba.cut's HMM (jieba-rs) glues 为 to an unknown name (郑小茵为/nr); such names are cut again
    with jieba.posseg's HMM, as jieba.posseg itself would cut them."""
    tokens = segmenter.tokenize("主任郑小茵为大家介绍")
    assert [(t.text, t.pos, t.start, t.end) for t in tokens][1:3] == [("郑小茵", "nr", 2, 5), ("为", "p", 5, 6)]
    text = "主任郑小茵為大家介紹，會議在臺北舉行。"
    tokens = segmenter.tokenize(text)
    assert ("郑小茵", "nr") in [(to_simplified(text)[t.start : t.end], t.pos) for t in tokens]
    assert all(text[t.start : t.end] == t.text for t in tokens)
