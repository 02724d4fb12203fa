"""A document prepared once for every analysis: spaCy's `Doc` idea for jiegui.

`Document` (models.py) is what the corpus loads and caches: the cleaned text, its sentences and tokens.
Every analysis (keywords, entities, facts, similarity) also needs the text in Simplified characters
(jieba's dictionary, its IDF and the gazetteer are Simplified), the tokens with Simplified surfaces, the
sentence holding an offset and the stopwords of the run. `AnalysedDocument` holds them, built once per
document by `analyse`, so no analysis redoes that preparation its own way.

Offsets index both texts alike: the Simplified text has the same length as the original (see
`jiegui.text.traditional`). What is printed (surfaces, sentences) is read from the original.
"""
from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise

from jiegui.errors import NotSegmentedError
from jiegui.models import Document, LazySentences, LazyTokens, Sentence, Token, columns_of, sentence_bounds
from jiegui.text.segment import Segmenter, SegmenterSettings
from jiegui.text.traditional import to_simplified


_START = operator.attrgetter("start")


@dataclass(frozen=True, slots=True)
class AnalysedDocument:
    """One document as the analyses read it.

    `document` is the loaded record (its `text` is the original, what offsets index and what is
    printed); `text`, `title` and `tokens` are the same in Simplified characters (the original objects
    themselves for Simplified input); `sentences` are the document's, in text order; `settings` are the
    segmenter's (user dictionaries, stopword files) and `stopwords` the packaged list plus the user's.
    """

    document: Document
    text: str
    title: str | None
    _tokens: Sequence[Token]  # lazy when read from the cache: see `tokens`
    _sentences: Sequence[Sentence]  # likewise: see `sentences`
    settings: SegmenterSettings
    stopwords: frozenset[str]
    _sentence_starts: tuple[int, ...] = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.document.id

    @property
    def tokens(self) -> Sequence[Token]:
        """The tokens as a tuple (a `TokenTuple` with the entry's columns when read from the cache), made on
        first use: the analyses that walk the tokens index them one by one, which costs a Python call per
        access on a `LazyTokens` and none on a tuple; the counting ones read the document's columns."""
        tokens = self._tokens
        return tokens.as_tuple() if isinstance(tokens, LazyTokens) else tokens

    @property
    def stored_tokens(self) -> Sequence[Token]:
        """The tokens as the document holds them: read from the cache, a `LazyTokens` whose Token objects
        are not made yet, for the analyses that read the entry's columns (`entry_columns`) and index
        only a few tokens (the facts' rules: making two million tokens cost more than their whole reading)."""
        return self._tokens

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """The sentences in text order, made on first use when read from the cache (keywords read only
        their spans: `jiegui.models.sentence_bounds`)."""
        sentences = self._sentences
        if type(sentences) is not tuple:  # made now, and kept in place of the lazy sequence (sentence_at
            sentences = sentences.as_tuple() if isinstance(sentences, LazySentences) else tuple(sentences)
            object.__setattr__(self, "_sentences", sentences)  # asks for them per mention: no call chain
        return sentences

    def sentence_spans(self) -> tuple[Sequence[int], Sequence[int]]:
        """The sentences' starts and ends, in text order: read from the spans of sentences read from the
        cache, no Sentence made (what `sentence_at` answers, for an analysis that needs only the span)."""
        return self._sentence_starts, sentence_bounds(self._sentences)[1]

    @property
    def original(self) -> str:
        """The text as written (Traditional stays Traditional): what surfaces and sentences print."""
        return self.document.text

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence holding text position `offset` (start ≤ offset < end), or None between sentences."""
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and (sentence := self.sentences[i]).end > offset:
            return sentence
        return None

    def simplified_document(self) -> Document:
        """The document with Simplified text, sentences and tokens (same offsets), for analyses written
        over `Document` (the keyword ranker); the document itself when it is Simplified already."""
        if self.text is self.document.text:
            return self.document
        return replace(
            self.document,
            text=self.text,
            title=self.title,
            sentences=tuple(replace(s, text=self.text[s.start:s.end]) for s in self.document.sentences),
            tokens=tuple(self.tokens),
        )


@lru_cache(maxsize=8)
def run_stopwords(settings: SegmenterSettings) -> frozenset[str]:
    """The stopwords of a run: the packaged list and the user's files, read once per settings (a
    Segmenter reads its lists without loading jieba)."""
    return Segmenter(settings).stopwords


def analyse(document: Document, settings: SegmenterSettings | None = None) -> AnalysedDocument:
    """Prepare `document` for the analyses. The one place that checks it was segmented: a document with
    text and no tokens raises NotSegmentedError (re-segmenting here would ignore the user's dictionaries).

    `settings` are those the document was segmented with (None: the packaged dictionaries and stopwords).
    """
    if not document.tokens and document.text.strip():
        raise NotSegmentedError(
            f"document {document.id!r} has no tokens: load it with jiegui.load_corpus, or build it with the "
            "tokens of Segmenter.tokenize"
        )
    settings = settings or SegmenterSettings()
    tokens: Sequence[Token] = document.tokens
    # a hand-built document (the cache checks its tokens are in order: those read from it are)
    if columns_of(tokens) is None and any(a.start > b.start for a, b in pairwise(tokens)):
        tokens = tuple(sorted(tokens, key=lambda t: t.start))
    text = to_simplified(document.text)
    if text is not document.text:  # Traditional: surfaces read from the Simplified text, same offsets
        tokens = tuple(Token(text[t.start:t.end], t.pos, t.start, t.end) for t in tokens)
    sentences: Sequence[Sentence] = document.sentences
    if isinstance(sentences, LazySentences):  # read from the cache: in order (checked), made when walked
        starts = tuple(sentences.starts)
    else:
        sentences = tuple(sentences)
        starts = tuple(map(_START, sentences))  # at C speed: a 10 MB corpus has some 130 000 sentences
        if any(map(operator.gt, starts, starts[1:])):  # a hand-built document
            sentences = tuple(sorted(sentences, key=_START))
            starts = tuple(map(_START, sentences))
    return AnalysedDocument(
        document=document,
        text=text,
        title=document.title and to_simplified(document.title),
        _tokens=tokens,
        _sentences=sentences,
        settings=settings,
        stopwords=run_stopwords(settings),
        _sentence_starts=starts,
    )


def as_analysed(documents: Iterable[AnalysedDocument | Document]) -> list[AnalysedDocument]:
    """The analyses' entry points accept loaded documents too: those are prepared with the packaged
    settings (a CLI run prepares them with the user's, in `jiegui.corpus.analyse_corpus`)."""
    return [d if isinstance(d, AnalysedDocument) else analyse(d) for d in documents]
