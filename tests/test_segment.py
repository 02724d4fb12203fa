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
    """jieba.cut's HMM (jieba-rs) glues 为 to an unknown name (郑小茵为/nr); its run is cut again
    with jieba.posseg's HMM, as jieba.posseg itself would cut it."""
    tokens = segmenter.tokenize("主任郑小茵为大家介绍")
    assert [(t.text, t.pos, t.start, t.end) for t in tokens][1:3] == [("郑小茵", "nr", 2, 5), ("为", "p", 5, 6)]
    text = "主任郑小茵為大家介紹，會議在臺北舉行。"
    tokens = segmenter.tokenize(text)
    assert ("郑小茵", "nr") in [(to_simplified(text)[t.start : t.end], t.pos) for t in tokens]
    assert all(text[t.start : t.end] == t.text for t in tokens)


@pytest.fixture(scope="module")
def posseg():
    """jieba.posseg with the packaged dictionary: the tagger jiegui used before rjieba."""
    import logging

    import jieba
    import jieba.posseg

    from jiegui.text.segment import DATA

    jieba.setLogLevel(logging.CRITICAL)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(DATA / "userdict.txt"))
    return jieba.posseg.POSTokenizer(tokenizer)


@pytest.mark.parametrize(
    "text, glued, apart",
    [
        ("会议决定由县教育局牵头负责", "由县", ["由", "县"]),  # a preposition and a noun
        ("本届展会由市商务局主办", "由市", ["由", "市"]),
        ("省发展改革委等单位联合发文", "委等", ["委", "等"]),  # an abbreviation and a particle
        ("这次共有两省六个市参加", "两省", ["两", "省"]),  # a numeral and a noun
        ("这一地区的经济发展很快", "这一", ["这", "一"]),  # a pronoun and a numeral
        ("厂长钟笑眉为大家讲解", "眉为", ["钟笑眉", "为"]),  # an unknown name of the next word's character
    ],
)
def test_unknown_runs_are_cut_as_jieba_posseg_cuts_them(segmenter, posseg, text, glued, apart):
    """jieba-rs cuts the characters its dictionary leaves single with jieba.cut's HMM, which has no tags
    and glues them to their neighbours; the run is cut again with jieba.posseg's HMM: the same words
    and tags as jieba.posseg."""
    import rjieba

    assert glued in [word for word, _ in rjieba.Jieba().tag(text, True)]  # what jieba-rs alone gives
    tokens = [(t.text, t.pos) for t in segmenter.tokenize(text)]
    assert [word for word, _ in tokens if word in apart] == apart
    assert tokens == [(pair.word, pair.flag) for pair in posseg.cut(text)]


def test_posseg_hmm_finds_jieba_posseg_route():
    """The integer-state Viterbi gives jieba.posseg's own route on any run: characters of its table and
    characters it lacks (every state allowed), and ties (an emission jieba lacks scores -3.14e100, which
    absorbs the rest of a sum) going to the greater state, as jieba's max over (score, state) does."""
    import random

    from jiegui.text.posseg_hmm import PossegHMM, posseg_tables

    viterbi, tables = posseg_tables()
    hmm = PossegHMM()
    common = "会议决定由县教育局牵头负责省发展改革委等单位联合发文这次共有两六个市参加一地区的经济很快厂长钟笑眉为大家讲解"
    rare = "".join(chr(code) for code in range(0x9F00, 0x9FD6))  # mostly missing from jieba's table
    rng = random.Random(18)
    runs = ["".join(rng.choice(common + rare) for _ in range(rng.randint(1, 12))) for _ in range(150)]
    runs += ["".join(rng.choice(common) for _ in range(rng.randint(2, 6))) for _ in range(150)]
    assert [hmm.route(run) for run in runs] == [viterbi(run, *tables)[1] for run in runs]
    assert hmm.cut("郑小茵为") == [("郑小茵", "nr"), ("为", "p")]


@pytest.mark.parametrize("name", ["org_heads.txt", "local_bodies.txt", "structure_heads.txt", "subunit_heads.txt"])
def test_heads_the_entity_rules_look_for_are_dictionary_words(segmenter, name):
    """The organisation and structure rules read a head as one token (嘉善经开区: 经开区; 某某调节池:
    调节池). A head that is no word of the dictionary is one token only where an HMM happens to glue its
    characters (jieba.posseg's cuts 经/p 开区/ns): each one is in the packaged dictionary."""
    from jiegui import lexicon

    engine, _ = segmenter._engine
    assert [word for word in lexicon.entries(name) if len(word) > 1 and not engine.has_word(word)] == []


def test_tokenize_pauses_the_garbage_collector_and_restores_it(segmenter, monkeypatch):
    import gc

    seen = []
    engine = segmenter._engine[0]

    class Watching:  # the engine, noting whether the collector runs while it tags
        def tag(self, text, hmm):
            seen.append(gc.isenabled())
            return engine.tag(text, hmm)

        def has_word(self, word):
            return engine.has_word(word)

    monkeypatch.setattr(segmenter, "_engine", (Watching(), segmenter._engine[1]))
    assert [t.text for t in segmenter.tokenize("嘉兴南湖")] == ["嘉兴", "南湖"]
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        segmenter.tokenize("嘉兴南湖")
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
