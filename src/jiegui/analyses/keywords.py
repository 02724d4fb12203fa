"""Keywords: what the corpus, and each of its documents, is about.

Terms are jieba tokens with the corpus's keyphrases (see `jiegui.analyses.phrases`) merged into single terms,
filtered to content words of the chosen POS classes: never stopwords, numbers, dates, single characters,
punctuation, web/PDF leftovers (file names, URLs), or a fragment of a longer term that the text mostly
uses inside that longer term (融杭接 of 融杭接沪); a term the text always extends by the same character
is shown extended (沙岛 → 横沙岛).

TF-IDF (default): a document's score is (1 + ln count) × IDF (sublinear tf, so that one frequent generic
word does not outweigh several specific ones); the IDF blends the corpus's own
smoothed IDF, ln((N+1)/(df+1)) + 1 with N documents (articles), and jieba's background IDF (trained on
a large general corpus), weighted N/(N+k) vs k/(N+k): a large corpus speaks for itself, a small corpus
or a single document leans on the background. A term the background does not know gets the
background's median (jieba's convention); a phrase, the IDF of its rarest part (a phrase is no more
frequent than its rarest part).

The corpus ranking asks what the whole corpus is about, against the language rather than against its
own documents (the corpus's IDF would reward what every document says): the corpus is one document,
scored (1 + ln count) × background IDF, times (1 + ln df), how widely its documents use the term, dampened
like the count. A word every policy text uses (发展, 建设) has a low background IDF and loses to the
corpus's own subjects; a term of a single article loses to one the whole corpus shares. With one
document, df is 1 and the ranking is the document's own but for the small corpus share of its IDF.

TextRank (Mihalcea & Tarau 2004): PageRank (damping 0.85) over the graph linking terms that occur
within `window` terms of each other in a sentence; scores are scaled so the top term has 1.
"""
from __future__ import annotations

import bisect
import itertools
import json
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from jiegui.analysed import AnalysedDocument, as_analysed
from jiegui.corpus import find_document
from jiegui.text.boilerplate import content_tokens
from jiegui.errors import InputError
from jiegui.models import Document, Keyword, KeywordMethod, Phrase, Token, sentence_bounds, token_starts
from jiegui.analyses.columns import TokenColumns, distinct, group
from jiegui.analyses.phrases import discover_phrases_in, merge_columns
from jiegui.text.segment import is_content_word
from jiegui.analyses.terms import (
    Occurrences,
    VERB_TAGS,
    TokenIndex,
    are_variants,
    before_counted_places,
    cuts_name,
    cuts_word,
    generic_tails,
    find_occurrences,
    goes_to_place,
    is_bound_modifier,
    is_clause,
    is_count,
    opens_with_count,
    is_counter,
    is_predicate,
    modifies_next_verb,
    is_heading,
    is_headline_clause,
    is_listed_word,
    in_quoted_name,
    in_coordinated_name,
    in_recurring_string,
    in_unknown_run,
    names_a_body,
    names_source,
    term_places,
    verbs_after,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

TOP_N = 20
BACKGROUND_WEIGHT = 10  # k: the background counts as much as k documents of the corpus
WINDOW = 5
# A term the text states figures for is what a statistical text is about (国内生产总值, 粮食产量), more
# than a rare word it names once (虚拟现实): its score grows by up to this share.
MEASURED_WEIGHT = 0.3
MIN_EXTENSION = 3  # occurrences that must all extend a term the same way before it is shown extended
# The corpus ranking's checks read a candidate's occurrences up to the line holding its 1000th
# (`reading_end`): more is no better evidence of how the language uses a word, and a cluster then sends
# the ranking at most the lines of that many occurrences of each candidate, whatever the corpus's size.
CHECKED_OCCURRENCES = 1000
# Nouns, person, place and organisation names, other proper nouns, idiomatic nouns, abbreviations (长三角,
# 浙沪), verbal nouns (一体化, 合作). A phrase has the tag of its head (last) token. Person names are
# included because jieba tags some place names as persons (嘉兴/nr).
DEFAULT_POS = ("n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "nl", "j", "vn")
# jieba's POS tags (ICTCLAS set plus eng), for checking --pos values.
POS_TAGS = frozenset(
    "a ad ag an b c d df dg e eng f g h i j k l m mg mq n ng nl nr nrfg nrt ns nt nz o p q r rg rr rz s t tg "
    "u ud ug uj ul uv uz v vd vg vi vn vq x y z zg".split()
)

_NUMBER_OR_DATE = re.compile(r"[\d０-９.,:：/%％\-－—年月日号时分秒点万亿千百余多第期届个]+")
# A Latin token is a word (Shanghai), an acronym or code (APEC, G60, 5G); anything else (rB4AiVl, an
# image file name cut up by jieba) is a leftover of web or PDF extraction.
_LATIN = re.compile(r"[A-Za-z0-9]+")
_LATIN_WORD = re.compile(r"[A-Z]{1,6}\d{0,4}|\d{1,3}[A-Z]{1,3}|[A-Za-z][a-z]+")
_LEFTOVER_WORDS = frozenset({"jpg", "jpeg", "png", "gif", "html", "htm", "http", "https", "www", "com", "cn", "pdf"})


Method = KeywordMethod  # the name this module has always exported


# ---------------------------------------------------------------- background IDF
@dataclass(frozen=True)
class BackgroundIdf:
    """jieba's background IDF (jieba/analyse/idf.txt). Only words below the median are stored: every
    rarer or unknown word gets the median, as jieba does for unknown words."""

    values: dict[str, float]
    median: float

    def __getitem__(self, word: str) -> float:
        return self.values.get(word, self.median)


def _idf_source() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise InputError("jieba is not installed: pip install jieba")
    return Path(spec.origin).parent / "analyse" / "idf.txt"


@lru_cache(maxsize=1)
def background_idf() -> BackgroundIdf:
    """The background IDF, from a compact JSON cache next to the document cache when possible.

    Parsing idf.txt (270 000 lines) takes ~0.2 s; the cached half below the median loads much faster.
    The cache is keyed by the source file's size and modification time; it is plain data (JSON, never
    marshal or pickle), checked on load, and rebuilt when it does not parse.
    """
    from jiegui import cache

    source = _idf_source()
    stat = source.stat()
    key = f"idf-{stat.st_size}-{int(stat.st_mtime)}.json"
    try:
        payload = json.loads(cache.read_file(key) or "")
        median, values = float(payload["median"]), payload["values"]
        if isinstance(values, dict) and all(type(v) is float for v in values.values()):
            return BackgroundIdf(values, median)
    except (ValueError, KeyError, TypeError, RecursionError):
        pass
    pairs = []
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, value = line.rstrip().rpartition(" ")
            if word:
                pairs.append((word, float(value)))
    ordered = sorted(v for _, v in pairs)
    median = ordered[len(ordered) // 2]
    values = {w: v for w, v in pairs if v < median}
    cache.write_file(key, json.dumps({"median": median, "values": values}, ensure_ascii=False))  # owner-only, atomic
    return BackgroundIdf(values, median)


@lru_cache(maxsize=1)
def _dictionary_words() -> frozenset[str]:
    from jiegui.lexicon import entries

    return frozenset(line.split()[0] for line in entries("userdict.txt"))


def _known_word(word: str) -> bool:
    """A word the language knows: more common than the median of jieba's background, or in jiegui's dictionary."""
    return word in background_idf().values or word in _dictionary_words()


def _dictionary_word(word: str) -> bool:
    """A known word that jieba's dictionary holds: not one of the common words of its IDF table that its HMM
    guessed (齐升 of 量质齐升; tools/build_idf_guessed_words.py). For rules that ask whether the HMM made a word."""
    from jiegui.lexicon import word_set

    return _known_word(word) and word not in word_set("idf_guessed_words.txt")


# ---------------------------------------------------------------- terms
def is_keyword_term(token: Token, stopwords: frozenset[str] | set[str], pos: Iterable[str] | None) -> bool:
    """A term worth ranking: content word of an allowed POS, ≥ 2 characters, no number, date or leftover."""
    text = token.text
    if len(text) < 2 or (pos is not None and token.pos not in pos):
        return False
    if not is_content_word(token, stopwords) or _NUMBER_OR_DATE.fullmatch(text):
        return False
    if text.lower() in _LEFTOVER_WORDS:
        return False
    return not _LATIN.fullmatch(text) or bool(_LATIN_WORD.fullmatch(text))


@dataclass(frozen=True, slots=True)
class _DocTerms:
    doc: str
    index: int  # the document's place in the ranker's documents
    counts: Counter[str]
    measured: Counter[str]  # occurrences the text states a figure of (国内生产总值58753亿元, 产量为2478万吨)


# A figure right after the term, or after 为/达/约…: the text states how much of it there is. (Not after
# 增长/下降: 同比增长5% measures what precedes 同比.) _figure_offsets finds every offset where it matches.
_FIGURE_WORDS = ("为", "达", "达到", "约", "共", "合计")
_FIGURE_AFTER = re.compile(f"(?:{'|'.join(_FIGURE_WORDS)})?\\d")


def _figure_offsets(texts: Sequence[str]) -> NDArray[np.bool_]:
    """Whether `_FIGURE_AFTER` matches at each offset of the texts joined, each followed by one
    separator (the offsets `_document_terms` makes corpus-wide): at a digit (a character of Unicode
    category Nd, what `\\d` matches), and at a figure word right before one. Over the characters as one
    numpy array: no pattern tried at every offset (10 MB corpus: 0.5 s), no list of every digit's offset."""
    import numpy as np

    characters = np.frombuffer("\n".join([*texts, ""]).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    present = np.flatnonzero(np.bincount(characters))  # the distinct characters, each decided once
    digits = np.zeros(int(present[-1]) + 1 if len(present) else 1, dtype=bool)
    digits[[c for c in present.tolist() if chr(c).isdecimal()]] = True
    digit: NDArray[np.bool_] = digits[characters]
    found: NDArray[np.bool_] = digit.copy()
    for word in _FIGURE_WORDS:
        at = digit[len(word):].copy()  # a digit right after the word
        for k, character in enumerate(word):
            at &= characters[k : len(characters) - len(word) + k] == ord(character)
        found[: len(at)] |= at
    return found


@dataclass(frozen=True, slots=True)
class _Terms:
    """The documents' terms: their tokens with the phrases merged (`merge_columns`), those that
    `is_keyword_term` keeps, one row per occurrence in text order: its term (an id into `words`), its
    document, its sentence there (the index among the document's sentences, see `sentences`), and
    whether the text states a figure right after it."""

    words: list[str]
    doc: NDArray[np.int64]
    term: NDArray[np.int64]
    sentence: NDArray[np.int64]
    measured: NDArray[np.bool_]


def _document_terms(
    documents: Sequence[Document],
    columns: TokenColumns,
    phrases: Sequence[Phrase],
    stopwords: frozenset[str],
    pos: frozenset[str] | None,
    known: dict[tuple[str, str], bool] | None = None,
) -> _Terms:
    """The terms of `documents`, whose tokens `columns` holds. `known`: `is_keyword_term` by (text, POS),
    asked once per distinct pair (of its first token: it depends on nothing else)."""
    import numpy as np

    if known is None:
        known = {}
    merged = merge_columns(columns, phrases) if phrases else columns
    pairs = group(merged.pairs())
    tag_count = max(len(merged.tags), 1)
    keep = []
    for key, first in zip(pairs.keys.tolist(), pairs.first.tolist()):
        text, tag = merged.words[key // tag_count], merged.tags[key % tag_count]
        term = known.get((text, tag))
        if term is None:
            token = Token(text, tag, int(merged.start[first]), int(merged.end[first]))
            term = known[text, tag] = is_keyword_term(token, stopwords, pos)
        keep.append(term)
    rows = np.flatnonzero(np.array(keep, dtype=bool)[pairs.group])
    doc = merged.text_of()[rows]
    start, end = merged.start[rows], merged.end[rows]
    # Offsets made corpus-wide (each text shifted past the one before it), so that one search finds the
    # figures after every term and the sentence of every term.
    lengths = [len(d.text) + 1 for d in documents]
    shift = np.concatenate(([0], np.cumsum(np.array(lengths, dtype=np.int64))[:-1]))
    measured = _figure_offsets([d.text for d in documents])[end + shift[doc]]
    return _Terms(merged.words, doc, merged.word[rows], _sentences(documents, doc, start, shift), measured)


def _sentences(
    documents: Sequence[Document], doc: NDArray[np.int64], start: NDArray[np.int64], shift: NDArray[np.int64]
) -> NDArray[np.int64]:
    """The sentence of each token (document `doc`, offset `start`), as a document's terms count them:
    the first of its sentences ending after the token's start (the last when none does)."""
    import numpy as np

    cuts: list[int] = []  # each document's sentence ends but the last, corpus-wide
    before = [0]  # how many cuts the documents before each have
    unordered = []
    for k, (d, offset) in enumerate(zip(documents, shift.tolist())):
        ends = sentence_bounds(d.sentences)[1][:-1]  # from the spans of lazy sentences: none made
        if any(a > b for a, b in itertools.pairwise(ends)):
            unordered.append(k)  # a hand-made document: its sentences read one by one below
        cuts.extend(end + offset for end in ends)
        before.append(len(cuts))
    sentence = np.searchsorted(np.array(cuts, dtype=np.int64), start + shift[doc], side="right")
    sentence -= np.array(before, dtype=np.int64)[doc]
    for k in unordered:
        ends = [s.end for s in documents[k].sentences][:-1]
        rows = np.flatnonzero(doc == k)
        for row in rows.tolist():
            sentence[row] = next((j for j, end in enumerate(ends) if end > start[row]), len(ends))
    return sentence


def _corpus_counts(terms: _Terms) -> tuple[Counter[str], Counter[str]]:
    """How often each term occurs in the corpus, and in how many documents (in first-seen order)."""
    import numpy as np

    occurrences = group(terms.term)
    order = np.argsort(occurrences.first)
    ids = occurrences.keys[order]
    width = len(terms.words)
    in_documents = np.bincount(distinct(terms.doc * width + terms.term) % width, minlength=width)
    names = [terms.words[t] for t in ids.tolist()]
    return (
        Counter(dict(zip(names, occurrences.counts[order].tolist()))),
        Counter(dict(zip(names, in_documents[ids].tolist()))),
    )


def _documents_counts(terms: _Terms, ids: Sequence[str]) -> list[_DocTerms]:
    """Each document's term counts, and the occurrences the text measures, in first-seen order."""
    import numpy as np

    width = len(terms.words)
    pairs = group(terms.doc * width + terms.term)
    order = np.argsort(pairs.first)
    measured = np.bincount(pairs.group[terms.measured], minlength=len(pairs.keys))[order].tolist()
    counts: list[Counter[str]] = [Counter() for _ in ids]
    measures: list[Counter[str]] = [Counter() for _ in ids]
    words = terms.words
    for key, n, m in zip(pairs.keys[order].tolist(), pairs.counts[order].tolist(), measured):
        doc, term = divmod(key, width)
        counts[doc][words[term]] = n
        if m:
            measures[doc][words[term]] = m
    return [_DocTerms(doc_id, k, counts[k], measures[k]) for k, doc_id in enumerate(ids)]


def _drop_fragments(
    ranked: list[str], counts: Counter[str], needed: int, variants: Callable[[str, str], bool] | None = None
) -> list[str]:
    """The first `needed` ranked terms that are not fragments: a term contained in a longer term that
    occurs at least as often (the text mostly uses it inside that longer term) — unless every such
    longer term is a variant of it (都市圈 in 大都市圈: the two are one row, see `jiegui.analyses.terms`)."""
    return list(itertools.islice(_unfragmented(ranked, counts, variants), needed))


def _unfragmented(
    ranked: Iterable[str], counts: Counter[str], variants: Callable[[str, str], bool] | None = None
) -> Iterator[str]:
    """`_drop_fragments`, lazily: a ranking stops once it has its rows, so only the terms it reaches are
    checked, each against the terms at least as frequent (a containing term that is not a variant)."""
    by_count = sorted(counts.items(), key=lambda item: -item[1])
    lowest = [-n for _, n in by_count]  # ascending, for bisect
    for term in ranked:
        n = counts[term]
        if n <= 0:
            continue
        if len(term) >= 2 and any(
            len(longer) > len(term) and term in longer
            # A variant differs by a suffix, 大 or a two-character tail: only then ask.
            and not (variants is not None and len(longer) - len(term) <= 2 and variants(term, longer))
            for longer, _ in itertools.islice(by_count, bisect.bisect_right(lowest, -n))
        ):
            continue
        yield term


_WORD_CHAR = re.compile(r"[^\W_]")
MAX_EXTENSION = 20


def extend_fragment(
    term: str,
    texts: Sequence[str],
    min_occurrences: int = 3,
    *,
    tokens: Sequence[Sequence[Token]] | None = None,
    nouns_only: bool = False,
    total: int | None = None,
    usage: Sequence[Mapping[str, int]] | None = None,
    end: tuple[int, int] | None = None,
) -> str:
    """The term as the text really uses it: while all its occurrences (at least `min_occurrences`) are
    preceded, or followed, by the same letter or Han character, that character belongs to the term
    (jieba cut 横沙岛 into 横/沙岛: 沙岛 becomes 横沙岛). Returns `term` itself when it stands alone.

    With `tokens` (each text's tokens), an extension is made of whole tokens that every occurrence has,
    so that no word is cut: 沪嘉杭 in 沪嘉杭G60科技创新走廊 and 沪嘉杭G60科创走廊 stays 沪嘉杭, not
    沪嘉杭G60科; and of tokens that may belong to a term (see _NOT_EXTENSION: 利润总额 of
    规上工业实现利润总额 stays 利润总额). `nouns_only`: only nouns, names and one-character
    adjectives (新 of 新时代), for the weaker evidence of two occurrences. `total`: the term's occurrences
    in the texts (`occurrence_count`), when the caller knows it. `usage`: each text's document's
    single-character token counts (`RankedTexts.usage`), when the texts are excerpts. `end`: only the
    occurrences before it are read (`reading_end`).
    """
    if (occurrence_count(term, texts) if total is None else total) < min_occurrences:
        return term
    start_shift = end_shift = 0
    while start_shift + end_shift < MAX_EXTENSION:
        # Read lazily (a frequent term has two different neighbours within its first few occurrences).
        before = _same(texts[i][s - start_shift - 1 : s - start_shift] for i, s in term_places(term, texts, end))
        if before is not None and _WORD_CHAR.fullmatch(before):
            start_shift += 1
            continue
        reach = len(term) + end_shift
        after = _same(texts[i][s + reach : s + reach + 1] for i, s in term_places(term, texts, end))
        if after is not None and _WORD_CHAR.fullmatch(after):
            end_shift += 1
            continue
        break
    if not (start_shift or end_shift):
        return term
    occurrences = list(term_places(term, texts, end))
    if tokens is not None:
        start_shift, end_shift = _whole_term_extension(term, occurrences, tokens, start_shift, end_shift, nouns_only, usage)
    elif nouns_only:
        return term
    i, s = occurrences[0]
    return texts[i][s - start_shift : s + len(term) + end_shift]


def occurrence_count(term: str, texts: Sequence[str]) -> int:
    """How often `term` occurs in the texts, not overlapping: what re.finditer would find."""
    return sum(text.count(term) for text in texts)


def reading_end(term: str, texts: Sequence[str], limit: int | None) -> tuple[int, int] | None:
    """Where the checks stop reading `term` (`CHECKED_OCCURRENCES`): (text, offset) of the end of the line
    holding its `limit`-th occurrence (not overlapping, the furniture included); None when it occurs
    fewer times or `limit` is None. That prefix of the texts' lines is the same whether they are whole or
    a cluster's excerpts, which keep every line up to it (`batch_excerpts`)."""
    if limit is None:
        return None
    seen = 0
    for i, text in enumerate(texts):
        count = text.count(term)
        if seen + count < limit:
            seen += count
            continue
        _, at = next(itertools.islice(term_places(term, [text]), limit - seen - 1, None))
        line_end = text.find("\n", at)
        return i, len(text) if line_end < 0 else line_end
    return None


def _same(values: Iterator[str]) -> str | None:
    """The value when all `values` are equal (None when there are none, or several)."""
    first = next(values, None)
    return None if first is None or any(value != first for value in values) else first


# An extension adds names and nouns, never an adverb, number, time or function word, nor a verb (but a
# one-character one the text uses mostly there, which jieba tags wrongly: 横 of 横沙岛): 努力建设… of
# 先行区 or 实现 of 利润总额 are a clause around a term, not part of it.
_NOT_EXTENSION = frozenset({"v", "vd", "vi", "vg", "d", "ad", "t", "tg", "p", "c", "u", "uj", "ul", "uz", "ug",
                            "uv", "ud", "r", "y", "m", "mq", "q", "x", "f", "w", "e", "o"})
_NOUNS = frozenset({"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "j", "eng", "vn", "s"})


def _whole_term_extension(
    term: str, occurrences: list[tuple[int, int]], tokens: Sequence[Sequence[Token]], left: int, right: int,
    nouns_only: bool = False, counted: Sequence[Mapping[str, int]] | None = None,
) -> tuple[int, int]:
    """The character extension (`left`, `right`) cut back to whole tokens of the first occurrence that
    every occurrence also has as tokens, and that may belong to a term (see _NOT_EXTENSION). `counted`:
    each text's single-character token counts, when `tokens` are not the whole documents'."""

    holding = {i for i, _ in occurrences}
    usage: Counter[str] = Counter()
    if counted is None:
        usage.update(t.text for i in holding for t in tokens[i])
    else:
        for i in holding:
            usage.update(counted[i])
    tails = generic_tails()

    def refused(token: Token) -> bool:
        if token.text in tails:  # 资源共享 + 方面: a generic tail adds no referent (jiegui.analyses.terms)
            return True
        if nouns_only:
            return token.pos not in _NOUNS and not (token.pos == "a" and len(token.text) == 1)
        if token.pos in VERB_TAGS:  # a one-character "verb" the text uses mostly here is a name's (横 of 横沙岛)
            return len(token.text) > 1 or usage[token.text] >= 2 * len(occurrences)
        return token.pos in _NOT_EXTENSION

    starts = {i: {t.start for t in tokens[i]} for i, _ in occurrences}
    ends = {i: {t.end for t in tokens[i]} for i, _ in occurrences}
    first, at = occurrences[0]
    by_end = {t.end: t for t in tokens[first]}
    by_start = {t.start: t for t in tokens[first]}
    new_left = 0
    while (token := by_end.get(at - new_left)) is not None and at - token.start <= left:
        shift = at - token.start
        if refused(token) or any(s - shift not in starts[i] for i, s in occurrences):
            break
        new_left = shift
    new_right = 0
    end = at + len(term)
    while (token := by_start.get(end + new_right)) is not None and token.end - end <= right:
        if refused(token):
            # 首都国际机场 + 协调 委员会: a verb before an organisation's head names what the body does
            head = by_start.get(token.end)
            if nouns_only or head is None or not names_a_body(token.pos, head.text):
                break
            token = head
        shift = token.end - end
        if token.end - end > right or any(s + len(term) + shift not in ends[i] for i, s in occurrences):
            break
        new_right = shift
    return new_left, new_right


# ---------------------------------------------------------------- scoring
def _background_table(
    terms: Iterable[str], background: BackgroundIdf, parts: dict[str, tuple[str, ...]]
) -> dict[str, float]:
    """Each term's background IDF; a phrase's is its rarest part's."""
    return {
        term: max(background[p] for p in parts[term]) if term in parts else background[term] for term in terms
    }


def _idf_table(df: Counter[str], n_docs: int, background: dict[str, float]) -> dict[str, float]:
    """The blended IDF: corpus weight N/(N+k), background weight k/(N+k)."""
    weight = n_docs / (n_docs + BACKGROUND_WEIGHT)
    return {
        term: weight * (math.log((n_docs + 1) / (n + 1)) + 1) + (1 - weight) * background[term]
        for term, n in df.items()
    }


def _tfidf(doc: _DocTerms, idf: dict[str, float]) -> dict[str, float]:
    """(1 + ln count) × IDF × (1 + MEASURED_WEIGHT × the share of occurrences the text measures)."""
    return {
        term: (1 + math.log(n)) * idf[term] * (1 + MEASURED_WEIGHT * doc.measured[term] / n)
        for term, n in doc.counts.items()
    }


def _corpus_tfidf(counts: Counter[str], df: Counter[str], background: dict[str, float]) -> dict[str, float]:
    """The corpus as one document against the language, weighted by spread:
    (1 + ln count) × background IDF × (1 + ln df)."""
    return {term: (1 + math.log(n)) * background[term] * (1 + math.log(df[term])) for term, n in counts.items()}


def _textrank(sentences: Iterable[list[str]], window: int = WINDOW, damping: float = 0.85) -> dict[str, float]:
    """PageRank over the co-occurrence graph (edge weight = co-occurrences within `window`), max = 1."""
    weights: dict[str, Counter[str]] = defaultdict(Counter)
    for sentence in sentences:
        for i, term in enumerate(sentence):
            for other in sentence[i + 1 : i + window]:
                if other != term:
                    weights[term][other] += 1
                    weights[other][term] += 1
    for sentence in sentences:  # isolated terms still get a (minimal) score
        for term in sentence:
            weights.setdefault(term, Counter())
    if not weights:
        return {}
    out_sum = {term: sum(edges.values()) for term, edges in weights.items()}
    rank = dict.fromkeys(weights, 1.0)
    for _ in range(100):
        new = {
            term: (1 - damping) + damping * sum(rank[o] * w / out_sum[o] for o, w in edges.items())
            for term, edges in weights.items()
        }
        delta = max(abs(new[t] - rank[t]) for t in rank)
        rank = new
        if delta < 1e-6:
            break
    top = max(rank.values())
    return {term: value / top for term, value in rank.items()}


@dataclass
class _Row:
    """A keyword row being built: its score and its forms (variants) with their counts, in rank order."""

    score: float
    forms: dict[str, int]
    # The forms shown extended (沙岛 → 横沙岛), with the candidate's own count: a form's count is the
    # larger of that and its occurrences in the corpus, which excerpts do not all hold (`with_totals`).
    extended: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CorpusTables:
    """What a ranking reads of the corpus besides its texts, made from the corpus's token columns: each
    word's usual tag, the words a candidate must not cut, each token's count (`corpus_tables`). Small
    beside the texts: a cluster sends these to the ranking, not the columns."""

    tags: dict[str, str]
    vocabulary: frozenset[str]
    word_counts: Counter[str]
    # The first characters of the places the texts ranked name (`TokenIndex.place_initials`); None: the
    # index's own (a local ranking reads them from its texts, excerpts hold only some of them).
    place_initials: frozenset[str] | None = None


def corpus_tables(columns: TokenColumns, phrases: Sequence[Phrase], *, initials: bool = False) -> CorpusTables:
    """The `CorpusTables` of the documents whose tokens `columns` holds (with their place initials: `initials`)."""
    import numpy as np

    words = {word for word in columns.words[1:] if len(word) >= 2}  # [1:]: NO_WORD
    counts = np.bincount(columns.word, minlength=len(columns.words)).tolist()  # by id: first-seen order
    pairs = group(columns.pairs())
    word, tag = np.divmod(pairs.keys, max(len(columns.tags), 1))
    # per word, the most frequent tag, the first seen of equally frequent ones (as most_common)
    order = np.lexsort((pairs.first, -pairs.counts, word))
    best = order[np.concatenate(([True], word[order][1:] != word[order][:-1]))]
    return CorpusTables(
        {columns.words[w]: columns.tags[t] for w, t in zip(word[best].tolist(), tag[best].tolist())},
        frozenset(words | {p.term for p in phrases}),
        Counter({w: n for w, n in zip(columns.words, counts) if n}),
        TokenIndex([], columns, range(len(columns.bounds) - 1)).place_initials if initials else None,
    )


@dataclass(frozen=True)
class RankedTexts:
    """What a ranking reads of the texts: those it ranks (the corpus, or one document), with their token
    index and the sources they name, and the corpus's documents (a term's df, the verbs after it, the
    characters it is written in). Either the whole documents (`of`: a local run), or a cluster's
    excerpts of them (`excerpt_texts`): what the candidates' checks read, the same."""

    texts: list[str]
    tokens: list[Sequence[Token]]
    furniture: list[Sequence[tuple[int, int]]]
    index: TokenIndex
    sources: set[str]
    documents: Sequence[Document]
    originals: Sequence[Document]
    # Each text's single-character token counts over the whole document (an extension's verb, 横 of
    # 横沙岛, is a name's when the document uses it mostly there); None: counted from `tokens`.
    usage: Sequence[Mapping[str, int]] | None = None
    # The verbs after a term in the corpus (`terms.verbs_after`), when `documents` are not the corpus: the
    # batches' answers, summed.
    verbs: Mapping[str, Counter[str | None]] | None = None

    def verbs_after(self, term: str, end: tuple[int, int] | None = None) -> Counter[str | None]:
        """How often each verb follows `term` in the corpus (`modifies_next_verb`); before `end` only,
        when the texts ranked are the corpus's documents."""
        if self.verbs is None:
            return verbs_after(term, self.documents, end)
        if (known := self.verbs.get(term)) is None:
            raise Unanswered(term)
        return known

    @classmethod
    def of(cls, chosen: Sequence[Document], index: TokenIndex, documents: Sequence[Document],
           originals: Sequence[Document]) -> RankedTexts:
        return cls([d.text for d in chosen], [d.tokens for d in chosen], [d.furniture for d in chosen], index,
                   {d.source for d in chosen if d.source}, documents, originals)


class Unanswered(Exception):
    """A ranking asked what the corpus says of a term (`RankedTexts.verbs_after`) that its batches were
    not asked yet: it is asked, and the ranking made again."""

    def __init__(self, term: str) -> None:
        super().__init__(term)
        self.term = term


def ranked_candidates(scores: Mapping[str, float], counts: Counter[str], tags: Mapping[str, str]) -> Iterator[str]:
    """The candidates a ranking walks, in rank order: the terms by score (count, then text on a tie) that
    are no fragments (`_unfragmented`). `rank_rows` reads the texts of these only, in this order."""
    ranked = sorted(scores, key=lambda t: (-scores[t], -counts[t], t))
    return _unfragmented(ranked, counts, lambda a, b: are_variants(a, b, tags))


def rank_rows(scores: Mapping[str, float], counts: Counter[str], top_n: int | None, texts: RankedTexts,
              tables: CorpusTables, *, doc_id: str | None = None, known: int | None = None,
              limit: int | None = None) -> list[Keyword] | None:
    """`decided_rows`, shown (`keyword_rows`) with each row's df and forms as the corpus's documents write them."""
    rows = decided_rows(scores, counts, top_n, texts, tables, known=known, limit=limit)
    if rows is None:
        return None
    return keyword_rows(rows, doc_id, lambda forms: sum(any(f in d.text for f in forms) for d in texts.documents),
                        lambda term: _as_written(term, texts))


def keyword_rows(rows: Sequence[_Row], doc_id: str | None, df_of: Callable[[Sequence[str]], int],
                 written: Callable[[str], str]) -> list[Keyword]:
    """The keywords of the decided rows: each row's form the text writes most (first on a tie) with its
    variants, `df_of` its forms (the documents holding any), each form `written` as the corpus writes it."""
    keywords = []
    for rank, row in enumerate(rows, start=1):
        term = max(row.forms, key=lambda f: row.forms[f])
        aliases = tuple(written(f) for f in row.forms if f != term)
        keywords.append(Keyword(written(term), round(row.score, 6), sum(row.forms.values()), df_of(list(row.forms)), doc_id, rank, aliases))
    return keywords


def decided_rows(scores: Mapping[str, float], counts: Counter[str], top_n: int | None, texts: RankedTexts,
                 tables: CorpusTables, *, known: int | None = None, limit: int | None = None) -> list[_Row] | None:
    """The top terms (see `jiegui.analyses.terms`): a term the text always extends the same way is shown
    extended (沙岛 → 横沙岛), once, with its own count and the df of the extended form; a candidate
    that is not a term is skipped; variants of a term are merged into its row (`aliases`), shown in
    the form the text writes most. `known`: how many of the `ranked_candidates` the texts hold (all:
    None); None is returned when the ranking needs more of them, before it reads any other. `limit`:
    the checks read a candidate's occurrences up to the line holding its `limit`-th (`reading_end`), and
    the forms it is extended to in those lines only."""
    needed = len(scores) if top_n is None else top_n
    text_list, tokens, index = texts.texts, texts.tokens, texts.index
    found: dict[str, Occurrences] = {}
    totals: dict[str, int] = {}
    ends: dict[str, tuple[int, int] | None] = {}
    base_of: dict[str, str] = {}  # the candidate a form shown extended comes from: its checks read its lines

    def total_of(term: str) -> int:
        """`occurrence_count` of a term in the texts ranked, counted once per ranking (a scan of them all)."""
        if (known := totals.get(term)) is None:
            known = totals[term] = occurrence_count(term, text_list)
        return known

    def end_of(term: str) -> tuple[int, int] | None:
        """Where the checks of `term` (or of its extension) stop reading."""
        base = base_of.get(term, term)
        if base not in ends:
            ends[base] = reading_end(base, text_list, limit)
        return ends[base]

    def read_total(term: str) -> int:
        """The occurrences of `term` the checks read (all of them: `total_of`, when `limit` is not reached)."""
        end = end_of(term)
        return total_of(term) if end is None else sum(1 for _ in term_places(term, text_list, end))

    def occurrences_of(term: str) -> Occurrences:
        """The occurrences of `term` the checks read, found once per ranking."""
        if (known := found.get(term)) is None:
            known = found[term] = find_occurrences(term, text_list, index, texts.furniture, end_of(term))
        return known

    def rejected(term: str) -> bool:
        return _rejected(occurrences_of(term), texts, tables, lambda form: texts.verbs_after(form, end_of(form)))

    rows: list[_Row] = []
    shown: set[str] = set()
    for number, term in enumerate(ranked_candidates(scores, counts, tables.tags)):
        if known is not None and number >= known:
            return None
        end = end_of(term)
        full = extend_fragment(term, text_list, MIN_EXTENSION, tokens=tokens, total=read_total(term), usage=texts.usage, end=end)
        if full == term:  # twice the same neighbouring name or noun: a recurring longer name (瑞莱克斯)
            full = extend_fragment(term, text_list, 2, tokens=tokens, nouns_only=True, total=read_total(term), usage=texts.usage, end=end)
        if full in shown or (full != term and full in counts and full not in shown and scores[full] >= scores[term]):
            continue  # the extended term is (or will be) shown in its own right
        shown.add(full)
        if full != term:
            base_of.setdefault(full, term)
        if rejected(full):
            # An extension that reads as a clause (规上工业实现利润总额) leaves the term itself, when it
            # added words before it only: a term the text always follows with the same head (人均可支配
            # of 人均可支配收入) is a modifier cut from it (compounds are head-final).
            if full == term or not full.endswith(term) or term in shown:
                continue
            if rejected(term):
                continue
            full = term
            shown.add(full)
        count = counts[term] if full == term else max(counts[term], total_of(full))
        extended = {} if full == term else {full: counts[term]}
        row = next((r for r in rows if any(are_variants(full, f, tables.tags) for f in r.forms)), None)
        if row is not None:
            row.forms[full] = count
            row.extended.update(extended)
            continue
        if (held := _held(full, rows, occurrences_of)) is not None:
            row, form = held
            if len(form) < len(full):  # the row's form lies mostly inside this longer term: show it
                row.forms = {(full if f == form else f): (count if f == form else n) for f, n in row.forms.items()}
                row.extended = {f: n for f, n in row.extended.items() if f != form} | extended
            continue
        rows.append(_Row(scores[term], {full: count}, extended))
        if len(rows) >= needed:
            break
    return rows


def _held(term: str, rows: list[_Row], occurrences_of: Callable[[str], Occurrences]) -> tuple[_Row, str] | None:
    """The row and form that hold `term` or that `term` holds, when most occurrences of the shorter of
    the two lie inside the longer (历史性 in 历史性成就 twice, alone once): one term, not two rows."""
    for row in rows:
        for form in row.forms:
            short, long = sorted((term, form), key=len)
            if short == long or short not in long:
                continue
            places = occurrences_of(short).places
            offset = long.index(short)
            # where `short` starts when it lies inside an occurrence of `long` (a set: no scan per place)
            holders = {(j, at + offset) for j, at in occurrences_of(long).places}
            inside = sum((i, s) in holders for i, s in places)
            if places and 2 * inside > len(places):
                return row, form
    return None


def _rejected(occurrences: Occurrences, texts: RankedTexts, tables: CorpusTables,
              verbs_of: Callable[[str], Counter[str | None]]) -> bool:
    """Not a term: a count, a counter, a cut word, a bound modifier, a verb in use, a heading, a source, a clause
    (see `jiegui.analyses.terms`); `tables.word_counts`: the corpus's token counts (a verb used elsewhere
    there opens a clause: a document is too little evidence); `verbs_of`: the verbs after a term in the
    corpus (`RankedTexts.verbs_after`, as far as its checks read)."""
    return (
        is_count(occurrences.term)
        or opens_with_count(occurrences)
        or is_counter(occurrences)
        or cuts_word(occurrences, tables.vocabulary)
        or is_bound_modifier(occurrences, _known_word)
        or is_predicate(occurrences)
        or is_listed_word(occurrences)
        or in_recurring_string(occurrences, _known_word)
        or cuts_name(occurrences)
        or in_unknown_run(occurrences, _dictionary_word)
        or in_quoted_name(occurrences)
        or modifies_next_verb(occurrences, verbs_of, _known_word)
        or before_counted_places(occurrences)
        or in_coordinated_name(occurrences)
        or goes_to_place(occurrences)
        or is_heading(occurrences)
        or is_headline_clause(occurrences)
        or names_source(occurrences, texts.sources)
        or is_clause(occurrences, tables.word_counts, tables.tags)
    )


def _as_written(term: str, texts: RankedTexts) -> str:
    """`term` in the characters the corpus writes it in (Traditional text is ranked in Simplified)."""
    for analysed, original in zip(texts.documents, texts.originals):
        if analysed is not original and (at := analysed.text.find(term)) >= 0:
            return original.text[at:at + len(term)]
    return term


@dataclass
class KeywordRanker:
    """Everything the rankings share: the documents' terms, document frequencies and IDF."""

    documents: Sequence[Document]
    stopwords: frozenset[str]
    pos: frozenset[str] | None
    phrases: Sequence[Phrase]
    # The documents as given, where `documents` holds their Simplified form (traditional.py): a term is
    # shown in the characters the text writes it in.
    originals: Sequence[Document] = ()
    # The columns of the documents' tokens (made here when None): phrase discovery and the terms share them.
    columns: TokenColumns | None = None
    # The documents' terms (`_document_terms`; made here when None): a cluster counts them per batch of
    # documents and joins the batches' (`joined_terms`).
    counted: _Terms | None = None
    # The corpus's IDF and tables, when `documents` are one batch of it (`batch_document_rows`).
    shared: tuple[dict[str, float], CorpusTables] | None = None

    def __post_init__(self) -> None:
        if not self.documents:
            raise InputError("no documents to rank keywords in")
        self._columns = TokenColumns.of(d.tokens for d in self.documents) if self.columns is None else self.columns
        self._terms = (_document_terms(self.documents, self._columns, self.phrases, self.stopwords, self.pos)
                       if self.counted is None else self.counted)
        self.counts, self.df = _corpus_counts(self._terms)
        self.parts = {p.term: p.parts for p in self.phrases}
        self._background: dict[str, float] | None = None
        self._idf: dict[str, float] | None = None
        self._tables: CorpusTables | None = None
        if self.shared is not None:
            self._idf, self._tables = self.shared
        self._documents_terms: list[_DocTerms] | None = None

    @property
    def terms(self) -> list[_DocTerms]:
        """Each document's term counts."""
        if self._documents_terms is None:
            self._documents_terms = _documents_counts(self._terms, [d.id for d in self.documents])
        return self._documents_terms

    def sentences(self, index: int | None) -> list[list[str]]:
        """The terms of document `index` (of every document: None), sentence by sentence, in text order."""
        return _term_sentences(self._terms, index)

    @property
    def background(self) -> dict[str, float]:
        """Background IDF of every term of the corpus."""
        if self._background is None:
            self._background = _background_table(self.df, background_idf(), self.parts)
        return self._background

    @property
    def idf(self) -> dict[str, float]:
        """The blended IDF of the per-document ranking."""
        if self._idf is None:
            self._idf = _idf_table(self.df, len(self.documents), self.background)
        return self._idf

    def scores(self, method: Method, doc: _DocTerms | None) -> tuple[dict[str, float], Counter[str]]:
        """Scores and counts for one document, or for the corpus (doc None)."""
        if doc is not None:
            if method is Method.textrank:
                return _textrank(self.sentences(doc.index)), doc.counts
            return _tfidf(doc, self.idf), doc.counts
        if method is Method.textrank:
            return _textrank(self.sentences(None)), self.counts
        return _corpus_tfidf(self.counts, self.df, self.background), self.counts

    @property
    def tables(self) -> CorpusTables:
        """The corpus's `CorpusTables` (its place initials are the ranked texts' own: the index reads them)."""
        if self._tables is None:
            self._tables = corpus_tables(self._columns, self.phrases)
        return self._tables

    def rank(self, method: Method, doc: _DocTerms | None, top_n: int | None) -> list[Keyword]:
        """`rank_rows` of the corpus (doc None) or of one document, over the whole documents."""
        scores, counts = self.scores(method, doc)
        rows = rank_rows(scores, counts, top_n, self.ranked_texts(doc), self.tables, doc_id=None if doc is None else doc.doc,
                         limit=CHECKED_OCCURRENCES if doc is None else None)
        assert rows is not None  # every candidate's texts are there
        return rows

    def ranked_texts(self, doc: _DocTerms | None) -> RankedTexts:
        """The `RankedTexts` of the corpus (doc None) or of one document: the whole documents."""
        numbers = [k for k, d in enumerate(self.documents) if doc is None or d.id == doc.doc]
        chosen = [self.documents[k] for k in numbers]
        index = TokenIndex([d.tokens for d in chosen], self._columns, numbers)
        return RankedTexts.of(chosen, index, self.documents, self.originals)


def _term_sentences(terms: _Terms, index: int | None) -> list[list[str]]:
    """The terms of document `index` (of every document: None), sentence by sentence, in text order."""
    import numpy as np

    rows = np.arange(len(terms.term)) if index is None else np.flatnonzero(terms.doc == index)
    sentence = terms.doc[rows] * (int(terms.sentence.max(initial=0)) + 1) + terms.sentence[rows]
    cuts = np.flatnonzero(sentence[1:] != sentence[:-1]) + 1
    words = terms.words
    return [[words[t] for t in part.tolist()] for part in np.split(terms.term[rows], cuts) if len(part)]


def ranked_documents(documents: Iterable[AnalysedDocument | Document]) -> list[Document]:
    """The documents as keywords rank them: in Simplified, without the furniture's tokens (lead-ins,
    bylines: `jiegui.text.boilerplate`). Phrases found on these are the ones `corpus_keywords` would find."""
    return [replace(d, tokens=content_tokens(d)) for d in (a.simplified_document() for a in as_analysed(documents))]


def _ranker(
    documents: Sequence[AnalysedDocument | Document],
    *,
    stopwords: Iterable[str] | None,
    pos: Iterable[str] | None,
    phrases: Sequence[Phrase] | None,
) -> KeywordRanker:
    prepared = as_analysed(documents)
    # None: the run's stopwords, which every prepared document carries (the packaged list and the user's).
    stopwords = frozenset(stopwords if stopwords is not None else prepared[0].stopwords if prepared else ())
    ranked = ranked_documents(prepared)
    columns = TokenColumns.of(d.tokens for d in ranked)  # their furniture left out already
    if phrases is None:
        phrases = discover_phrases_in(columns, stopwords=stopwords)
    originals = [a.document for a in prepared]
    return KeywordRanker(ranked, stopwords, None if pos is None else frozenset(pos), phrases, originals, columns)


# ---------------------------------------------------------------- per batch of documents (on a cluster's workers)
# A corpus split in batches (`jiegui.distributed`): each batch's documents are prepared as `_ranker`
# prepares them (`ranked_pair`), its token columns made (`batch_columns`) and, once the phrases are known,
# its terms counted (`batch_terms`); the batches' columns and terms are joined in corpus order
# (`jiegui.distributed.joined_columns`, `joined_terms`), which gives the arrays one process makes; the
# rankings below read them (`corpus_scores`, `batch_document_rows`). The rows are those of
# `corpus_keywords` / `document_keywords`.
def ranked_pair(document: AnalysedDocument) -> tuple[Document, Document]:
    """A document as keywords rank it (`ranked_documents`) and as given (what terms are shown in)."""
    simplified = document.simplified_document()
    return replace(simplified, tokens=content_tokens(simplified)), document.document


def batch_columns(pairs: Sequence[tuple[Document, Document]]) -> TokenColumns:
    """The token columns of a batch's ranked documents (`ranked_pair`)."""
    return TokenColumns.of(ranked.tokens for ranked, _ in pairs)


def batch_terms(pairs: Sequence[tuple[Document, Document]], columns: TokenColumns, phrases: Sequence[Phrase],
                stopwords: frozenset[str], pos: frozenset[str] | None) -> tuple[int, _Terms]:
    """A batch's documents (how many) and their terms (`_document_terms`, documents numbered in the batch)."""
    return len(pairs), _document_terms([ranked for ranked, _ in pairs], columns, phrases, stopwords, pos)


def joined_terms(first: tuple[int, _Terms], second: tuple[int, _Terms]) -> tuple[int, _Terms]:
    """Two consecutive parts' terms as one, as `_document_terms` makes them over both parts' documents:
    rows in order, the second part's documents numbered after the first's and its term ids mapped into
    the first's words (the counts and rankings read terms by first occurrence, not by id)."""
    import numpy as np

    (documents, a), (more, b) = first, second
    words, mapping = joined_words(a.words, b.words)
    return documents + more, _Terms(
        words,
        np.concatenate((a.doc, b.doc + documents)),
        np.concatenate((a.term, mapping[b.term])),
        np.concatenate((a.sentence, b.sentence)),
        np.concatenate((a.measured, b.measured)),
    )


def joined_words(first: Sequence[str], second: Sequence[str]) -> tuple[list[str], NDArray[np.int64]]:
    """`first` followed by the words of `second` it lacks, in their order (first-seen order over both, as
    one pass over both parts numbers them), and the id in it of each of `second`'s words."""
    import numpy as np

    words = list(first)
    index: dict[str, int] = {}
    for number, word in enumerate(words):
        index.setdefault(word, number)
    ids = []
    for word in second:
        number = index.get(word)
        if number is None:
            number = index[word] = len(words)
            words.append(word)
        ids.append(number)
    return words, np.array(ids, dtype=np.int64)


# ---------------------------------------------------------------- the corpus ranking from excerpts (a cluster's workers)
# `rank_rows` reads the texts of the `ranked_candidates` only, in their order, and of each only what lies
# near its occurrences (and their extensions): characters and tokens within `_REACH` characters of them
# (the furthest is an extension of up to MAX_EXTENSION characters and the 16 around it that
# `in_coordinated_name` reads), and the line they lie in for `is_heading` and `is_headline_clause`,
# which judge only lines of at most 80 characters (and a label in a line's first characters). A cluster
# ranks the corpus from excerpts: each batch cuts, where its documents are, the lines that hold a round
# of candidates (`batch_excerpts`), a long line cut to its head and the stretches around the
# occurrences, the rest of it `_GAP`; `excerpt_texts` puts them together as the `RankedTexts` of the
# corpus, every other line left empty, so that every check reads what it reads in the whole texts.
# Another round follows when the ranking needs more candidates than it has. The checks read a candidate
# only up to the line of its `CHECKED_OCCURRENCES`-th occurrence (`reading_end`), so a round needs only
# those lines: each batch cuts its excerpts to them, and `truncated_excerpts` again as the batches' are
# joined; the rows' df and counts are asked of every batch (`batch_row_answers`).
_REACH = 48
_HEAD = 64  # a long line's first characters, kept whole: a paragraph's label (`is_heading`)
_LONG = 80  # a line longer than this (stripped) is cut: `is_heading` and `is_headline_clause` judge shorter ones
_GAP = "…"  # what stands for the characters cut from a long line: punctuation, no space, no quote or bracket
_RUNS = frozenset("0123456789０１２３４５６７８９.%〇零一二三四五六七八九十百千万亿两几多余来个")  # a figure's reach is its run


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a document's ranked text: its offset, its text, the text as given there when it differs
    (Traditional), and its tokens, compactly: each one's start and end (offsets in the whole text) and
    tag; its text is the stretch's characters there (a third of the bytes of pickled Tokens), or, for a
    token whose text is not (none seen), listed in `words`."""

    offset: int
    text: str
    original: str | None
    bounds: array[int]  # start and end of each token, in turn
    tags: tuple[str, ...]
    words: tuple[str, ...] | None = None

    @classmethod
    def of(cls, text: str, offset: int, original: str | None, tokens: Sequence[Token]) -> Piece:
        own = all(text[t.start - offset : t.end - offset] == t.text for t in tokens)
        return cls(offset, text, original, array("i", (p for t in tokens for p in (t.start, t.end))),
                   tuple(t.pos for t in tokens), None if own else tuple(t.text for t in tokens))

    def tokens(self) -> list[Token]:
        """The tokens, made again."""
        bounds, offset, text = self.bounds, self.offset, self.text
        words = self.words or [text[bounds[2 * k] - offset : bounds[2 * k + 1] - offset] for k in range(len(self.tags))]
        return [Token(w, tag, bounds[2 * k], bounds[2 * k + 1]) for k, (w, tag) in enumerate(zip(words, self.tags))]


@dataclass(frozen=True)
class Excerpt:
    """The lines of one document that hold candidates (by line number: the pieces kept of each, `_GAP`
    between them), how many lines it has, its furniture (offsets in the whole text) and its
    single-character token counts (`RankedTexts.usage`)."""

    lines: int
    kept: dict[int, tuple[Piece, ...]]
    ends: dict[int, int]  # each kept line's end (offset of its line break)
    furniture: tuple[tuple[int, int], ...]
    usage: dict[str, int]
    # How often each candidate occurs in each kept line (`reading_end`'s count), and whether the document is
    # kept whole (a token across a line break): what `truncated_excerpts` reads.
    holds: dict[int, dict[str, int]] = field(default_factory=dict)
    whole: bool = False

    def joined(self, other: Excerpt) -> Excerpt:
        """This excerpt with the lines of another excerpt of the same document (a line of both: the pieces
        of both, merged)."""
        kept = dict(self.kept)
        for j, pieces in other.kept.items():
            kept[j] = _merged_pieces(kept.get(j, ()) + pieces)
        return replace(self, kept=kept, ends={**self.ends, **other.ends})

    def read(self, seen: Counter[str], limit: int | None) -> Excerpt | None:
        """This excerpt with only the lines a ranking reads (`lines_read`); None: none of them."""
        read = lines_read(self.kept, self.holds, self.whole, seen, limit)
        if len(read) == len(self.kept):
            return self
        return replace(self, kept={j: self.kept[j] for j in read}, ends={j: self.ends[j] for j in read},
                       holds={j: self.holds[j] for j in read if j in self.holds}) if read else None


def lines_read(lines: Iterable[int], holds: Mapping[int, Mapping[str, int]], whole: bool, seen: Counter[str],
               limit: int | None) -> list[int]:
    """Which of a document's `lines` a ranking reads (`reading_end`), after the corpus's earlier lines
    (`seen`: how often each candidate occurs in them; updated with these): those holding an occurrence of a
    candidate up to its `limit`-th; a document kept whole, all its lines or none."""
    ordered = sorted(lines)
    if limit is None:
        return ordered
    read = []
    for unit in [ordered] if whole else [[j] for j in ordered]:
        counts: Counter[str] = Counter()
        for j in unit:
            counts.update(holds.get(j, {}))
        if any(seen[term] < limit for term in counts):
            read += unit
        seen.update(counts)
    return read


def _merged_pieces(pieces: Sequence[Piece]) -> tuple[Piece, ...]:
    """Pieces of one line in order, those that overlap or touch made one."""
    merged: list[Piece] = []
    for piece in sorted(pieces, key=lambda p: p.offset):
        last = merged[-1] if merged else None
        if last is None or piece.offset > last.offset + len(last.text):
            merged.append(piece)
            continue
        cut = last.offset + len(last.text) - piece.offset  # the characters of `piece` that `last` holds
        end = last.offset + len(last.text)
        merged[-1] = Piece.of(last.text + piece.text[cut:], last.offset,
                              None if last.original is None else last.original + (piece.original or "")[cut:],
                              last.tokens() + [t for t in piece.tokens() if t.start >= end])
    return tuple(merged)


Excerpts = list[tuple[tuple[int, int], Excerpt]]  # in corpus order, each keyed by (batch, place in the batch)


def batch_excerpts(pairs: Sequence[tuple[Document, Document]], terms: Sequence[str], limit: int | None = None,
                   number: int = 0) -> Excerpts:
    """The excerpts of a batch's documents (`ranked_pair`s) that hold any of `terms`, keyed by (`number`,
    the document's place in the batch): every line holding one of them (in the furniture too: an
    extension, a term's total count and the verbs after it read every occurrence), a long line cut (see
    above); with `limit`, only the lines a ranking reads (`Excerpt.read`) of this batch alone, so that a
    batch sends at most the lines of `limit` occurrences of each term (`truncated_excerpts` then keeps
    those of the corpus)."""
    # every offset where a term starts (a lookahead: overlapping ones too), with the longest term there
    pattern = re.compile("(?=(" + "|".join(map(re.escape, sorted(terms, key=len, reverse=True))) + "))")
    excerpts = []
    seen: Counter[str] = Counter()
    for k, (ranked, original) in enumerate(pairs):
        text = ranked.text
        matches = [(m.start(), m.end(1)) for m in pattern.finditer(text)] if terms else []
        if not matches:
            continue
        offsets = [0, *(m.end() for m in re.finditer("\n", text))]
        ends = [*(o - 1 for o in offsets[1:]), len(text)]  # each line's end (its line break)
        tokens, starts = ranked.tokens, token_starts(ranked.tokens)
        stretches: dict[int, list[tuple[int, int]]] = {}
        for start, end in matches:
            j = bisect.bisect_right(offsets, start) - 1
            stretches.setdefault(j, [(offsets[j], offsets[j] + _HEAD)]).append((start - _REACH, end + _REACH))
        whole = any((first := bisect.bisect_left(starts, offsets[j])) > 0 and tokens[first - 1].end > offsets[j]
                    or (last := bisect.bisect_left(starts, ends[j])) > 0 and tokens[last - 1].end > ends[j]
                    for j in stretches)
        if whole:  # a token across a line break: the whole text, unchanged
            stretches = {j: [(offsets[j], ends[j])] for j in range(len(offsets))}
        holds: dict[int, dict[str, int]] = {}
        for term in terms:
            for _, at in term_places(term, [text]):
                line = holds.setdefault(bisect.bisect_right(offsets, at) - 1, {})
                line[term] = line.get(term, 0) + 1
        stretches = {j: stretches[j] for j in lines_read(stretches, holds, whole, seen, limit)}
        if not stretches:
            continue
        same = original.text == text
        kept = {}
        for j, spans in stretches.items():
            line_start, line_end = offsets[j], ends[j]
            if len(text[line_start:line_end].strip()) <= _LONG:
                spans = [(line_start, line_end)]
            pieces = []
            for start, end in _spans(text, tokens, starts, spans, line_start, line_end):
                inside = tokens[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
                pieces.append(Piece.of(text[start:end], start, None if same else original.text[start:end], inside))
            kept[j] = tuple(pieces)
        usage = Counter(t.text for t in tokens if len(t.text) == 1)
        excerpts.append(((number, k), Excerpt(len(offsets), kept, {j: ends[j] for j in kept}, tuple(ranked.furniture), dict(usage),
                                             {j: holds[j] for j in kept if j in holds}, whole)))
    return excerpts


def truncated_excerpts(first: Excerpts, second: Excerpts, limit: int | None) -> Excerpts:
    """Two consecutive parts' excerpts as one: the lines a ranking reads of both (`Excerpt.read`), in
    corpus order. The parts' own cuts keep what this keeps (a line read after more lines is read after
    fewer), so a tree of these gives what one batch of the whole corpus gives."""
    seen: Counter[str] = Counter()
    return [(key, read) for key, excerpt in [*first, *second] if (read := excerpt.read(seen, limit)) is not None]


def excerpt_rows(scores: Mapping[str, float], counts: Counter[str], top_n: int | None, known: int | None,
                 limit: int | None, sources: set[str], tables: CorpusTables, rounds: Iterable[Excerpts]) -> list[_Row] | None:
    """`decided_rows` over the excerpts of rounds of candidates (each round's of the whole corpus), each
    document's joined in round order; None when the ranking needs more candidates than `known`."""
    held: dict[tuple[int, int], Excerpt] = {}
    for excerpts in rounds:
        for key, excerpt in excerpts:
            held[key] = held[key].joined(excerpt) if key in held else excerpt
    texts = excerpt_texts([held[key] for key in sorted(held)], sources, tables)
    return decided_rows(scores, counts, top_n, texts, tables, known=known, limit=limit)


def candidate_rounds(scores: Mapping[str, float], counts: Counter[str], tables: CorpusTables, top_n: int | None) -> Iterator[tuple[list[str], int | None]]:
    """The rounds of candidates a ranking from excerpts asks for, in rank order (twice as many each time),
    each with how many candidates the rounds so far hold (None: all of them)."""
    candidates = ranked_candidates(scores, counts, tables.tags)
    known, step = 0, 2 * (top_n or len(scores)) + 10
    while True:
        new = list(itertools.islice(candidates, step))
        known += len(new)
        yield new, known if len(new) == step else None
        if len(new) < step:
            return
        step *= 2


def _spans(text: str, tokens: Sequence[Token], starts: Sequence[int], spans: list[tuple[int, int]],
           line_start: int, line_end: int) -> list[tuple[int, int]]:
    """The stretches of a line to keep, in order, merged: each span within the line, widened over a run of
    figures and to whole tokens, and to the token that starts where it ends."""
    widened = []
    for start, end in spans:
        start, end = max(start, line_start), min(end, line_end)
        while start > line_start and text[start - 1] in _RUNS:
            start -= 1
        while end < line_end and text[end] in _RUNS:
            end += 1
        k = bisect.bisect_right(starts, start) - 1
        if k >= 0 and tokens[k].end > start:
            start = tokens[k].start  # the token covering the start
        k = bisect.bisect_right(starts, end) - 1  # the token covering the end or starting there
        if k >= 0 and tokens[k].end > end:
            end = tokens[k].end
        widened.append((max(start, line_start), min(end, line_end)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(widened):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def batch_sources(pairs: Sequence[tuple[Document, Document]]) -> set[str]:
    """The sources a batch's ranked documents name (`names_source` reads those of every text ranked)."""
    return {ranked.source for ranked, _ in pairs if ranked.source}


def excerpt_texts(excerpts: Iterable[Excerpt], sources: set[str], tables: CorpusTables) -> RankedTexts:
    """The `RankedTexts` of the corpus made of excerpts (in corpus order): each document's lines at
    their line numbers, every other line empty, a long line's pieces joined by `_GAP` (and ended by it
    when it goes on, at least 81 characters long), their tokens and furniture moved with them."""
    documents, originals, usage = [], [], []
    for excerpt in excerpts:
        lines, given = [""] * excerpt.lines, [""] * excerpt.lines
        tokens: list[Token] = []
        furniture: list[tuple[int, int]] = []
        at = 0  # the new offset of the line
        previous = 0
        for j in sorted(excerpt.kept):
            at += j - previous  # the empty lines' breaks
            previous = j
            texts, written = [], []
            length = 0
            for piece in excerpt.kept[j]:
                if length or piece.offset > excerpt.kept[j][0].offset:
                    texts.append(_GAP)
                    written.append(_GAP)
                    length += 1
                shift = at + length - piece.offset
                tokens.extend(Token(t.text, t.pos, t.start + shift, t.end + shift) for t in piece.tokens())
                end = piece.offset + len(piece.text)
                furniture.extend((max(s, piece.offset) + shift, min(e, end) + shift)
                                 for s, e in excerpt.furniture if max(s, piece.offset) < min(e, end))
                texts.append(piece.text)
                written.append(piece.text if piece.original is None else piece.original)
                length += len(piece.text)
            last = excerpt.kept[j][-1]
            if last.offset + len(last.text) < excerpt.ends[j]:  # the line goes on: a gap, and it stays long
                tail = _GAP * max(1, 81 - length)
                texts.append(tail)
                written.append(tail)
                length += len(tail)
            lines[j], given[j] = "".join(texts), "".join(written)
            at += length
        text = "\n".join(lines)
        document = Document("", None, None, None, "", text, (), tokens, 0, tuple(furniture))
        documents.append(document)
        originals.append(replace(document, text="\n".join(given)))
        usage.append(excerpt.usage)
    index = TokenIndex([d.tokens for d in documents], initials=tables.place_initials)
    return RankedTexts([d.text for d in documents], [d.tokens for d in documents], [d.furniture for d in documents],
                       index, sources, documents, originals, usage)


# ---------------------------------------------------------------- each document's ranking where its batch is
# (a cluster's workers). A document's ranking reads its own text, the corpus's IDF and tables, and three
# answers of the whole corpus: the verbs after a term (`modifies_next_verb`), a row's df and the
# characters a form is written in. Each batch ranks its documents (`batch_document_rows`) with the verbs
# answered so far; a document that asks of another term waits while every batch counts the verbs after
# it (`batch_verbs`, summed); the rows' df and forms are answered by every batch at the end
# (`batch_row_answers`, joined in corpus order: `joined_row_answers`) and the rows shown (`keyword_rows`).
def corpus_idf(counted: _Terms, documents: int, phrases: Sequence[Phrase]) -> dict[str, float]:
    """The blended IDF of the documents' rankings (`KeywordRanker.idf`), made where the corpus's terms are."""
    _, df = _corpus_counts(counted)
    return _idf_table(df, documents, _background_table(df, background_idf(), {p.term: p.parts for p in phrases}))


@dataclass(frozen=True)
class DocumentRows:
    """A batch's document rankings: each ranked document's id and rows by its place in the batch (corpus
    order), the places of those waiting for an answer, and the terms they asked of."""

    rows: dict[int, tuple[str, list[_Row]]]
    waiting: list[int]
    asked: set[str]


def batch_document_rows(pairs: Sequence[tuple[Document, Document]], columns: TokenColumns, counted: tuple[int, _Terms],
                        phrases: Sequence[Phrase], idf: dict[str, float], tables: CorpusTables,
                        verbs: Mapping[str, Counter[str | None]], *, method: Method, top_n: int | None,
                        wanted: set[str] | None, only: Sequence[int] | None) -> DocumentRows:
    """The rows of a batch's documents (those of `wanted` ids; those at the places `only`), ranked as
    `document_keywords` ranks them, with the corpus's `idf` and `tables` and the `verbs` answered so far."""
    if not pairs:
        return DocumentRows({}, [], set())
    ranker = KeywordRanker([r for r, _ in pairs], frozenset(), None, phrases, [o for _, o in pairs], columns, counted[1],
                           shared=(idf, tables))
    rows, waiting, asked = {}, [], set()
    places = None if only is None else set(only)
    for doc in ranker.terms:
        if (wanted is not None and doc.doc not in wanted) or (places is not None and doc.index not in places):
            continue
        scores, counts = ranker.scores(method, doc)
        try:
            decided = decided_rows(scores, counts, top_n, replace(ranker.ranked_texts(doc), verbs=verbs), tables)
        except Unanswered as question:
            waiting.append(doc.index)
            asked.add(question.term)
            continue
        assert decided is not None
        rows[doc.index] = (doc.doc, decided)
    return DocumentRows(rows, waiting, asked)


def batch_verbs(pairs: Sequence[tuple[Document, Document]], terms: Sequence[str]) -> dict[str, Counter[str | None]]:
    """The verbs after each of `terms` in a batch's ranked documents (`terms.verbs_after`)."""
    ranked = [r for r, _ in pairs]
    return {term: verbs_after(term, ranked) for term in terms}


def summed_verbs(first: dict[str, Counter[str | None]], second: dict[str, Counter[str | None]]) -> dict[str, Counter[str | None]]:
    """Two parts' `batch_verbs`, summed."""
    return {term: first[term] + second[term] for term in first}


RowAnswers = tuple[list[int], dict[str, str], Counter[str]]


def batch_row_answers(pairs: Sequence[tuple[Document, Document]], forms: Sequence[Sequence[str]],
                      counted: Sequence[str] = ()) -> RowAnswers:
    """For each row's forms, the batch's documents holding any of them; for each form, the characters the
    first document holding it writes it in (`_as_written`); how often each of `counted` occurs
    (`occurrence_count`: the forms shown extended, `with_totals`)."""
    texts = [r.text for r, _ in pairs]
    df = [sum(any(f in text for f in row) for text in texts) for row in forms]
    written = {}
    for form in dict.fromkeys(f for row in forms for f in row):
        for ranked, original in pairs:
            if ranked is not original and (at := ranked.text.find(form)) >= 0:
                written[form] = original.text[at:at + len(form)]
                break
    return df, written, Counter({form: occurrence_count(form, texts) for form in counted})


def joined_row_answers(first: RowAnswers, second: RowAnswers) -> RowAnswers:
    """Two consecutive parts' `batch_row_answers` as one: the df and counts summed, the first part's forms first."""
    return [a + b for a, b in zip(first[0], second[0], strict=True)], {**second[1], **first[1]}, first[2] + second[2]


def with_totals(rows: Sequence[_Row], totals: Mapping[str, int]) -> list[_Row]:
    """The rows with each form shown extended counted in the whole corpus (`totals`; the excerpts the
    rows were decided from hold only the lines the checks read)."""
    return [replace(row, forms={f: max(row.extended[f], totals[f]) if f in row.extended else n for f, n in row.forms.items()})
            for row in rows]


def corpus_scores(columns: TokenColumns, phrases: Sequence[Phrase], counted: _Terms, method: Method
                  ) -> tuple[dict[str, float], Counter[str], CorpusTables]:
    """What the corpus ranking reads besides the excerpts, made where the corpus's columns and terms are:
    each term's score and count (`KeywordRanker.scores` of the corpus) and the `CorpusTables` with the
    places the texts name."""
    counts, df = _corpus_counts(counted)
    if method is Method.textrank:
        scores = _textrank(_term_sentences(counted, None))
    else:
        scores = _corpus_tfidf(counts, df, _background_table(df, background_idf(), {p.term: p.parts for p in phrases}))
    return scores, counts, corpus_tables(columns, phrases, initials=True)


def check_top_n(top_n: int | None) -> None:
    if top_n is not None and top_n < 1:
        raise InputError(f"top_n must be at least 1, not {top_n}", parameter="top_n")


def corpus_keywords(
    documents: Sequence[AnalysedDocument | Document],
    *,
    method: Method = Method.tfidf,
    top_n: int | None = TOP_N,
    pos: Iterable[str] | None = DEFAULT_POS,
    stopwords: Iterable[str] | None = None,
    phrases: Sequence[Phrase] | None = None,
) -> list[Keyword]:
    """The corpus's top terms (`doc` None). `pos` None allows every POS; `phrases` None discovers them
    in `documents`; `stopwords` None means the documents' (those of `analyse_corpus`; the packaged list
    for loaded documents)."""
    check_top_n(top_n)
    ranker = _ranker(documents, stopwords=stopwords, pos=pos, phrases=phrases)
    return ranker.rank(method, None, top_n)


def document_keywords(
    documents: Sequence[AnalysedDocument | Document],
    *,
    doc_ids: Sequence[str] | None = None,
    method: Method = Method.tfidf,
    top_n: int | None = TOP_N,
    pos: Iterable[str] | None = DEFAULT_POS,
    stopwords: Iterable[str] | None = None,
    phrases: Sequence[Phrase] | None = None,
) -> list[Keyword]:
    """Each document's top terms (all documents, or those in `doc_ids`), ranked against the whole corpus.

    Rows come document by document, in corpus order, each ranked from 1.
    """
    check_top_n(top_n)
    for doc_id in doc_ids or ():
        find_document(documents, doc_id)
    ranker = _ranker(documents, stopwords=stopwords, pos=pos, phrases=phrases)
    wanted = None if doc_ids is None else set(doc_ids)
    return [
        keyword
        for doc in ranker.terms
        if wanted is None or doc.doc in wanted
        for keyword in ranker.rank(method, doc, top_n)
    ]
