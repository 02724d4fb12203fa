from pathlib import Path

import pytest

from jiegui.text.clean import clean_text
from jiegui.models import Sentence
from jiegui.text.sentences import split_sentences

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize(
    "text, expected",
    [
        # seed haining: the closing quote stays with the exclamation it closes
        (
            "“我这个病以前海宁看不了，必须到上海的大医院。这下好了，在家门口就把病给看好了！”朱阿姨由衷感叹。",
            ["“我这个病以前海宁看不了，必须到上海的大医院。", "这下好了，在家门口就把病给看好了！”", "朱阿姨由衷感叹。"],
        ),
        # seed compilation: 谁来投资？谁来运营？
        ("沪嘉两地间建设轨道交通的呼声很高，谁来投资？谁来运营？", ["沪嘉两地间建设轨道交通的呼声很高，谁来投资？", "谁来运营？"]),
        # ellipsis, single and double
        ("从两地共融到三地共建……嘉兴接轨上海的战略渐次深入。", ["从两地共融到三地共建……", "嘉兴接轨上海的战略渐次深入。"]),
        ("项目有枫南小镇…等等", ["项目有枫南小镇…", "等等"]),
        # closing brackets of a source statement
        ("的人口和21%的地区生产总值。（来源：浙江在线2016-6-4）", ["的人口和21%的地区生产总值。", "（来源：浙江在线2016-6-4）"]),
        ("他说：“走出去。”（完）下一句", ["他说：“走出去。”", "（完）下一句"]),
        ("《接轨上海？》】结束", ["《接轨上海？》】", "结束"]),
        # ASCII terminators and runs of them; a decimal point is not a sentence end
        ("总投资183.9亿元!真的吗?!是的", ["总投资183.9亿元!", "真的吗?!", "是的"]),
        # a paragraph break ends a sentence; blank and space-only lines give nothing
        ("发挥平台效应\n  搭起一座桥 \n\n \n结束。", ["发挥平台效应", "搭起一座桥", "结束。"]),
        ("", []),
        ("  \n ", []),
    ],
)
def test_split_sentences(text, expected):
    assert [s.text for s in split_sentences(text)] == expected


def test_offsets_and_indexes():
    text = "  第一句。第二句！\n第三段"
    assert split_sentences(text) == [
        Sentence(0, 2, 6, "第一句。"),
        Sentence(1, 6, 10, "第二句！"),
        Sentence(2, 11, 14, "第三段"),
    ]


def test_every_sentence_of_the_corpus_indexes_its_text():
    for path in sorted(CORPUS.glob("*.txt")):
        text = clean_text(path.read_text(encoding="utf-8"))
        sentences = split_sentences(text)
        assert sentences and [s.index for s in sentences] == list(range(len(sentences)))
        for sentence in sentences:
            assert text[sentence.start : sentence.end] == sentence.text == sentence.text.strip() != ""
            assert "\n" not in sentence.text
        # nothing but whitespace between sentences
        gaps = [text[a.end : b.start] for a, b in zip(sentences, sentences[1:])]
        assert all(gap.strip() == "" for gap in gaps)


def test_sentence_pattern_matches_as_the_regex_module_does():
    """The pattern runs on the standard library's `re`: its matches must be those `regex` finds (the
    module the other patterns use), on random mixes of terminators, quotes, spaces and newlines."""
    import random

    import regex

    from jiegui.text.sentences import _SENTENCE, sentence_spans

    other = regex.compile(_SENTENCE.pattern)
    rng = random.Random(18)
    alphabet = "。！？!?….\n ”’」』）)】》〉\"]a中\t\u3000"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert [m.span() for m in _SENTENCE.finditer(text)] == [m.span() for m in other.finditer(text)]
        spans = [(m.start(), m.end()) for m in other.finditer(text)]
        trimmed = [(a + len(text[a:b]) - len(text[a:b].lstrip()), b - len(text[a:b]) + len(text[a:b].rstrip())) for a, b in spans]
        assert list(zip(*sentence_spans(text))) == [(a, b) for a, b in trimmed if a < b]
