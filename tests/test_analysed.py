"""The analysed document: prepared once, and a document without tokens refused in one place."""
from __future__ import annotations

import pytest

from jiegui.analysed import analyse
from jiegui.analyses.entities import extract_entities
from jiegui.analyses.facts import extract_facts
from jiegui.analyses.keywords import corpus_keywords
from jiegui.corpus import analyse_corpus
from jiegui.errors import NotSegmentedError
from jiegui.models import Document, Sentence
from jiegui.text.segment import Segmenter
from jiegui.text.sentences import split_sentences

TRADITIONAL = "嘉興市接軌上海。平湖市引進項目12個。"


def make_doc(text: str, *, tokens: bool = True, title: str | None = None) -> Document:
    segmented = tuple(Segmenter().tokenize(text)) if tokens else ()
    return Document("d", title, None, None, "d.txt", text, tuple(split_sentences(text)), segmented)


@pytest.mark.parametrize("analysis", [extract_facts, extract_entities, corpus_keywords])
def test_a_document_without_tokens_is_refused_not_resegmented(analysis):
    with pytest.raises(NotSegmentedError, match="'d' has no tokens"):
        analysis([make_doc("平湖市引进项目12个。", tokens=False)])


def test_traditional_text_is_simplified_once_with_the_same_offsets():
    prepared = analyse(make_doc(TRADITIONAL, title="嘉興接軌上海"))
    assert prepared.original == TRADITIONAL
    assert prepared.text == "嘉兴市接轨上海。平湖市引进项目12个。"
    assert prepared.title == "嘉兴接轨上海"
    assert [t.text for t in prepared.tokens][:2] == ["嘉兴市", "接轨上海"]
    assert all(prepared.text[t.start:t.end] == t.text for t in prepared.tokens)
    assert prepared.simplified_document().text == prepared.text


def test_simplified_text_is_shared_not_copied():
    document = make_doc("平湖市引进项目12个。")
    prepared = analyse(document)
    assert prepared.text is document.text and prepared.tokens is document.tokens
    assert prepared.simplified_document() is document


def test_sentence_at_finds_the_sentence_holding_an_offset():
    text = "第一句。 第二句！"
    document = Document("d", None, None, None, "d", text, (Sentence(1, 5, 9, "第二句！"), Sentence(0, 0, 4, "第一句。")),
                        tuple(Segmenter().tokenize(text)))
    prepared = analyse(document)
    assert [prepared.sentence_at(i) and prepared.sentence_at(i).index for i in range(len(text) + 1)] == \
        [0, 0, 0, 0, None, 1, 1, 1, 1, None]


def test_analyse_corpus_carries_the_users_stopwords(tmp_path):
    stopwords = tmp_path / "stop.txt"
    stopwords.write_text("平湖市\n", encoding="utf-8")
    (prepared,) = analyse_corpus([make_doc("平湖市引进项目12个。")], stopwords=[stopwords])
    assert "平湖市" in prepared.stopwords and "的" in prepared.stopwords
    assert prepared.settings.stopword_files == (str(stopwords),)
