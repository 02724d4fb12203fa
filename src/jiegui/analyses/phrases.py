"""Keyphrase discovery: multi-word terms the corpus uses as units (接轨上海, G60科创走廊, 漕河泾开发区).

A run of 2–4 adjacent jieba tokens is a phrase when, over the whole corpus,
- it occurs at least `min_count` times;
- its parts stick together: the lowest pointwise mutual information over the ways to cut it in two,
  log2(p(ab) / (p(a)·p(b))), is at least `min_pmi` bits (cohesion);
- it combines freely with what surrounds it: the entropy of the token just before it and of the token
  just after it are both at least `min_entropy` bits (branching entropy). A fragment of a longer term
  (融杭接 of 融杭接沪) fails here, because it is almost always followed by the same token.
Sentence boundaries and punctuation count as a different neighbour each time, so a term quoted as
“接轨上海” is free on both sides. A phrase starts and ends with a content word, never spans
punctuation or whitespace, is not joined by a function word (嘉兴和上海), is not a verb and its object
when the verb is used mostly elsewhere (占全国, 融入上海 — but 横沙岛, and 接轨上海 where jieba cuts it),
nor a subject and its verb (浙江提出), an adverbial and its verb (成功引进), a place and a direction
(小洋山北侧) or a term and a generic head other than an amount (接轨上海工作, not 进出口总额:
`data/generic_tails.txt`), and takes the POS tag of its head (last token: Chinese is
head-final). A phrase that never occurs outside longer phrases is dropped.
The method follows the "new word discovery" literature (e.g. Huang & Powers 2003; Matrix67 2012).
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count
from pathlib import Path
from typing import TYPE_CHECKING

from jiegui.analyses.columns import NO_WORD, TokenColumns, distinct, group
from jiegui.collector import collector_paused
from jiegui.errors import InputError
from jiegui.lexicon import word_set
from jiegui.models import Document, Phrase, Token
from jiegui.text.boilerplate import content_tokens
from jiegui.text.segment import is_content_word

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MAX_TOKENS = 4
MIN_COUNT = 3
MIN_PMI = 3.0
MIN_ENTROPY = 1.0
_BREAK_POS = {"x", "w"}
_PREDICATE_POS = {"v", "vd", "vg", "vi", "d", "ad", "a", "f"}
_VERB_POS = {"v", "vd", "vg", "vi"}
_NAME_POS = {"ns", "nr", "nrt", "nrfg", "nt", "j"}  # places, persons, organisations, abbreviations
_ADVERBIAL_POS = {"a", "ad", "d"}
_FUNCTION_POS = {"c", "p", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "y", "e", "o"}
# An amount names a quantity (进出口总额 is an indicator); the other generic tails name no referent.
_AMOUNTS = frozenset({"金额", "总额", "数额"})
_MODIFIER_POS = {"a", "b"}  # 大 of 冰雪大世界, 小 of 小洋山: stopwords, but not function words


@lru_cache(maxsize=1 << 16)
def _has_alnum(text: str) -> bool:
    """Memoised per distinct text: the same few punctuation marks recur millions of times."""
    return any(ch.isalnum() for ch in text)


def _is_break(token: Token) -> bool:
    """Punctuation and symbols end a run of tokens: no phrase spans them."""
    return token.pos in _BREAK_POS and not _has_alnum(token.text)


def token_runs(tokens: Sequence[Token]) -> Iterator[list[Token]]:
    """Maximal runs of adjacent tokens with no punctuation, symbol or whitespace between them."""
    run: list[Token] = []
    for token in tokens:
        if token.pos in _BREAK_POS and not _has_alnum(token.text):  # _is_break, inlined: the hot loop
            if run:
                yield run
            run = []
        elif run and token.start != run[-1].end:
            yield run
            run = [token]
        else:
            run.append(token)
    if run:
        yield run


def _entropy(neighbours: Sequence[int], boundaries: int) -> float:
    """Entropy (bits) of a neighbour distribution (each neighbour's count, in first-seen order: the order
    of the sum); each boundary counts as a neighbour of its own."""
    total = sum(neighbours) + boundaries
    if total == 0:
        return 0.0
    h = -sum(n / total * math.log2(n / total) for n in neighbours)
    return h + boundaries / total * math.log2(total)


def discover_phrases(
    documents: Iterable[Document],
    *,
    stopwords: frozenset[str] | set[str] = frozenset(),
    min_count: int = MIN_COUNT,
    min_pmi: float = MIN_PMI,
    min_entropy: float = MIN_ENTROPY,
    max_tokens: int = MAX_TOKENS,
) -> list[Phrase]:
    """Phrases of the corpus, best first (score = min(left, right entropy) × PMI × log2(count)).

    A phrase contained in longer phrases is kept only if it also occurs outside all of them, so 科创走廊
    survives next to G60科创走廊 only when the corpus also uses it alone. The documents' furniture
    (lead-ins, bylines: `jiegui.text.boilerplate`) is left out: `央视网消息` is no phrase of the corpus.
    """
    _check(min_count, max_tokens)
    return discover_phrases_in(
        TokenColumns.of(map(content_tokens, documents)), stopwords=stopwords, min_count=min_count,
        min_pmi=min_pmi, min_entropy=min_entropy, max_tokens=max_tokens,
    )


def _check(min_count: int, max_tokens: int) -> None:
    if min_count < 1:
        raise InputError(f"min_count must be at least 1, not {min_count}", parameter="min_count")
    if max_tokens < 2:
        raise InputError(f"max_tokens must be at least 2, not {max_tokens}", parameter="max_tokens")


@collector_paused()  # n-gram tuples and run lists: 9 s of CPU with the collector running, 3 s without (10 MB)
def discover_phrases_in(
    columns: TokenColumns,
    *,
    stopwords: frozenset[str] | set[str] = frozenset(),
    min_count: int = MIN_COUNT,
    min_pmi: float = MIN_PMI,
    min_entropy: float = MIN_ENTROPY,
    max_tokens: int = MAX_TOKENS,
) -> list[Phrase]:
    """`discover_phrases` over the columns of the documents' tokens (their furniture left out already):
    the keyword ranker makes the columns once for both."""
    import numpy as np

    _check(min_count, max_tokens)
    runs = _Runs.of(columns)
    counts: dict[tuple[str, ...], int] = dict(zip(((word,) for word in runs.words), runs.unigrams.tolist()))
    total = int(runs.unigrams.sum())
    grams, at = _frequent_ngrams(runs, min_count, max_tokens)
    for size_grams in grams[2:]:
        counts.update(size_grams)

    best_tags: dict[str, str] = {}
    content_words: dict[str, bool] = {}

    def tag(word: str) -> str:
        best = best_tags.get(word)
        if best is None:
            best = best_tags[word] = runs.tags[word].most_common(1)[0][0]
        return best

    def content(word: str) -> bool:
        known = content_words.get(word)
        if known is None:
            known = content_words[word] = is_content_word(Token(word, tag(word), 0, len(word)), stopwords)
        return known

    def linking(word: str) -> bool:
        """Inside a phrase: a conjunction, particle, preposition or other stopword joins two terms (和, 等,
        的); a stopword adjective does not (大 of 冰雪大世界)."""
        return tag(word) in _FUNCTION_POS or (word in stopwords and tag(word) not in _MODIFIER_POS)

    tails = word_set("generic_tails.txt")
    candidates: dict[tuple[str, ...], tuple[float, str]] = {}
    for gram, n in (item for size_grams in grams[2:] for item in size_grams.items()):
        if not content(gram[0]) or not content(gram[-1]):
            continue
        if any(linking(word) for word in gram[1:-1]):
            continue
        first, last = tag(gram[0]), tag(gram[-1])
        if len(gram[0]) == 1 and first in _PREDICATE_POS and counts[gram[:1]] > 2 * n:
            continue  # 占全国: a one-character verb and its object; but 横 of 横沙岛 occurs only there
        if first in _VERB_POS and last in _NAME_POS and counts[gram[:1]] >= 2 * n:
            continue  # 融入上海, 学习江苏: a verb and the name it governs, the verb mostly used elsewhere
        if first in _NAME_POS and last in _VERB_POS:
            continue  # 浙江提出, 浙江应: a subject and its verb
        if first in _ADVERBIAL_POS and last in _VERB_POS:
            continue  # 成功引进: a verb and its adverbial
        if last == "f":
            continue  # 小洋山北侧: a place and a direction (a locative phrase, not a name)
        if gram[-1] in tails and gram[-1] not in _AMOUNTS:
            continue  # 接轨上海工作, 资源共享方面: a generic head adds an aspect, not a referent
        pmi = min(
            math.log2(n * total / (counts[gram[:k]] * counts[gram[k:]])) for k in range(1, len(gram))
        )
        if pmi >= min_pmi:
            candidates[gram] = (pmi, last)

    # The candidates' neighbours, size by size (a candidate's id: its index among its size's n-grams).
    found: list[Phrase] = []
    places: list[tuple[int, NDArray[np.int64]]] = []  # each found phrase's size and first positions
    for size in sorted({len(gram) for gram in candidates}):
        wanted = [number for number, gram in enumerate(grams[size]) if gram in candidates]
        occurrences = _Occurrences.of(at[size], wanted, size, runs)
        groups = np.split(occurrences.positions, np.flatnonzero(np.diff(occurrences.grams)) + 1)
        for number, gram, where in zip(wanted, (gram for gram in grams[size] if gram in candidates), groups):
            pmi, pos = candidates[gram]
            h_left = _entropy(occurrences.left[number], occurrences.left_edges[number])
            h_right = _entropy(occurrences.right[number], occurrences.right_edges[number])
            if min(h_left, h_right) < min_entropy:
                continue
            n = counts[gram]
            score = min(h_left, h_right) * pmi * math.log2(n)
            found.append(Phrase("".join(gram), gram, pos, n, occurrences.df[number], round(pmi, 4),
                                round(h_left, 4), round(h_right, 4), round(score, 4)))
            places.append((size, where))
    phrases = [found[k] for k in _free_phrases(places)]
    phrases.sort(key=lambda p: (-p.score, -p.count, p.term))
    return phrases


BOUNDARY = NO_WORD  # the word id between runs and of punctuation: no n-gram holds it


@dataclass(frozen=True, slots=True)
class _Runs:
    """The corpus's runs (see `token_runs`) as one array of word ids with BOUNDARY before, between and
    after them: n-grams are then counted and found with numpy over int64 keys, not a tuple of strings
    per n-gram in a Counter (10 MB corpus: discovery 5 s of CPU → well under one).

    `words[id]` is the word of an id; `doc_at` the document of each position (-1 on a boundary);
    `unigrams` the count of each word id; `tags` each word's tags with their counts, in first-seen order
    (it breaks ties in most_common).
    """

    ids: NDArray[np.int64]
    words: list[str]
    doc_at: NDArray[np.int64]
    unigrams: NDArray[np.int64]
    tags: dict[str, Counter[str]]

    @staticmethod
    def of(columns: TokenColumns) -> _Runs:
        import numpy as np

        words, tags = columns.words, columns.tags
        break_tag = np.array([tag in _BREAK_POS for tag in tags] or [False], dtype=bool)
        # a break: punctuation or a symbol (x, w) without a letter or digit; decided once per distinct word
        breaks = break_tag[columns.tag]
        candidates = distinct(columns.word[breaks])
        no_alnum = np.zeros(len(words), dtype=bool)
        no_alnum[candidates] = [not _has_alnum(words[w]) for w in candidates.tolist()]
        breaks &= no_alnum[columns.word]
        token_words = np.where(breaks, BOUNDARY, columns.word)
        # A boundary before each document's first token and where a token does not start where the one
        # before it ends (whitespace between them), and one after the last token.
        separated = np.ones(len(columns), dtype=bool)
        separated[1:] = columns.start[1:] != columns.end[:-1]
        firsts = columns.bounds[:-1]
        separated[firsts[firsts < len(columns)]] = True
        positions = np.arange(len(columns), dtype=np.int64) + np.cumsum(separated)
        ids = np.zeros(len(columns) + int(separated.sum()) + 1, dtype=np.int64)  # BOUNDARY everywhere else
        ids[positions] = token_words
        doc_at = np.full(len(ids), -1, dtype=np.int64)
        doc_at[positions] = columns.text_of()
        unigrams = np.bincount(token_words, minlength=len(words))
        unigrams[BOUNDARY] = 0
        # each word's tags, counted over the runs' tokens, in first-seen order
        kept = np.flatnonzero(~breaks)
        pairs = group(columns.pairs()[kept])
        order = np.argsort(pairs.first)
        word_tags: dict[str, Counter[str]] = defaultdict(Counter)
        for key, n in zip(pairs.keys[order].tolist(), pairs.counts[order].tolist()):
            word, tag = divmod(key, max(len(tags), 1))
            word_tags[words[word]][tags[tag]] = n
        return _Runs(ids, words, doc_at, unigrams, word_tags)


def _frequent_ngrams(
    runs: _Runs, min_count: int, max_tokens: int
) -> tuple[list[dict[tuple[str, ...], int]], list[NDArray[np.int64]]]:
    """The n-grams (n ≤ `max_tokens`) occurring at least `min_count` times, per size n, each in first-seen
    order with its count; and per size, at each position of `runs.ids`, the id of the frequent n-gram
    starting there (its index in that size's dict), or -1.

    Apriori: an n-gram can only be frequent if its (n-1)-gram prefix is, so an n-gram is counted as the
    pair (id of its frequent prefix, id of its last word), packed into one int64 key.
    """
    import numpy as np

    ids, words = runs.ids, runs.words
    base = len(words)  # key = prefix id × base + last word id
    frequent_words = np.flatnonzero(runs.unigrams >= min_count).tolist()
    grams: list[dict[tuple[str, ...], int]] = [{}, {(words[w],): int(runs.unigrams[w]) for w in frequent_words}]
    previous: list[tuple[str, ...]] = [()] * base
    for w in frequent_words:
        previous[w] = (words[w],)
    at: list[NDArray[np.int64]] = [ids[:0], np.where(runs.unigrams[ids] >= min_count, ids, -1)]
    for size in range(2, max_tokens + 1):
        prefixes, last = at[size - 1][: len(ids) - size + 1], ids[size - 1 :]
        positions = np.flatnonzero((prefixes >= 0) & (last != BOUNDARY))  # BOUNDARY last: past its run
        keys = prefixes[positions] * base + last[positions]
        grams_here = group(keys)
        frequent = np.flatnonzero(grams_here.counts >= min_count)
        frequent = frequent[np.argsort(grams_here.first[frequent])]  # first-seen order
        number = np.full(len(grams_here.keys), -1, dtype=np.int64)
        number[frequent] = np.arange(len(frequent), dtype=np.int64)
        found = np.full(len(ids), -1, dtype=np.int64)
        found[positions] = number[grams_here.group]
        at.append(found)
        size_grams: dict[tuple[str, ...], int] = {}
        for key, n in zip(grams_here.keys[frequent].tolist(), grams_here.counts[frequent].tolist()):
            prefix, word = divmod(key, base)
            size_grams[previous[prefix] + (words[word],)] = n
        grams.append(size_grams)
        previous = list(size_grams)
    return grams, at


@dataclass(frozen=True, slots=True)
class _Occurrences:
    """Where the wanted n-grams of one size occur, in how many documents, and their left and right
    neighbours: each neighbour's count in first-seen order, and the runs' edges apart (each edge is a
    neighbour of its own, see `_entropy`). `positions`: the first position of each occurrence in
    `runs.ids`, grouped by n-gram (`grams`: the n-gram of each), in text order within a group."""

    positions: NDArray[np.int64]
    grams: NDArray[np.int64]
    df: list[int]
    left: dict[int, list[int]]
    right: dict[int, list[int]]
    left_edges: list[int]
    right_edges: list[int]

    @staticmethod
    def of(at: NDArray[np.int64], wanted: list[int], size: int, runs: _Runs) -> _Occurrences:
        import numpy as np

        ids, base = runs.ids, len(runs.words)
        width = int(at.max()) + 2
        is_wanted = np.zeros(width, dtype=bool)  # is_wanted[-1]: -1, no frequent n-gram there
        is_wanted[wanted] = True
        positions = np.flatnonzero(is_wanted[at])
        grams = at[positions]
        documents = int(runs.doc_at.max()) + 1
        df = np.bincount(distinct(grams * documents + runs.doc_at[positions]) // documents, minlength=width)
        sides = []
        for neighbours in (ids[positions - 1], ids[positions + size]):
            edge = neighbours == BOUNDARY
            edges = np.bincount(grams[edge], minlength=width).tolist()
            kept = np.flatnonzero(~edge)
            pairs = group(grams[kept] * base + neighbours[kept])
            order = np.lexsort((pairs.first, pairs.keys // base))  # by n-gram, then first seen
            counts: dict[int, list[int]] = {gram: [] for gram in wanted}
            for gram, n in zip((pairs.keys[order] // base).tolist(), pairs.counts[order].tolist()):
                counts[gram].append(n)
            sides.append((counts, edges))
        (left, left_edges), (right, right_edges) = sides
        by_gram = np.sort(grams * len(ids) + positions)  # grouped by n-gram, in text order within a group
        return _Occurrences(by_gram % len(ids), by_gram // len(ids), df.tolist(), left, right, left_edges, right_edges)


def _free_phrases(occurrences: Sequence[tuple[int, NDArray[np.int64]]]) -> list[int]:
    """The phrases that stand on their own, given for each (its size, the first positions of its
    occurrences; positions of different runs differ): their indexes in `occurrences`.

    Dropped: a phrase that never occurs outside longer phrases, even when no single longer phrase holds
    all its occurrences (上海全球 of 上海全球城市 and 上海全球科创中心).
    """
    import numpy as np

    if not occurrences:
        return []
    width = max(size for size, _ in occurrences) + 1  # a span (start, size) is the key start × width + size
    lengths = np.array([len(where) for _, where in occurrences], dtype=np.int64)
    starts = np.concatenate([where for _, where in occurrences])
    spans = np.repeat(np.array([size for size, _ in occurrences], dtype=np.int64), lengths)
    inside = [starts[:0]]  # the spans inside a longer phrase: `size` ≥ 2 from `shift`, ending inside it
    for size in range(2, width - 1):
        for shift in range(width - size):
            holders = spans >= max(size + 1, shift + size)
            inside.append((starts[holders] + shift) * width + size)
    held = np.isin(starts * width + spans, np.concatenate(inside))
    outside = np.add.reduceat((~held).astype(np.int64), np.cumsum(lengths) - lengths)
    free: list[int] = np.flatnonzero(outside > 0).tolist()
    return free


def merge_phrases(tokens: Sequence[Token], phrases: Iterable[Phrase]) -> list[Token]:
    """The tokens with the occurrences of phrases merged into single tokens.

    Where phrases overlap, the merge leaving the fewest tokens wins (哈尔滨 + 冰雪大世界, not
    哈尔滨冰雪 + 大 + 世界); on a tie, the later phrase (哈尔滨 + 冰雪旅游: Chinese noun phrases are
    head-final, so the head compound is kept whole). Without overlaps this is longest match first.
    A merged token spans its parts (`start` of the first, `end` of the last) and carries the phrase's POS.
    (`merge_columns` makes the same merges over a corpus's columns.)
    """
    phrases = list(phrases)
    by_first: dict[str, list[int]] = defaultdict(list)
    for number, phrase in enumerate(phrases):
        by_first[phrase.parts[0]].append(number)
    matches: dict[int, list[int]] = {}  # token index → phrases occurring there
    texts = [t.text for t in tokens]
    for i in compress(count(), map(by_first.__contains__, texts)):  # where some phrase's first part is
        for number in by_first[texts[i]]:
            parts = phrases[number].parts
            size = len(parts)
            if tuple(texts[i : i + size]) == parts and all(
                tokens[k].end == tokens[k + 1].start for k in range(i, i + size - 1)
            ):
                matches.setdefault(i, []).append(number)
    if not matches:
        return list(tokens)
    merged: list[Token] = []
    positions = sorted(matches)
    cursor = k = 0
    while k < len(positions):  # clusters of overlapping matches; the tokens between them are copied
        start = positions[k]
        end = start + max(len(phrases[p].parts) for p in matches[start])
        k += 1
        while k < len(positions) and positions[k] < end:
            end = max(end, positions[k] + max(len(phrases[p].parts) for p in matches[positions[k]]))
            k += 1
        merged.extend(tokens[cursor:start])
        i = start
        for at, number in sorted(_fewest(matches, start, end, phrases).items()):
            merged.extend(tokens[i:at])
            match = phrases[number]
            merged.append(Token(match.term, match.pos, tokens[at].start, tokens[at + len(match.parts) - 1].end))
            i = at + len(match.parts)
        merged.extend(tokens[i:end])
        cursor = end
    merged.extend(tokens[cursor:])
    return merged


def merge_columns(columns: TokenColumns, phrases: Sequence[Phrase]) -> TokenColumns:
    """`merge_phrases` over columns: the rows of each merged occurrence become one row with the phrase's
    term and POS (ids appended to `words` and `tags` when new), the start of its first part and the end
    of its last. The same merges as `merge_phrases` on each text's tokens.

    The occurrences are found in all texts at once, walking a trie of the phrases' parts one token further
    per step (numpy); only clusters of overlapping occurrences at different places run `merge_phrases`'
    dynamic programme in Python (at one place, its longest phrase leaves the fewest tokens).
    """
    import numpy as np

    words, base, n = columns.words, len(columns.words), len(columns)
    index = {word: number for number, word in enumerate(words) if number != NO_WORD}
    # The trie: node 0 is the root, a node is reached by (parent node, word id); `ending[node]`: the
    # phrases (indexes, in order) whose parts end there. A one-part phrase never merges: left out.
    child: dict[tuple[int, int], int] = {}
    ending: dict[int, list[int]] = defaultdict(list)
    for number, phrase in enumerate(phrases):
        ids = [index.get(part) for part in phrase.parts]
        if len(ids) < 2 or None in ids:
            continue  # a part no text has: the phrase occurs nowhere
        node = 0
        for word in ids:
            node = child.setdefault((node, word), len(child) + 1)  # type: ignore[arg-type]
        ending[node].append(number)
    if not ending:
        return columns
    edges = np.array(sorted(parent * base + word for parent, word in child), dtype=np.int64)
    targets = np.array([child[divmod(key, base)] for key in edges.tolist()], dtype=np.int64)
    first_phrase = np.full(len(child) + 1, -1, dtype=np.int64)  # the first phrase ending at each node
    first_phrase[list(ending)] = [numbers[0] for numbers in ending.values()]
    joined = np.zeros(n, dtype=bool)  # joined[k]: token k + 1 starts where token k ends, in the same text
    joined[:-1] = columns.start[1:] == columns.end[:-1]
    joined[columns.bounds[1:-1] - 1] = False
    roots = np.zeros(base, dtype=np.int64)  # the first step, by word id (0: no phrase starts with it)
    roots[[word for parent, word in child if parent == 0]] = [node for (parent, _), node in child.items() if parent == 0]
    nodes = roots[columns.word]
    positions = np.flatnonzero(nodes)
    nodes = nodes[positions]
    found_at: list[NDArray[np.int64]] = []
    found_node: list[NDArray[np.int64]] = []
    depth = 1
    while len(positions):
        alive = joined[positions + depth - 1]
        positions, nodes = positions[alive], nodes[alive]
        keys = nodes * base + columns.word[positions + depth]
        slots = np.minimum(np.searchsorted(edges, keys), len(edges) - 1)
        on_trie = edges[slots] == keys
        positions, nodes = positions[on_trie], targets[slots[on_trie]]
        depth += 1
        ends_here = first_phrase[nodes] >= 0
        found_at.append(positions[ends_here])
        found_node.append(nodes[ends_here])
    size = np.array([len(phrase.parts) for phrase in phrases], dtype=np.int64)
    at, node_at = np.concatenate(found_at), np.concatenate(found_node)
    if not len(at):
        return columns  # every part of a phrase occurs, but never one after another
    merged_at, merged = _chosen_merges(at, node_at, size[first_phrase[node_at]], first_phrase, ending, phrases)
    return _merged(columns, phrases, merged_at, merged, size)


def _chosen_merges(
    at: NDArray[np.int64], node_at: NDArray[np.int64], size_at: NDArray[np.int64], first_phrase: NDArray[np.int64],
    ending: dict[int, list[int]], phrases: Sequence[Phrase],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The merges `merge_phrases` makes, given each occurrence's position, trie node and size: their
    positions, ascending, and phrases."""
    import numpy as np

    order = np.lexsort((size_at, at))
    at, node_at, size_at = at[order], node_at[order], size_at[order]
    places = np.flatnonzero(np.concatenate((at[1:] != at[:-1], [True])))  # the last (longest) match of each place
    place = at[places]
    reach = np.maximum.accumulate(place + size_at[places])
    starts = np.flatnonzero(np.concatenate(([True], place[1:] >= reach[:-1])))  # places no earlier match reaches
    alone = np.diff(np.append(starts, len(place))) == 1
    # alone at its place: the longest phrase (the first of equal ones) leaves one token
    merged_at = [place[starts[alone]]]
    merged = [first_phrase[node_at[places[starts[alone]]]]]
    firsts = np.concatenate(([0], places[:-1] + 1))  # each place's first match
    for k in np.flatnonzero(~alone).tolist():
        last = int(starts[k + 1]) if k + 1 < len(starts) else len(place)
        matches: dict[int, list[int]] = {}
        for p in range(int(starts[k]), last):
            nodes = node_at[firsts[p] : places[p] + 1].tolist()
            matches[int(place[p])] = sorted(number for node in nodes for number in ending[node])
        chosen = _fewest(matches, int(place[starts[k]]), int(reach[last - 1]), phrases)
        merged_at.append(np.array(list(chosen), dtype=np.int64))
        merged.append(np.array(list(chosen.values()), dtype=np.int64))
    positions, numbers = np.concatenate(merged_at), np.concatenate(merged)
    order = np.argsort(positions)
    return positions[order], numbers[order]


def _fewest(matches: dict[int, list[int]], start: int, end: int, phrases: Sequence[Phrase]) -> dict[int, int]:
    """The merges leaving the fewest tokens of positions start…end, position → phrase (dynamic
    programming from the right), given the phrases occurring at each position (indexes, in order)."""
    fewest = [0] * (end - start + 1)
    choice: list[int | None] = [None] * (end - start)
    for i in range(end - start - 1, -1, -1):
        fewest[i] = 1 + fewest[i + 1]
        for number in matches.get(start + i, ()):
            size = len(phrases[number].parts)
            units = 1 + fewest[i + size]
            best = choice[i]
            if units < fewest[i] or (units == fewest[i] and best is not None and size > len(phrases[best].parts)):
                fewest[i], choice[i] = units, number
    merges: dict[int, int] = {}
    i = 0
    while i < end - start:
        number = choice[i]
        if number is None:
            i += 1
        else:
            merges[start + i] = number
            i += len(phrases[number].parts)
    return merges


def _merged(
    columns: TokenColumns, phrases: Sequence[Phrase], at: NDArray[np.int64], merged: NDArray[np.int64],
    size: NDArray[np.int64],
) -> TokenColumns:
    """The columns with the rows of each merge (its position `at`, its phrase) made one."""
    import numpy as np

    words, tags = list(columns.words), list(columns.tags)
    word_index = {word: number for number, word in enumerate(words) if number != NO_WORD}
    tag_index = {tag: number for number, tag in enumerate(tags)}
    used = distinct(merged).tolist()
    term_id = np.zeros(len(phrases), dtype=np.int64)
    term_id[used] = [_number(word_index, words, phrases[k].term) for k in used]
    tag_id = np.zeros(len(phrases), dtype=np.int64)
    tag_id[used] = [_number(tag_index, tags, phrases[k].pos) for k in used]
    word, tag, end = columns.word.copy(), columns.tag.copy(), columns.end.copy()
    word[at], tag[at] = term_id[merged], tag_id[merged]
    inner = size[merged] - 1  # the rows after the first of each merge: dropped
    end[at] = columns.end[at + inner]
    dropped = np.repeat(at + 1 - np.cumsum(inner) + inner, inner) + np.arange(int(inner.sum()), dtype=np.int64)
    kept = np.ones(len(columns), dtype=bool)
    kept[dropped] = False
    return TokenColumns(
        words=words, tags=tags, word=word[kept], tag=tag[kept], start=columns.start[kept], end=end[kept],
        bounds=columns.bounds - np.searchsorted(dropped, columns.bounds),
    )


def _number(index: dict[str, int], items: list[str], item: str) -> int:
    """The id of `item`, appended to `items` when new."""
    number = index.get(item)
    if number is None:
        number = index[item] = len(items)
        items.append(item)
    return number


def userdict_lines(phrases: Iterable[Phrase]) -> list[str]:
    """Lines of a jieba user dictionary: `word pos`, no frequency, so that jieba computes one high enough
    for the word to be kept whole (jieba's `suggest_freq`)."""
    return [f"{p.term} {p.pos}" for p in phrases if " " not in p.term]


def write_userdict(phrases: Iterable[Phrase], path: str | Path) -> int:
    """Write the phrases as a jieba user dictionary; returns the number of lines written."""
    lines = userdict_lines(phrases)
    try:
        Path(path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write user dictionary {path}: {exc.strerror}") from None
    return len(lines)
