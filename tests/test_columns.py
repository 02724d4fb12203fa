"""Token columns and the sort-based grouping that phrase discovery and keyword counting run on."""
from __future__ import annotations

import numpy as np
import pytest

from jiegui.analyses.columns import NO_WORD, TokenColumns, distinct, group
from jiegui.models import Token


def test_columns_number_words_and_tags_in_first_seen_order():
    texts = [[Token("嘉兴", "ns", 0, 2), Token("接轨", "v", 2, 4), Token("上海", "ns", 4, 6)], [],
             [Token("上海", "ns", 0, 2), Token("，", "x", 2, 3)]]
    columns = TokenColumns.of(texts)
    assert columns.words == ["", "嘉兴", "接轨", "上海", "，"] and columns.words[NO_WORD] == ""
    assert columns.tags == ["ns", "v", "x"]
    assert columns.word.tolist() == [1, 2, 3, 3, 4] and columns.tag.tolist() == [0, 1, 0, 0, 2]
    assert columns.start.tolist() == [0, 2, 4, 0, 2] and columns.end.tolist() == [2, 4, 6, 2, 3]
    assert columns.bounds.tolist() == [0, 3, 3, 5] and columns.text_of().tolist() == [0, 0, 0, 2, 2]
    assert columns.pairs().tolist() == [3, 7, 9, 9, 14]  # word × 3 tags + tag


# 5 and 1,000: counted (keys below 4 × their number); 10**6: sorted; 1 << 60 overflows key × n: np.unique does it
@pytest.mark.parametrize("high", [5, 1_000, 10**6, 1 << 60])
def test_group_is_np_unique_with_index_inverse_and_counts(high):
    keys = np.random.default_rng(7).integers(0, high, 5_000, dtype=np.int64)
    unique, first, inverse, counts = np.unique(keys, return_index=True, return_inverse=True, return_counts=True)
    groups = group(keys)
    assert groups.keys.tolist() == unique.tolist()
    assert groups.first.tolist() == first.tolist()  # the first occurrence of each key
    assert groups.group.tolist() == inverse.reshape(-1).tolist()
    assert groups.counts.tolist() == counts.tolist()
    assert distinct(keys).tolist() == unique.tolist()


def test_group_of_nothing():
    groups = group(np.zeros(0, dtype=np.int64))
    assert len(groups.keys) == len(groups.counts) == len(groups.first) == len(groups.group) == 0
    assert len(distinct(np.zeros(0, dtype=np.int64))) == 0


def _same_columns(a: TokenColumns, b: TokenColumns) -> None:
    assert a.words == b.words and a.tags == b.tags
    for name in ("word", "tag", "start", "end", "bounds"):
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name


def test_columns_read_from_the_cache_entries_equal_those_made_from_the_tokens(tmp_path):
    """Tokens read from the cache (LazyTokens, made into a TokenTuple when walked) give their columns straight from the entry's word and tag
    ids: the same columns as the Token objects give, in every order and selection of texts, mixed with
    plain tuples, with the furniture's tokens left out (words then used by no token, or first used in
    another order than the entry's table: renumbered)."""
    import pickle

    from jiegui.corpus import load_corpus
    from jiegui.models import LazyTokens, columns_of
    from jiegui.text.boilerplate import content_tokens
    from tests.conftest import write_generated_corpus

    root = write_generated_corpus(tmp_path, files=8, seed=3, dated=True)
    load_corpus(root)  # cold: writes the entries
    documents = load_corpus(root)
    assert all(isinstance(d.tokens, LazyTokens) and columns_of(d.tokens) is not None for d in documents)
    assert any(d.furniture for d in documents) and any("#" in d.id for d in documents)
    tokens = [d.tokens for d in documents]
    plain = [tuple(t) for t in tokens]
    assert tokens == plain and pickle.loads(pickle.dumps(tokens[0])) == plain[0]
    assert type(pickle.loads(pickle.dumps(tokens[0]))) is tuple
    selections = [
        list(range(len(tokens))),  # whole entries in order: the entries' numbering kept as it is
        list(reversed(range(len(tokens)))),
        list(range(1, len(tokens), 2)),  # one article of the compilation without the one before it
        [0, 0, 2],
    ]
    for chosen in selections:
        _same_columns(TokenColumns.of(tokens[k] for k in chosen), TokenColumns.of(plain[k] for k in chosen))
    mixed = [t if k % 3 else t[1:] for k, t in enumerate(tokens)]  # a slice is a plain tuple
    _same_columns(TokenColumns.of(mixed), TokenColumns.of(map(tuple, mixed)))
    content = [content_tokens(d) for d in documents]
    _same_columns(TokenColumns.of(content), TokenColumns.of(map(tuple, content)))
