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


@pytest.mark.parametrize("high", [5, 1_000, 1 << 60])  # the last overflows key × n: np.unique does it
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
