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

import gc
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache, wraps
from itertools import compress, count, islice
from pathlib import Path
from typing import ParamSpec, TypeVar

from jiegui.errors import InputError
from jiegui.lexicon import word_set
from jiegui.models import Document, Phrase, Token
from jiegui.text.boilerplate import content_tokens
from jiegui.text.segment import is_content_word

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


def _entropy(neighbours: Counter[str], boundaries: int) -> float:
    """Entropy (bits) of a neighbour distribution; each boundary counts as a neighbour of its own."""
    total = sum(neighbours.values()) + boundaries
    if total == 0:
        return 0.0
    h = -sum(n / total * math.log2(n / total) for n in neighbours.values())
    return h + boundaries / total * math.log2(total)


P = ParamSpec("P")
R = TypeVar("R")


def _gc_paused(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the cyclic garbage collector paused. Phrase discovery makes millions of small
    acyclic objects (n-gram tuples, run lists); with a corpus in memory, every collection they trigger
    also walks all its tokens (10 MB corpus: discovery took 9 s of CPU with it running, 3 s without).
    """

    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_gc_paused
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
    if min_count < 1:
        raise InputError(f"min_count must be at least 1, not {min_count}", parameter="min_count")
    if max_tokens < 2:
        raise InputError(f"max_tokens must be at least 2, not {max_tokens}", parameter="max_tokens")
    runs: list[tuple[int, list[Token]]] = [
        (number, run) for number, doc in enumerate(documents) for run in token_runs(content_tokens(doc))
    ]
    # All runs' texts in one list, each run preceded by None and the last one followed by None: the
    # n-grams are then counted and found with zip/compress over that list (C loops, not one Python step
    # per token and candidate). An n-gram holding None crosses a run boundary and is no n-gram.
    flat: list[str | None] = [None]
    for _, run in runs:
        flat.extend([t.text for t in run])
        flat.append(None)
    unigrams: Counter[str] = Counter(w for w in flat if w is not None)
    total = sum(unigrams.values())
    counts: dict[tuple[str, ...], int] = {(w,): n for w, n in unigrams.items()}
    tags: dict[str, Counter[str]] = defaultdict(Counter)
    for (word, pos), n in Counter((t.text, t.pos) for _, run in runs for t in run).items():
        tags[word][pos] += n  # first-seen order of tags kept: it breaks ties in most_common
    # Apriori: an n-gram can only be frequent if its (n-1)-gram prefix is.
    frequent_prefixes: set[tuple[str | None, ...]] = {key for key, n in counts.items() if n >= min_count}
    frequent: dict[tuple[str, ...], int] = {}  # the n-grams (n ≥ 2) occurring min_count times, in counts' order
    for size in range(2, max_tokens + 1):
        prefixes = zip(*(islice(flat, k, None) for k in range(size - 1)))
        ngrams = zip(*(islice(flat, k, None) for k in range(size)))
        grams: Counter[tuple[str | None, ...]] = Counter(compress(ngrams, map(frequent_prefixes.__contains__, prefixes)))
        for gram in [g for g in grams if g[-1] is None]:
            del grams[gram]  # ends past its run (a prefix never holds None: None is no frequent unigram)
        counts.update(grams)  # type: ignore[arg-type]  # no None left in the keys
        frequent_prefixes = {g for g, n in grams.items() if n >= min_count}
        frequent.update((g, n) for g, n in grams.items() if n >= min_count)  # type: ignore[misc]

    best_tags: dict[str, str] = {}
    content_words: dict[str, bool] = {}

    def tag(word: str) -> str:
        best = best_tags.get(word)
        if best is None:
            best = best_tags[word] = tags[word].most_common(1)[0][0]
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
    for gram, n in frequent.items():
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

    # Where the candidates occur, and their neighbours: per n-gram size, the flat positions and n-grams of
    # the occurrences, then (n-gram, neighbour) pairs counted in one go. None: a run's edge.
    left: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    right: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    left_edges: Counter[tuple[str, ...]] = Counter()
    right_edges: Counter[tuple[str, ...]] = Counter()
    df: Counter[tuple[str, ...]] = Counter()
    places: dict[tuple[str, ...], list[int]] = defaultdict(list)  # flat position of each occurrence
    doc_at: list[int] = [-1]  # the document of each flat position
    for number, run in runs:
        doc_at.extend([number] * (len(run) + 1))
    for size in sorted({len(g) for g in candidates}):
        where = list(map(candidates.__contains__, zip(*(islice(flat, k, None) for k in range(size)))))
        ats = list(compress(count(), where))
        occurrences: list[tuple[str, ...]] = list(compress(zip(*(islice(flat, k, None) for k in range(size))), where))
        for gram, at in zip(occurrences, ats):
            places[gram].append(at)
        df.update(gram for gram, _ in set(zip(occurrences, [doc_at[at] for at in ats])))
        for (gram, word), n in Counter(zip(occurrences, [flat[at - 1] for at in ats])).items():
            if word is None:
                left_edges[gram] += n
            else:
                left[gram][word] += n
        for (gram, word), n in Counter(zip(occurrences, [flat[at + size] for at in ats])).items():
            if word is None:
                right_edges[gram] += n
            else:
                right[gram][word] += n

    found: dict[tuple[str, ...], Phrase] = {}
    for gram, (pmi, pos) in candidates.items():
        h_left = _entropy(left[gram], left_edges[gram])
        h_right = _entropy(right[gram], right_edges[gram])
        if min(h_left, h_right) < min_entropy:
            continue
        n = counts[gram]
        score = min(h_left, h_right) * pmi * math.log2(n)
        found[gram] = Phrase("".join(gram), gram, pos, n, df[gram], round(pmi, 4),
                             round(h_left, 4), round(h_right, 4), round(score, 4))
    phrases = [found[gram] for gram in _free_phrases({gram: places[gram] for gram in found})]
    phrases.sort(key=lambda p: (-p.score, -p.count, p.term))
    return phrases


def _free_phrases(places: dict[tuple[str, ...], list[int]]) -> list[tuple[str, ...]]:
    """The phrases that stand on their own, given where each occurs (first token's position; positions
    of different runs differ).

    Dropped: a phrase that never occurs outside longer phrases, even when no single longer phrase holds
    all its occurrences (上海全球 of 上海全球城市 and 上海全球科创中心).
    """
    inside: set[tuple[int, int]] = set()  # (start, size) of a span inside a longer phrase
    for gram, where in places.items():
        size = len(gram)
        for i in where:
            for start in range(i, i + size):
                for end in range(start + 2, i + size + 1):
                    if end - start < size:
                        inside.add((start, end - start))
    return [gram for gram, where in places.items() if not all((i, len(gram)) in inside for i in where)]


def merge_phrases(tokens: Sequence[Token], phrases: Iterable[Phrase]) -> list[Token]:
    """The tokens with the occurrences of phrases merged into single tokens.

    Where phrases overlap, the merge leaving the fewest tokens wins (哈尔滨 + 冰雪大世界, not
    哈尔滨冰雪 + 大 + 世界); on a tie, the later phrase (哈尔滨 + 冰雪旅游: Chinese noun phrases are
    head-final, so the head compound is kept whole). Without overlaps this is longest match first.
    A merged token spans its parts (`start` of the first, `end` of the last) and carries the phrase's POS.
    """
    by_first: dict[str, list[Phrase]] = defaultdict(list)
    for phrase in phrases:
        by_first[phrase.parts[0]].append(phrase)
    matches: dict[int, list[Phrase]] = {}  # token index → phrases occurring there
    texts = [t.text for t in tokens]
    for i in compress(count(), map(by_first.__contains__, texts)):  # where some phrase's first part is
        for phrase in by_first[texts[i]]:
            size = len(phrase.parts)
            if tuple(texts[i : i + size]) == phrase.parts and all(
                tokens[k].end == tokens[k + 1].start for k in range(i, i + size - 1)
            ):
                matches.setdefault(i, []).append(phrase)
    if not matches:
        return list(tokens)
    merged: list[Token] = []
    positions = sorted(matches)
    cursor = k = 0
    while k < len(positions):  # clusters of overlapping matches; the tokens between them are copied
        start = positions[k]
        end = start + max(len(p.parts) for p in matches[start])
        k += 1
        while k < len(positions) and positions[k] < end:
            end = max(end, positions[k] + max(len(p.parts) for p in matches[positions[k]]))
            k += 1
        merged.extend(tokens[cursor:start])
        merged.extend(_merge_cluster(tokens, matches, start, end))
        cursor = end
    merged.extend(tokens[cursor:])
    return merged


def _merge_cluster(tokens: Sequence[Token], matches: dict[int, list[Phrase]], start: int, end: int) -> list[Token]:
    """tokens[start:end] merged into the fewest tokens (dynamic programming from the right)."""
    fewest = [0] * (end - start + 1)
    choice: list[Phrase | None] = [None] * (end - start)
    for i in range(end - start - 1, -1, -1):
        fewest[i] = 1 + fewest[i + 1]
        for phrase in matches.get(start + i, ()):
            units = 1 + fewest[i + len(phrase.parts)]
            best = choice[i]
            if units < fewest[i] or (units == fewest[i] and best is not None and len(phrase.parts) > len(best.parts)):
                fewest[i], choice[i] = units, phrase
    merged: list[Token] = []
    i = 0
    while i < end - start:
        match = choice[i]
        if match is None:
            merged.append(tokens[start + i])
            i += 1
        else:
            first, last = tokens[start + i], tokens[start + i + len(match.parts) - 1]
            merged.append(Token(match.term, match.pos, first.start, last.end))
            i += len(match.parts)
    return merged


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
