"""Keyphrase discovery: cohesion (PMI), branching entropy, nesting, merging and the userdict export."""
from __future__ import annotations

import logging
import math
from pathlib import Path

import pytest

from jiegui.errors import InputError
from jiegui.models import Document, Phrase, Token
from jiegui.analyses.columns import TokenColumns
from jiegui.analyses.phrases import discover_phrases, merge_columns, merge_phrases, token_runs, userdict_lines, write_userdict
from jiegui.text.segment import Segmenter, SegmenterSettings


CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"
SINGLE_ARTICLES = ["haining-rong-hang-jie-hu", "jiaxing-qiaotoubao", "nanhu-jiegui-shanghai", "xiao-jiaxing-da-yexin"]


def doc_from_words(doc_id: str, words: str, pos: dict[str, str] | None = None) -> Document:
    """A document whose tokens are the space-separated words (POS from `pos`, else n; punctuation x)."""
    tokens, text = [], ""
    for word in words.split():
        tag = "x" if word in "，。、“”" else (pos or {}).get(word, "n")
        tokens.append(Token(word, tag, len(text), len(text) + len(word)))
        text += word
    return Document(doc_id, None, None, None, doc_id, text, (), tuple(tokens))


# Three towns each "接轨 上海", and 融杭 接 沪 always together: a phrase and its fragments.
WORDS = [
    "嘉兴 接轨 上海 ， 融杭 接 沪 。 平湖 接轨 上海 。",
    "海宁 接轨 上海 ， 融杭 接 沪 ， 桐乡 融入 杭州 。",
    "融杭 接 沪 是 海宁 战略 。 上海 接轨 国际 。",
]
POS = {"接轨": "v", "上海": "ns", "嘉兴": "ns", "平湖": "ns", "海宁": "ns", "桐乡": "ns", "杭州": "ns",
       "融杭": "j", "接": "v", "沪": "j", "是": "v", "融入": "v", "国际": "n"}


@pytest.fixture
def small_docs() -> list[Document]:
    return [doc_from_words(f"d{i}", words, POS) for i, words in enumerate(WORDS)]


def test_token_runs_break_at_punctuation_and_whitespace():
    tokens = Segmenter().tokenize("嘉兴接轨上海，融入长三角。 平湖 独山港")
    runs = [[t.text for t in run] for run in token_runs(tokens)]
    assert runs == [["嘉兴", "接轨上海"], ["融入", "长三角"], ["平湖"], ["独山港"]]


def test_statistics_of_a_phrase_are_exact(small_docs):
    phrases = {p.term: p for p in discover_phrases(small_docs, min_count=3, min_pmi=0.0, min_entropy=1.0)}
    total = 27  # tokens that are not punctuation
    phrase = phrases["接轨上海"]
    assert phrase.parts == ("接轨", "上海") and phrase.pos == "ns"
    assert (phrase.count, phrase.df) == (3, 2)
    # 接轨 occurs 4 times, 上海 4 times, together 3 times.
    assert phrase.pmi == pytest.approx(math.log2(3 * total / (4 * 4)), abs=1e-4)
    # left: 嘉兴, 平湖, 海宁; right: the run ends each time (three boundaries).
    assert phrase.left_entropy == pytest.approx(math.log2(3), abs=1e-4)
    assert phrase.right_entropy == pytest.approx(math.log2(3), abs=1e-4)
    assert phrase.score == pytest.approx(math.log2(3) * phrase.pmi * math.log2(3), abs=1e-3)


def test_fragments_of_a_longer_phrase_are_not_phrases(small_docs):
    terms = [p.term for p in discover_phrases(small_docs, min_count=3, min_pmi=0.0, min_entropy=1.0)]
    assert "融杭接沪" in terms
    assert "融杭接" not in terms and "接沪" not in terms


def test_thresholds_filter(small_docs):
    assert discover_phrases(small_docs, min_count=4, min_pmi=0.0, min_entropy=0.0) == []
    assert discover_phrases(small_docs, min_count=3, min_pmi=0.0, min_entropy=2.0) == []


def test_stopwords_and_function_words_do_not_bound_or_join_phrases():
    docs = [doc_from_words(f"d{i}", "嘉兴 和 上海 合作 。", {"和": "c"}) for i in range(3)]
    terms = {p.term for p in discover_phrases(docs, min_count=3, min_pmi=0.0, min_entropy=0.0)}
    assert "嘉兴和上海" not in terms and "嘉兴和" not in terms
    assert "上海合作" in terms


def test_bad_parameters_raise_input_error(small_docs):
    with pytest.raises(InputError):
        discover_phrases(small_docs, min_count=0)


def test_merge_phrases_keeps_offsets(small_docs):
    phrases = discover_phrases(small_docs, min_count=3, min_pmi=0.0, min_entropy=1.0)
    doc = small_docs[0]
    merged = merge_phrases(doc.tokens, phrases)
    assert [(t.text, t.pos) for t in merged] == [
        ("嘉兴", "ns"), ("接轨上海", "ns"), ("，", "x"), ("融杭接沪", "j"), ("。", "x"),
        ("平湖", "ns"), ("接轨上海", "ns"), ("。", "x"),
    ]
    assert all(doc.text[t.start : t.end] == t.text for t in merged)


@pytest.fixture(scope="module")
def plain_jieba_docs() -> list[Document]:
    """The four single-article seed documents segmented by plain jieba, without the domain dictionary."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    from jiegui.text.segment import cache_dir

    tokenizer.tmp_dir = str(cache_dir())
    tokenizer.initialize()
    pos_tokenizer = jieba.posseg.POSTokenizer(tokenizer)
    docs = []
    for name in SINGLE_ARTICLES:
        text = (CORPUS_DIR / f"{name}.txt").read_text(encoding="utf-8")
        tokens, cursor = [], 0
        for pair in pos_tokenizer.cut(text):
            start = text.find(pair.word, cursor)
            cursor = start + len(pair.word)
            if not pair.word.isspace():
                tokens.append(Token(pair.word, pair.flag, start, cursor))
        docs.append(Document(name, None, None, None, name, text, (), tuple(tokens)))
    return docs


def test_domain_terms_are_found_without_the_domain_dictionary(plain_jieba_docs):
    phrases = discover_phrases(plain_jieba_docs, stopwords=Segmenter().stopwords)
    by_term = {p.term: p for p in phrases}
    for term in ["接轨上海", "G60科创走廊", "融杭接沪", "漕河泾海宁分区", "沪嘉杭"]:
        assert term in by_term, term
    assert by_term["G60科创走廊"].parts == ("G60", "科创", "走廊")
    assert by_term["接轨上海"].count == 50
    # Fragments of those terms are not phrases of their own.
    for fragment in ["融杭接", "接沪", "G60科创", "科创走廊", "漕河泾海宁"]:
        assert fragment not in by_term, fragment
    assert phrases[0].term == "接轨上海"  # the best phrase


def test_exported_userdict_makes_jieba_keep_the_phrase_whole(plain_jieba_docs, tmp_path):
    phrases = discover_phrases(plain_jieba_docs, stopwords=Segmenter().stopwords)
    path = tmp_path / "phrases.txt"
    assert write_userdict(phrases, path) == len(phrases)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == userdict_lines(phrases)
    assert "融杭接沪 j" in lines
    segmenter = Segmenter(SegmenterSettings(userdicts=(str(path),)))
    assert "海宁分区" in [t.text for t in segmenter.tokenize("上海漕河泾开发区海宁分区是一块飞地。")]


def test_write_userdict_to_a_missing_directory_is_an_input_error(tmp_path, small_docs):
    with pytest.raises(InputError, match="cannot write"):
        write_userdict([], tmp_path / "missing" / "dict.txt")


def test_a_phrase_found_only_inside_longer_phrases_is_dropped():
    # 上海 全球 occurs five times, but always inside 上海全球城市 or 上海全球科创中心: neither alone holds
    # all five, together they do.
    words = ["上海 全球 城市 ， 建设 上海 全球 科创中心 。"] * 2 + ["上海 全球 城市 。 参与 上海 全球 科创中心 。 上海 全球 城市 ，"]
    docs = [doc_from_words(f"d{i}", w) for i, w in enumerate(words)]
    terms = {p.term for p in discover_phrases(docs, min_count=2, min_pmi=0.0, min_entropy=0.0)}
    assert {"上海全球城市", "上海全球科创中心"} <= terms
    assert "上海全球" not in terms


@pytest.mark.parametrize(
    "words, pos, phrase, found",
    [
        # a verb and the place it governs, the verb used mostly elsewhere
        ("融入 上海 ， 融入 长三角 ， 融入 全国 ， 融入 世界 ，", {"融入": "v", "上海": "ns", "长三角": "ns"}, "融入上海", False),
        # the verb used mostly with this object: a term (jieba cuts 接轨上海 into 接轨/上海)
        ("接轨 上海 ， 接轨 上海 ， 接轨 上海 ， 接轨 国际 ，", {"接轨": "v", "上海": "ns"}, "接轨上海", True),
        # a subject and its verb
        ("浙江 提出 ， 浙江 提出 ， 浙江 提出 ，", {"浙江": "ns", "提出": "v"}, "浙江提出", False),
        # an adverbial and its verb; a place and a direction
        ("成功 引进 ， 成功 引进 ， 成功 引进 ，", {"成功": "a", "引进": "v"}, "成功引进", False),
        ("小洋山 北侧 ， 小洋山 北侧 ， 小洋山 北侧 ，", {"小洋山": "ns", "北侧": "f"}, "小洋山北侧", False),
        # a stopword adjective inside a name (大 is a stopword)
        ("冰雪 大 世界 ， 冰雪 大 世界 ， 冰雪 大 世界 ，", {"大": "a"}, "冰雪大世界", True),
        # a function word joins two terms
        ("嘉兴 的 上海 ， 嘉兴 的 上海 ， 嘉兴 的 上海 ，", {"的": "uj"}, "嘉兴的上海", False),
    ],
)
def test_phrase_shapes(words, pos, phrase, found):
    docs = [doc_from_words(f"d{i}", words, pos) for i in range(3)]
    terms = {p.term for p in discover_phrases(docs, stopwords=Segmenter().stopwords, min_pmi=0.0, min_entropy=0.0)}
    assert (phrase in terms) is found, terms


def phrase(term: str, *parts: str) -> Phrase:
    return Phrase(term, parts, "n", 3, 1, 5.0, 2.0, 2.0, 10.0)


@pytest.mark.parametrize(
    "words, phrases, expected",
    [
        # overlapping phrases: the fewest tokens win
        ("哈尔滨 冰雪 大 世界", [phrase("哈尔滨冰雪", "哈尔滨", "冰雪"), phrase("冰雪大世界", "冰雪", "大", "世界")],
         ["哈尔滨", "冰雪大世界"]),
        # a tie: the later phrase, the head of a head-final noun phrase, is kept whole
        ("哈尔滨 冰雪 旅游", [phrase("哈尔滨冰雪", "哈尔滨", "冰雪"), phrase("冰雪旅游", "冰雪", "旅游")], ["哈尔滨", "冰雪旅游"]),
        # nested phrases: the longest
        ("上海 漕河泾 开发区", [phrase("上海漕河泾", "上海", "漕河泾"), phrase("上海漕河泾开发区", "上海", "漕河泾", "开发区")],
         ["上海漕河泾开发区"]),
        ("嘉兴 接轨 上海 ， 接轨 国际", [phrase("接轨上海", "接轨", "上海")], ["嘉兴", "接轨上海", "，", "接轨", "国际"]),
    ],
)
def test_merge_phrases_leaves_the_fewest_tokens(words, phrases, expected):
    doc = doc_from_words("d", words)
    merged = merge_phrases(doc.tokens, phrases)
    assert [t.text for t in merged] == expected
    assert all(doc.text[t.start : t.end] == t.text for t in merged)


def test_bundled_corpus_phrases_are_terms_not_clauses(corpus_docs):
    terms = {p.term for p in discover_phrases(corpus_docs, stopwords=Segmenter().stopwords)}
    assert {"长三角地区", "张江长三角科技城", "漕河泾海宁分区", "横沙岛", "沪嘉杭G60科创走廊", "长海医院"} <= terms
    # verbs with their objects, subjects with their verbs, a piece of 上海全球城市 / 上海全球科创中心
    assert not terms & {"融入上海", "承接上海", "学习江苏", "参与长三角", "浙江提出", "浙江应", "上海全球"}


@pytest.mark.parametrize(
    "words, phrases",
    [
        ("哈尔滨 冰雪 大 世界", [phrase("哈尔滨冰雪", "哈尔滨", "冰雪"), phrase("冰雪大世界", "冰雪", "大", "世界")]),
        ("哈尔滨 冰雪 旅游", [phrase("哈尔滨冰雪", "哈尔滨", "冰雪"), phrase("冰雪旅游", "冰雪", "旅游")]),
        ("上海 漕河泾 开发区", [phrase("上海漕河泾", "上海", "漕河泾"), phrase("上海漕河泾开发区", "上海", "漕河泾", "开发区")]),
        # the same parts twice: the first phrase; a one-part phrase never merges; a part no text has
        ("接轨 上海 ， 上海", [phrase("接轨上海", "接轨", "上海"), phrase("接轨大上海", "接轨", "上海"),
                            phrase("上海", "上海"), phrase("接轨浙江", "接轨", "浙江")]),
    ],
)
def test_merge_columns_makes_the_merges_of_merge_phrases(words, phrases):
    doc = doc_from_words("d", words)
    merged = merge_columns(TokenColumns.of([doc.tokens]), phrases)
    rows = zip(merged.word.tolist(), merged.tag.tolist(), merged.start.tolist(), merged.end.tolist())
    assert [Token(merged.words[w], merged.tags[t], s, e) for w, t, s, e in rows] == merge_phrases(doc.tokens, phrases)


def test_merge_columns_on_the_bundled_corpus_with_overlapping_phrases(corpus_docs):
    """Thousands of low-threshold phrases, many overlapping: document by document, the tokens
    merge_phrases leaves; a phrase never spans two documents (the next one may start at the offset where
    this one ends)."""
    ends = corpus_docs[-1].tokens[-1]
    padded = Document("padded", None, None, None, "padded", " " * ends.end + "接轨上海", (),  # starts where the last ends
                      (Token("接轨", "v", ends.end, ends.end + 2), Token("上海", "ns", ends.end + 2, ends.end + 4)))
    docs = [*corpus_docs, padded]
    phrases = discover_phrases(docs, min_count=1, min_pmi=0.0, min_entropy=0.0)
    assert len(phrases) > 3000
    phrases.append(phrase(ends.text + "接轨", ends.text, "接轨"))  # would cross the documents
    merged = merge_columns(TokenColumns.of(d.tokens for d in docs), phrases)
    bounds = merged.bounds.tolist()
    for k, doc in enumerate(docs):
        rows = slice(bounds[k], bounds[k + 1])
        texts = [merged.words[w] for w in merged.word[rows].tolist()]
        expected = merge_phrases(doc.tokens, phrases)
        assert texts == [t.text for t in expected], doc.id
        assert merged.start[rows].tolist() == [t.start for t in expected]
        assert merged.end[rows].tolist() == [t.end for t in expected]
