"""Document similarity: TF-IDF vectors over content words, cosine scores, top-k pairs at scale.

Vectors are scikit-learn TF-IDF over the documents' jieba tokens with stopwords, punctuation and numbers
removed (`segment.is_content_word`), sublinear tf (1 + log tf) and smoothed idf, L2-normalised, so a dot
product is the cosine similarity. `ngrams=2` adds word bigrams: two content words that follow each other
directly in the token stream (nothing skipped between them).

Each vector keeps only its `max_terms` (default 100) highest-weighted terms before normalising, as
Lucene's MoreLikeThis represents a document by its top terms: without it, two long, broad articles
score high on hundreds of small shared contributions (工作, 企业, 功能 …) and outrank two short reports
of the same event that share the distinctive names. It also bounds the work per row at scale.

All-pairs work (`most_similar_pairs`, `duplicate_groups`) multiplies the sparse matrix with its transpose
one block of rows at a time and keeps only each row's best candidates, so memory is bounded by
`BLOCK_CELLS` scores plus the kept candidates, never a dense N×N matrix. That is exact but N²: from
LSH_MIN_DOCS documents, pairs scoring ≥ LSH_MIN_SCORE (near-copies) are found among MinHash LSH
candidates instead (`_lsh_links`), and pairs below it (related documents) among each document's best
partners by a top-n sparse product over its highest-weighted terms (`_topn_links`); every candidate is
then scored exactly. docs/scale.md gives the recall measured against the exact path.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jiegui.analysed import AnalysedDocument, as_analysed
from jiegui.errors import (
    InputError,
    JieguiError,
    MatrixTooLargeError,
    UnknownDocumentError,
)
from jiegui.models import Document, DuplicateGroup, Pair, SimilarityMatrix, Token
from jiegui.text.segment import Segmenter, is_content_word
from jiegui.text.traditional import simplified_tokens

if TYPE_CHECKING:
    from collections import Counter

SHARED_TERMS = 5
MAX_TERMS = 100
MATRIX_MAX_DOCS = 30
DEFAULT_THRESHOLD = 0.9
BLOCK_CELLS = 4_000_000  # scores held at once in an all-pairs block: 16 MB as float32
QUERY_LABEL = "<query>"
SCORE_DIGITS = 4
BIGRAM_JOINER = " "
LSH_MIN_DOCS = 5_000  # from this many documents, all-pairs searches at a high score use MinHash LSH
LSH_MIN_SCORE = 0.9  # ... at or above this score: the bands are sized for near-duplicates
LSH_BANDS, LSH_ROWS, LSH_MIN_BANDS, LSH_SEED = 60, 5, 3, 2026
LSH_SCORE_CHUNK = 50_000  # candidate pairs scored at once: ~40 MB of row copies
# From LSH_MIN_DOCS documents, pairs below LSH_MIN_SCORE come from a top-n sparse product over each
# document's CANDIDATE_TERMS highest-weighted terms, CANDIDATES_PER_ROW partners per document (`_topn_links`).
CANDIDATE_TERMS, CANDIDATES_PER_ROW = 20, 30
NO_CONTENT_WORDS = "no content words in the corpus (only stopwords, numbers or punctuation)"


@dataclass(frozen=True)
class SimilarityIndex:
    """A corpus's TF-IDF matrix (one L2-normalised row per document) and what is needed to read it."""

    ids: tuple[str, ...]
    matrix: Any  # scipy.sparse.csr_matrix, float32, rows L2-normalised
    terms: Any  # numpy array: the term of each column
    vectorizer: Any  # the fitted TfidfVectorizer, to place a query in the same space
    ngrams: int
    stopwords: frozenset[str]
    max_terms: int | None = MAX_TERMS

    def position(self, doc_id: str) -> int:
        """The row of a document id; an unknown id raises InputError with close ids as a hint."""
        try:
            return self.ids.index(doc_id)
        except ValueError:
            raise UnknownDocumentError(doc_id, self.ids) from None


def content_terms(tokens: Sequence[Token], stopwords: frozenset[str], *, ngrams: int = 1) -> list[str]:
    """The terms a document is counted by: content words, plus adjacent content-word bigrams if ngrams=2."""
    keep = [is_content_word(t, stopwords) for t in tokens]
    terms = [t.text for t, k in zip(tokens, keep) if k]
    if ngrams >= 2:
        terms += [
            tokens[i].text + BIGRAM_JOINER + tokens[i + 1].text
            for i in range(len(tokens) - 1)
            if keep[i] and keep[i + 1]
        ]
    return terms


def _check_ngrams(ngrams: int) -> None:
    if ngrams not in (1, 2):
        raise JieguiError(f"ngrams must be 1 (words) or 2 (words and word bigrams), not {ngrams}")


def build_index(
    documents: Sequence[AnalysedDocument | Document],
    *,
    ngrams: int = 1,
    max_terms: int | None = MAX_TERMS,
) -> SimilarityIndex:
    """Vectorise documents (their Simplified tokens, without the run's stopwords) for every similarity
    question.

    `max_terms=None` keeps every term of every document (the plain TF-IDF cosine).
    """
    _check_ngrams(ngrams)
    prepared = as_analysed(documents)
    stopwords = prepared[0].stopwords if prepared else frozenset()
    terms = (document_terms(doc, stopwords=stopwords, ngrams=ngrams)[1] for doc in prepared)
    return index_terms([doc.id for doc in prepared], terms, ngrams=ngrams, stopwords=stopwords, max_terms=max_terms)


def document_terms(
    document: AnalysedDocument | Document, *, stopwords: frozenset[str], ngrams: int = 1
) -> tuple[str, list[str]]:
    """A document's id and the terms `build_index` vectorises it by (its Simplified content words): what
    a cluster's worker sends back."""
    (prepared,) = as_analysed([document])
    return prepared.id, content_terms(prepared.tokens, stopwords, ngrams=ngrams)


def index_terms(
    ids: Sequence[str],
    term_lists: Iterable[list[str]],
    *,
    ngrams: int = 1,
    stopwords: frozenset[str] = frozenset(),
    max_terms: int | None = MAX_TERMS,
) -> SimilarityIndex:
    """Vectorise already-extracted term lists (one per id); `term_lists` may be a generator."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    if max_terms is not None and max_terms < 1:
        raise JieguiError(f"max_terms must be at least 1 (or None for all terms), not {max_terms}")
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        dup = next(i for i in ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
        raise InputError(f"two documents have the id {dup!r}; ids must be unique")
    vectorizer = TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, norm="l2", dtype=np.float32, lowercase=False
    )
    try:
        matrix = vectorizer.fit_transform(term_lists)
    except ValueError:  # sklearn: "empty vocabulary"
        raise InputError(NO_CONTENT_WORDS) from None
    if matrix.shape[0] != len(ids):
        raise InputError(f"{len(ids)} ids for {matrix.shape[0]} documents")
    matrix = _keep_top_terms(matrix.tocsr(), max_terms)
    return SimilarityIndex(
        tuple(ids), matrix, vectorizer.get_feature_names_out(), vectorizer, ngrams, stopwords, max_terms
    )


# ---------------------------------------------------------------- the index in parts (a cluster's workers)
def document_frequencies(term_lists: Iterable[list[str]]) -> Counter[str]:
    """In how many of these documents each term occurs: a part of the corpus's counts, to be summed."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for terms in term_lists:
        counts.update(set(terms))
    return counts


def fitted_vectorizer(frequencies: Mapping[str, int], documents: int) -> Any:
    """The TfidfVectorizer `index_terms` fits, made from the corpus's document frequencies instead of its
    term lists: the vocabulary sorted as sklearn sorts it and sklearn's smoothed idf computed the way
    `TfidfTransformer.fit` computes it (in float32: idf = ln((1 + n) / (1 + df)) + 1), so that
    `index_rows` gives every row bit for bit as `index_terms` does."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not frequencies:
        raise InputError(NO_CONTENT_WORDS)
    terms = sorted(frequencies)
    vectorizer = TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, norm="l2", dtype=np.float32, lowercase=False,
        vocabulary={term: column for column, term in enumerate(terms)},
    )
    df = np.array([frequencies[t] for t in terms], dtype=np.float32)
    df += 1.0
    idf = np.full_like(df, fill_value=documents + 1, dtype=np.float32)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    vectorizer.idf_ = idf
    return vectorizer


def index_rows(vectorizer: Any, term_lists: Iterable[list[str]], *, max_terms: int | None = MAX_TERMS) -> Any:
    """The rows of some documents in the corpus's TF-IDF space (`fitted_vectorizer`): each row depends on
    its own terms and the idf only, so the corpus's matrix is these blocks stacked in corpus order."""
    if max_terms is not None and max_terms < 1:
        raise JieguiError(f"max_terms must be at least 1 (or None for all terms), not {max_terms}")
    return _keep_top_terms(vectorizer.transform(term_lists).tocsr(), max_terms)


def stacked_index(
    ids: Sequence[str],
    vectorizer: Any,
    blocks: Sequence[Any],
    *,
    ngrams: int = 1,
    stopwords: frozenset[str] = frozenset(),
    max_terms: int | None = MAX_TERMS,
) -> SimilarityIndex:
    """The index of `index_terms` from its row blocks (`index_rows`, in corpus order)."""
    import scipy.sparse as sp

    matrix = sp.vstack(blocks, format="csr") if len(blocks) != 1 else blocks[0]
    if matrix.shape[0] != len(ids):
        raise InputError(f"{len(ids)} ids for {matrix.shape[0]} documents")
    matrix.sort_indices()
    return SimilarityIndex(
        tuple(ids), matrix, vectorizer.get_feature_names_out(), vectorizer, ngrams, stopwords, max_terms
    )


def _keep_top_terms(matrix: Any, max_terms: int | None) -> Any:
    """Each row's `max_terms` largest weights (ties: lower column first), re-normalised to unit length."""
    import numpy as np
    from sklearn.preprocessing import normalize

    if max_terms is not None:
        lengths = np.diff(matrix.indptr)
        for row in np.flatnonzero(lengths > max_terms):
            start, end = matrix.indptr[row], matrix.indptr[row + 1]
            data = matrix.data[start:end]
            drop = np.lexsort((matrix.indices[start:end], -data))[max_terms:]
            data[drop] = 0.0
        matrix.eliminate_zeros()
        matrix = normalize(matrix, norm="l2", copy=False)
    matrix.sort_indices()
    return matrix


def _identity(terms: list[str]) -> list[str]:
    return terms


# ---------------------------------------------------------------- explanations
def shared_terms(index: SimilarityIndex, a: Any, b: Any, *, limit: int = SHARED_TERMS) -> tuple[str, ...]:
    """The terms that contribute most to the cosine of two rows (sparse 1×V): largest w_a·w_b first."""
    import numpy as np

    common, ia, ib = np.intersect1d(a.indices, b.indices, assume_unique=True, return_indices=True)
    if common.size == 0:
        return ()
    contribution = a.data[ia] * b.data[ib]
    # Stable order for equal contributions: by term, so the output never depends on hashing.
    order = sorted(range(common.size), key=lambda k: (-float(contribution[k]), index.terms[common[k]]))
    return tuple(str(index.terms[common[k]]) for k in order[:limit])


def _pair(index: SimilarityIndex, label_a: str, row_a: Any, j: int, score: float) -> Pair:
    row_b = index.matrix[j]
    return Pair(label_a, index.ids[j], round(float(score), SCORE_DIGITS), shared_terms(index, row_a, row_b))


def _check_top(top: int | None) -> None:
    if top is not None and top < 1:
        raise JieguiError(f"top must be at least 1, not {top}")


def _check_score(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise JieguiError(f"{name} is a cosine similarity between 0 and 1, not {value}")


def _floor(value: float) -> float:
    """The raw score that prints as `value` or more, as the rows show it (SCORE_DIGITS decimals): a pair
    shown as 0.1090 passes --min-score 0.109."""
    return max(value - 0.5 * 10**-SCORE_DIGITS, 0.0) if value > 0 else value


def _ranked(scores: Any, *, top: int | None, min_score: float, exclude: int | None = None) -> list[int]:
    """Columns with score > 0 and ≥ min_score as printed (_floor), best first (ties by position), at most `top`."""
    import numpy as np

    scores = scores.copy()
    if exclude is not None:
        scores[exclude] = -1.0
    candidates = np.flatnonzero((scores > 0) & (scores >= _floor(min_score)))
    order = candidates[np.lexsort((candidates, -scores[candidates]))]
    ranked: list[int] = order.tolist() if top is None else order[:top].tolist()
    return ranked


# ---------------------------------------------------------------- one document or a query against the corpus
def nearest(index: SimilarityIndex, doc_id: str, *, top: int | None = 10, min_score: float = 0.0) -> list[Pair]:
    """The documents most similar to one document (itself excluded), best first."""
    _check_top(top)
    _check_score("min_score", min_score)
    i = index.position(doc_id)
    row = index.matrix[i]
    scores = (index.matrix @ row.T).toarray().ravel()
    return [_pair(index, doc_id, row, j, scores[j]) for j in _ranked(scores, top=top, min_score=min_score, exclude=i)]


def read_query(path: str) -> str:
    """A query file's text, decoded like a corpus file (BOM, UTF-8, GB18030 or Big5)."""
    from pathlib import Path

    from jiegui.text.decode import decode_bytes

    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"query file not found: {path}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the query file ({exc.strerror})") from None
    return decode_bytes(data, name=path)[0]


def rank_text(
    index: SimilarityIndex,
    text: str,
    *,
    segmenter: Segmenter | None = None,
    top: int | None = 10,
    min_score: float = 0.0,
    label: str = QUERY_LABEL,
) -> list[Pair]:
    """Rank the corpus against a query text (segmented here); `a` of every pair is `label`.

    The query is placed in the corpus's TF-IDF space: words the corpus never uses do not count.
    """
    _check_top(top)
    _check_score("min_score", min_score)
    if not text.strip():
        raise InputError("the query text is empty")
    segmenter = segmenter or Segmenter()
    terms = content_terms(simplified_tokens(text, segmenter.tokenize(text))[1], index.stopwords, ngrams=index.ngrams)
    if not terms:
        raise InputError("the query has no content words (only stopwords, numbers or punctuation)")
    row = _keep_top_terms(index.vectorizer.transform([terms]).tocsr(), index.max_terms)
    scores = (index.matrix @ row.T).toarray().ravel()
    return [_pair(index, label, row, j, scores[j]) for j in _ranked(scores, top=top, min_score=min_score)]


# ---------------------------------------------------------------- all pairs, in blocks
def block_starts(n: int, block_cells: int = BLOCK_CELLS) -> range:
    """The first row of each all-pairs block: rows·N ≤ block_cells scores, dense float32, per block."""
    rows = max(1, min(n, block_cells // max(n, 1)))
    return range(0, n, rows)


def block_candidates(matrix: Any, transposed: Any, first: int, rows: int, k: int, floor: float) -> tuple[Any, Any, Any] | None:
    """Per row i of the block of `rows` rows from `first`, its best k partners j > i with score ≥ floor as
    printed (_floor; > 0): arrays (i, j, score), or None. `transposed` is the matrix's transpose as CSR.
    A block's result depends on its rows and bounds only: the blocks may run anywhere, in any order."""
    import numpy as np

    block = (matrix[first : first + rows] @ transposed).toarray()
    b = block.shape[0]
    later = block[:, first:]  # columns j ≥ first; j ≤ i inside the block's own square is masked below
    later[np.tril_indices(b, k=0, m=later.shape[1])] = 0.0
    keep = min(k, later.shape[1])
    if keep == 0:
        return None
    cols = np.argpartition(later, later.shape[1] - keep, axis=1)[:, -keep:]
    scores = np.take_along_axis(later, cols, axis=1)
    mask = (scores > 0) & (scores >= _floor(floor))
    row_ids = np.broadcast_to(np.arange(first, first + b)[:, None], cols.shape)
    return row_ids[mask], cols[mask] + first, scores[mask]


def concatenated(found: Sequence[tuple[Any, Any, Any] | None]) -> tuple[Any, Any, Any]:
    """Blocks' (i, j, score) arrays as one, in the order given (None: a block that found nothing)."""
    import numpy as np

    kept = [f for f in found if f is not None]
    if not kept:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return tuple(np.concatenate(parts) for parts in zip(*kept))  # type: ignore[return-value]


def _upper_candidates(index: SimilarityIndex, k: int, floor: float, block_cells: int, jobs: int = 1) -> tuple[Any, ...]:
    """Per row i, its best k partners j > i with score ≥ floor as printed (_floor; > 0): arrays (i, j, score).

    Rows are multiplied with the whole corpus `rows` at a time (`block_starts`, `block_candidates`), each
    block in a thread of its own when jobs > 1: scipy and numpy release the GIL there, and memory stays
    jobs × block_cells scores.
    """
    n = index.matrix.shape[0]
    starts = block_starts(n, block_cells)
    transposed = index.matrix.T.tocsr()

    def candidates(first: int) -> tuple[Any, Any, Any] | None:
        return block_candidates(index.matrix, transposed, first, starts.step, k, floor)

    if jobs > 1 and len(starts) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            found = list(pool.map(candidates, starts))
    else:
        found = list(map(candidates, starts))
    return concatenated(found)


def ranked_links(i: Any, j: Any, s: Any, top: int) -> Any:
    """The positions of the `top` best links: highest score first, ties by i then j (a strict order, so the
    best of a union of blocks are among the union of each block's best)."""
    import numpy as np

    return np.lexsort((j, i, -s))[:top]


def pair_of(index: SimilarityIndex, i: int, j: int, score: float) -> Pair:
    """The printed pair of rows i < j, with the terms it shares."""
    return _pair(index, index.ids[i], index.matrix[i], j, score)


# ---------------------------------------------------------------- large corpora: MinHash LSH candidates
def _lsh_links(matrix: Any, floor: float) -> tuple[Any, Any, Any]:
    """Pairs i < j scoring ≥ floor as printed (_floor; > 0), found among MinHash LSH candidates: arrays (i, j, score).

    Each document's set of terms (its kept top terms) gets LSH_BANDS × LSH_ROWS MinHash values, one per
    random permutation of the vocabulary (min-wise hashing, Broder 1997); in one band, two documents agree
    on all LSH_ROWS values with probability Jaccard^LSH_ROWS (Leskovec, Rajaraman and Ullman, Mining of
    Massive Datasets, ch. 3). A pair is a candidate when at least LSH_MIN_BANDS bands agree: with 60 bands
    of 5 and 3 needed, a pair of Jaccard 0.7 is missed with probability 0.14 %, one of 0.5 is a candidate
    with probability 29 %, one of 0.3 with 0.04 %. Near-copies that score ≥ 0.9 share most of their
    terms (Jaccard ≥ 0.69 on bench/similarity_scale.py's documents); related documents that share only
    common words are rarely scored. Candidates are then scored exactly, so every score is the exact
    cosine; only a pair the bands miss can be missing. The permutations have a fixed seed: the same
    corpus always gives the same answer.
    """
    i, j = lsh_candidates(matrix.shape[0], [lsh_band_pairs(matrix, range(LSH_BANDS))])
    return _exact_scores(matrix, i, j, floor)


def lsh_band_pairs(matrix: Any, bands: range) -> tuple[Any, Any]:
    """The pairs (keys i·N + j, sorted) that agree in some of the LSH bands `bands`, and in how many: the
    bands are independent, so they may be split between tasks (`lsh_candidates` sums the counts). The
    random permutations are drawn in band order from the one seeded generator: a band range replays the
    draws of the bands before it."""
    import numpy as np

    n, width = matrix.shape
    rng = np.random.default_rng(LSH_SEED)
    lengths = np.diff(matrix.indptr)
    present = np.flatnonzero(lengths > 0)
    starts = matrix.indptr[:-1][present]
    multipliers = rng.integers(1, 2**63, size=LSH_ROWS, dtype=np.uint64) | np.uint64(1)
    for _ in range(bands.start * LSH_ROWS):
        rng.permutation(width)
    firsts, seconds = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for _ in bands:
        key = np.zeros(present.size, dtype=np.uint64)
        for multiplier in multipliers:
            ranks = rng.permutation(width).astype(np.int32)
            key = key * multiplier + np.minimum.reduceat(ranks[matrix.indices], starts).astype(np.uint64)
        order = np.argsort(key, kind="stable")
        members, key = present[order], key[order]
        edges = np.flatnonzero(np.diff(key)) + 1
        bucket_starts = np.concatenate(([0], edges))
        sizes = np.diff(np.concatenate((bucket_starts, [key.size])))
        for size in np.unique(sizes[sizes > 1]).tolist():
            buckets = members[bucket_starts[sizes == size][:, None] + np.arange(size)]
            a, b = np.triu_indices(size, k=1)
            firsts.append(buckets[:, a].ravel())
            seconds.append(buckets[:, b].ravel())
    pairs, counts = np.unique(np.concatenate(firsts).astype(np.int64) * n + np.concatenate(seconds), return_counts=True)
    return pairs, counts


def merged_band_pairs(first: tuple[Any, Any], second: tuple[Any, Any]) -> tuple[Any, Any]:
    """Two `lsh_band_pairs` results as one: each pair once (sorted), its band counts added."""
    import numpy as np

    pairs, inverse = np.unique(np.concatenate((first[0], second[0])), return_inverse=True)
    counts = np.bincount(inverse, weights=np.concatenate((first[1], second[1])), minlength=pairs.size).astype(np.int64)
    return pairs, counts


def lsh_candidates(n: int, parts: Sequence[tuple[Any, Any]]) -> tuple[Any, Any]:
    """The candidate pairs (i, j), i < j, in key order: agreeing in at least LSH_MIN_BANDS bands."""
    pairs, counts = parts[0]
    for part in parts[1:]:
        pairs, counts = merged_band_pairs((pairs, counts), part)
    pairs = pairs[counts >= LSH_MIN_BANDS]
    return pairs // n, pairs % n  # members are in corpus order within a bucket: i < j


def lsh_links(matrix: Any, candidates: tuple[Any, Any], floor: float) -> tuple[Any, Any, Any]:
    """`_lsh_links` from its candidates (`lsh_candidates`): the pairs scoring ≥ floor, exactly scored."""
    return _exact_scores(matrix, candidates[0], candidates[1], floor)


def _exact_scores(matrix: Any, i: Any, j: Any, floor: float) -> tuple[Any, Any, Any]:
    """The candidate pairs (i, j) scoring ≥ floor as printed (_floor; > 0), with their exact cosine."""
    import numpy as np

    raw_floor = _floor(floor)
    ones = np.ones(matrix.shape[1], dtype=np.float32)
    found = [(i[:0], j[:0], np.zeros(0, dtype=np.float32))]
    for start in range(0, i.size, LSH_SCORE_CHUNK):
        a, b = i[start : start + LSH_SCORE_CHUNK], j[start : start + LSH_SCORE_CHUNK]
        # The row-wise product summed in term order: the same float32 additions as the blocked product.
        scores = matrix[a].multiply(matrix[b]).tocsr() @ ones
        keep = (scores > 0) & (scores >= raw_floor)
        found.append((a[keep], b[keep], scores[keep]))
    kept_i, kept_j, kept_s = (np.concatenate(parts) for parts in zip(*found))
    return kept_i, kept_j, kept_s


# ---------------------------------------------------------------- large corpora: top-n sparse product candidates
def _topn_links(matrix: Any, floor: float, *, per_row: int = CANDIDATES_PER_ROW, jobs: int = 1) -> tuple[Any, Any, Any]:
    """Pairs i < j scoring ≥ floor as printed, found among each document's `per_row` best partners by a
    pruned product: arrays (i, j, score), every score the exact cosine.

    The product keeps only each row's CANDIDATE_TERMS highest weights (its rarest, most telling terms). With
    non-negative weights a pruned dot product is a lower bound of the cosine, and it is large exactly when
    the distinctive terms agree, so a document's true best partners rank high among its pruned ones. The
    product runs in sparse_dot_topn (C++, `jobs` threads), which keeps the top `per_row` per row while
    multiplying: memory is N × per_row candidates, never the N×N scores. The pair of rows sharing no
    distinctive term is missed; docs/scale.md gives the recall measured against the exact path.
    """
    import numpy as np
    from sparse_dot_topn import sp_matmul_topn

    n = matrix.shape[0]
    pruned = _top_weights(matrix, CANDIDATE_TERMS)
    product = sp_matmul_topn(pruned, pruned.T.tocsr(), top_n=per_row + 1, n_threads=jobs if jobs > 1 else None)
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(product.indptr))
    cols = product.indices.astype(np.int64)
    keys = np.unique(np.minimum(rows, cols) * n + np.maximum(rows, cols))
    i, j = keys // n, keys % n
    distinct = i != j
    return _exact_scores(matrix, i[distinct], j[distinct], floor)


def _top_weights(matrix: Any, k: int) -> Any:
    """A copy of a CSR matrix with only each row's k largest weights (ties: lower column first), unscaled."""
    import numpy as np
    import scipy.sparse as sp

    lengths = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0]), lengths)
    order = np.lexsort((matrix.indices, -matrix.data, rows))
    rank = np.arange(order.size) - np.repeat(matrix.indptr[:-1], lengths)
    keep = np.sort(order[rank < k])
    indptr = np.concatenate(([0], np.cumsum(np.minimum(lengths, k))))
    return sp.csr_matrix((matrix.data[keep], matrix.indices[keep], indptr), shape=matrix.shape)


def _union(*found: tuple[Any, Any, Any]) -> tuple[Any, Any, Any]:
    """Several (i, j, score) arrays as one, each pair once."""
    import numpy as np

    i, j, s = (np.concatenate(parts) for parts in zip(*found))
    _, first = np.unique(i.astype(np.int64) * (int(max(i.max(initial=0), j.max(initial=0))) + 1) + j, return_index=True)
    return i[first], j[first], s[first]


def _best_per_row(i: Any, j: Any, s: Any, k: int) -> tuple[Any, Any, Any]:
    """Each row's k best links (ties: lower j first), as the blocked path keeps them."""
    import numpy as np

    order = np.lexsort((j, -s, i))
    i, j, s = i[order], j[order], s[order]
    first = np.ones(i.size, dtype=bool)
    first[1:] = i[1:] != i[:-1]
    rank = np.arange(i.size) - np.maximum.accumulate(np.where(first, np.arange(i.size), 0))
    keep = rank < k
    return i[keep], j[keep], s[keep]


def most_similar_pairs(
    index: SimilarityIndex,
    *,
    top: int = 10,
    min_score: float = 0.0,
    jobs: int = 1,
    block_cells: int = BLOCK_CELLS,
    candidates: tuple[Any, Any] | None = None,
) -> list[Pair]:
    """The `top` most similar document pairs of the corpus, best first (each pair once, a before b).

    Any pair of the global top k is among its first document's top k later partners, so keeping k per row
    and block is exact. From LSH_MIN_DOCS documents, the pairs scoring ≥ LSH_MIN_SCORE (and min_score) are
    looked for among MinHash LSH candidates first (`_lsh_links`); if there are at least `top`, they are the
    answer, else the candidates of a top-n sparse product are added (`_topn_links`). Either way the scores
    are exact; a pair can only be missing. `candidates`: the LSH candidates when already found
    (`lsh_candidates`: a cluster's workers find them band by band).
    """

    _check_top(top)
    _check_score("min_score", min_score)
    if len(index.ids) < LSH_MIN_DOCS:
        found = _upper_candidates(index, top, min_score, block_cells, jobs)
    else:
        floor = max(min_score, LSH_MIN_SCORE)
        found = _lsh_links(index.matrix, floor) if candidates is None else lsh_links(index.matrix, candidates, floor)
        if found[0].size < top and min_score < LSH_MIN_SCORE:
            found = _union(found, _topn_links(index.matrix, min_score, jobs=jobs))
    i, j, s = found
    return [pair_of(index, int(i[o]), int(j[o]), s[o]) for o in ranked_links(i, j, s, top)]


def duplicate_groups(
    index: SimilarityIndex,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    max_links: int = 50,
    jobs: int = 1,
    block_cells: int = BLOCK_CELLS,
    candidates: tuple[Any, Any] | None = None,
) -> list[DuplicateGroup]:
    """Groups of near-duplicates: documents joined by pairs scoring ≥ threshold (single linkage).

    Each document links to at most `max_links` later documents (its best ones), which bounds memory; a
    larger set of copies still ends in one group through the links between the copies themselves. From
    LSH_MIN_DOCS documents, the links are found among MinHash LSH candidates (`_lsh_links`) for a threshold
    ≥ LSH_MIN_SCORE, else among each document's best partners by a top-n sparse product (`_topn_links`),
    instead of the all-pairs products. `candidates`: the LSH candidates when already found, as above.
    Groups are listed largest first, then by their first id; documents in corpus order.
    """
    check_threshold(threshold)
    if len(index.ids) >= LSH_MIN_DOCS and threshold >= LSH_MIN_SCORE:
        links = _lsh_links(index.matrix, threshold) if candidates is None else lsh_links(index.matrix, candidates, threshold)
        i, j, s = _best_per_row(*links, max_links)
    elif len(index.ids) >= LSH_MIN_DOCS:
        i, j, s = _best_per_row(*_topn_links(index.matrix, threshold, per_row=max(max_links, CANDIDATES_PER_ROW), jobs=jobs), max_links)
    else:
        i, j, s = _upper_candidates(index, max_links, threshold, block_cells, jobs)
    return groups_of_links(index.ids, i, j, s)


def check_threshold(threshold: float) -> None:
    _check_score("threshold", threshold)
    if threshold <= 0:
        raise JieguiError("threshold must be above 0, or every document is a duplicate of every other")


def groups_of_links(ids: Sequence[str], i: Any, j: Any, s: Any) -> list[DuplicateGroup]:
    """The duplicate groups (single linkage) of links (i, j, score) between the documents `ids`."""
    parent = list(range(len(ids)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(i.tolist(), j.tolist()):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[int, list[int]] = {}
    links: dict[int, list[float]] = {}
    for a, score in zip(i.tolist(), s.tolist()):
        links.setdefault(root(a), []).append(score)
    for x in range(len(ids)):
        if root(x) in links:
            members.setdefault(root(x), []).append(x)
    ordered = sorted(members, key=lambda r: (-len(members[r]), r))
    weakest = _weakest_links(len(ids), i, j, s)
    return [
        DuplicateGroup(
            number,
            tuple(ids[x] for x in members[r]),
            round(weakest[members[r][0]], SCORE_DIGITS),
            round(max(links[r]), SCORE_DIGITS),
        )
        for number, r in enumerate(ordered, start=1)
    ]


def _weakest_links(n: int, i: Any, j: Any, s: Any) -> dict[int, float]:
    """For every linked document, the lowest score on the maximum spanning tree of its group: the link
    single linkage needed most. One Kruskal pass over all links, strongest first (a group's links never
    leave it, and every maximum spanning tree has the same lowest link); the last link that joins two
    parts of a group is its weakest. Per group, the links were once filtered with np.isin: N² at 100 k."""
    import numpy as np

    order = np.argsort(-s, kind="stable")
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    joins: list[tuple[int, float]] = []
    for a, b, score in zip(i[order].tolist(), j[order].tolist(), s[order].tolist()):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[rb] = ra
            joins.append((a, score))
    last = {root(a): score for a, score in joins}  # scores descend: the last join of a group wins
    return {x: last[root(x)] for x in range(n) if root(x) in last}


def similarity_matrix(index: SimilarityIndex, *, max_docs: int = MATRIX_MAX_DOCS) -> SimilarityMatrix:
    """The full N×N matrix, for small corpora only (N ≤ max_docs); the diagonal is 1 for non-empty rows."""
    n = len(index.ids)
    if n > max_docs:
        raise MatrixTooLargeError(
            f"the corpus has {n} documents; the matrix is shown for at most {max_docs}", parameter="max_docs"
        )
    dense = (index.matrix @ index.matrix.T).toarray()
    scores = tuple(tuple(round(min(float(v), 1.0), SCORE_DIGITS) for v in row) for row in dense)
    return SimilarityMatrix(index.ids, scores)
