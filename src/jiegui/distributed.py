"""The corpus commands on a Dask cluster (`--scheduler ADDRESS`, `jiegui[dask]`): same output, more machines.

Data flow (docs/distributed.md):

1. The client lists the files (a shared path, or an fsspec URL) and submits one *load* task per batch of
   files. A worker reads, decodes, cleans, splits and segments them (`jiegui.corpus.load_source`, the
   function `--jobs` runs in its processes, with the cache in the client's cache directory when the worker
   can write it) and keeps the documents in its memory (Dask spills them to disk under memory pressure).
   Only each document's summary and edges (its first and last paragraphs, a few hundred characters) travel
   back: the corpus's furniture (`jiegui.text.boilerplate`) is a property of the whole corpus.
2. The client finds the furniture and sends each batch its documents' furniture; an *analyse* task marks
   the documents (`apply_furniture`, as `load_corpus` does) and runs a per-document function on them
   (facts, keyed entity mentions, similarity terms), returning only its rows. The client reads the
   results batch by batch in corpus order and releases each batch's documents as it goes.

Dask retries the tasks of a worker that dies (and recomputes the documents it held); bad files come back
as values and are reported like local ones, in corpus order. dask is imported only here, and only when a
command is given `--scheduler`.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from jiegui.corpus import (
    STDIN,
    TEXT_SUFFIXES,
    Source,
    document_view,
    find_sources,
    load_source,
    unique_ids,
)
from jiegui.errors import EmptyInputError, InputError, JieguiError, UnknownDocumentError
from jiegui.models import (
    Document,
    DocumentSummary,
    DocumentView,
    DuplicateGroup,
    Pair,
    SegmentedDocument,
    TokenRecord,
)
from jiegui.text.boilerplate import (
    DocumentEdges,
    apply_furniture,
    document_edges,
    find_boilerplate,
)
from jiegui.text.decode import decode_bytes, printable_path
from jiegui.text.segment import Segmenter, SegmenterSettings

if TYPE_CHECKING:
    from collections import Counter

    from distributed import Client, Future

    from jiegui.analyses.similarity import SimilarityIndex

LOCAL = "local"
# At most this many files per task, and about this many tasks per worker: few enough tasks that the
# scheduler's overhead (~1 ms a task) stays small, enough that a lost worker costs little and the
# progress bar moves.
MAX_BATCH = 64
TASKS_PER_WORKER = 8

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]


class SchedulerError(JieguiError):
    """The scheduler cannot be reached or the cluster cannot be started."""


def is_url(path: str) -> bool:
    """An fsspec URL (s3://bucket/news, file:///data/news) rather than a path."""
    return "://" in path


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How a worker reads a file: what `iter_documents` takes, minus what only the client needs."""

    settings: SegmenterSettings
    encoding: str | None
    cache_dir: str | None  # the client's cache directory; None: --no-cache


# ----------------------------------------------------------------------------- on the workers
@lru_cache(maxsize=4)
def _segmenter(settings: SegmenterSettings) -> Segmenter:
    return Segmenter(settings)


def _cache_usable(cache_dir: str) -> str | None:
    """Why this worker cannot use the client's cache directory, or None. The directory is made this
    worker process's cache (JIEGUI_CACHE_DIR)."""
    from jiegui import cache

    os.environ["JIEGUI_CACHE_DIR"] = cache_dir
    return cache.unavailable()


def _read(source: Source) -> bytes:
    """A file's bytes; the error names it as the user gave it (relative paths: from the worker's folder)."""
    if is_url(source.path):
        import fsspec

        try:
            with fsspec.open(source.path, "rb") as handle:
                data: bytes = handle.read()  # fsspec is untyped: its files are Any
                return data
        except (OSError, ValueError) as exc:
            raise InputError(f"{printable_path(source.path)}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        return Path(source.path).read_bytes()
    except OSError as exc:
        raise InputError(f"{printable_path(source.path)}: cannot read ({exc.strerror})") from None


@dataclass(frozen=True, slots=True)
class _Loaded:
    """A load task's result, kept on the worker: per file its documents or the error, and a cache note."""

    files: list[list[Document] | InputError]
    cache_problem: str | None


def load_batch(sources: Sequence[Source], options: ReadOptions) -> _Loaded:
    """Read and process files (on a worker): `load_source`, as `--jobs` runs it in each process."""
    problem = None if options.cache_dir is None else _cache_usable(options.cache_dir)
    use_cache = options.cache_dir is not None and problem is None
    segmenter = _segmenter(options.settings)
    files: list[list[Document] | InputError] = []
    for source in sources:
        try:
            files.append(load_source(source, segmenter=segmenter, encoding=options.encoding, use_cache=use_cache, data=_read(source)))
        except InputError as exc:
            files.append(exc)
    return _Loaded(files, problem)


Summary = tuple[DocumentSummary, DocumentEdges]


def summarise_batch(loaded: _Loaded) -> tuple[list[list[Summary] | InputError], str | None]:
    """What the client needs of a loaded batch (on the worker that holds it): summaries and edges."""
    summaries: list[list[Summary] | InputError] = []
    for result in loaded.files:
        if isinstance(result, InputError):
            summaries.append(result)
            continue
        summaries.append([(DocumentSummary(d.id, d.title, d.source, d.date, d.chars, len(d.sentences), d.duplicates_removed, printable_path(d.path)), document_edges(d))
                          for d in result])
    return summaries, loaded.cache_problem


def analyse_batch(loaded: _Loaded, furniture: Sequence[Sequence[Any]], function: Callable[[Document], Any], doc: str | None) -> list[Any]:
    """`function` of each document of a loaded batch (on a worker), marked with its furniture as
    `load_corpus` marks it; `furniture` has one entry per document of the files that loaded."""
    documents = [d for result in loaded.files if not isinstance(result, InputError) for d in result]
    return [function(apply_furniture(d, units)) for d, units in zip(documents, furniture, strict=True) if doc is None or d.id == doc]


def identity(document: Document) -> Document:
    return document


def segmented_document(document: Document) -> SegmentedDocument:
    """A document's row of `jiegui segment` (made on the worker: only the row travels)."""
    return SegmentedDocument(document.id, [TokenRecord(t.text, t.pos, t.start, t.end) for t in document.tokens])


def content_document(document: Document) -> Document:
    """What `jiegui phrases` reads of a document, made on the worker: its tokens outside its furniture
    (`boilerplate.content_tokens`), without the text and sentences (about 40 % fewer bytes back)."""
    from jiegui.text.boilerplate import content_tokens

    return Document(document.id, document.title, document.source, document.date, document.path, "", tokens=content_tokens(document))


def shown_document(document: Document, *, raw: bool, encoding: str | None) -> DocumentView:
    """`jiegui show`'s view of a document (made on the worker); `raw`: its file's text, decoded, uncleaned
    (`corpus.raw_text`, read as the worker reads the corpus: a path or an fsspec URL)."""
    if not raw:
        return document_view(document, document.text)
    data = _read(Source(document.path, document.id))
    return document_view(document, decode_bytes(data, name=printable_path(document.path), encoding=encoding)[0])


# ----------------------------------------------------------------------------- on the client
def find_url_sources(url: str, *, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[Source]:
    """The text files under an fsspec URL (or the URL itself when it is a file), sorted, with the ids a
    local folder's files would get (hidden files and folders skipped, globs as for a folder)."""
    from fnmatch import fnmatchcase

    try:
        from fsspec.core import url_to_fs

        fs, root = url_to_fs(url)
        if fs.isfile(root):
            return [Source(url, PurePosixPath(root).stem)]
        found = sorted(fs.find(root))
    except ImportError as exc:
        raise InputError(f"{url}: cannot read this URL ({exc}; install the fsspec package for its protocol)") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{url}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    protocol = url.split("://", 1)[0]
    prefix = root.rstrip("/") + "/"

    def matches(relative: str, globs: Sequence[str]) -> bool:
        name = relative.rpartition("/")[2]
        return any(fnmatchcase(relative, g) or ("/" not in g and fnmatchcase(name, g)) for g in globs)

    files = []
    for path in found:
        relative = path.removeprefix(prefix)
        if any(part.startswith(".") for part in relative.split("/")) or PurePosixPath(relative).suffix.lower() not in TEXT_SUFFIXES:
            continue
        if (exclude and matches(relative, exclude)) or (include and not matches(relative, include)):
            continue
        files.append((f"{protocol}://{path}" if not path.startswith(f"{protocol}://") else path, relative))
    if not files:
        raise InputError(f"no text files ({', '.join(TEXT_SUFFIXES)}) in {url}")
    return [Source(path, doc_id) for (path, _), doc_id in zip(files, unique_ids([r for _, r in files]))]


def connect(address: str, *, workers: int | None = None) -> Client:
    """A dask Client: of a LocalCluster of worker processes (`local`; `workers` of them, one per core by
    default), or of the scheduler at `address` (tcp://host:8786)."""
    import logging

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise SchedulerError(f"running on a Dask cluster needs dask.distributed: pip install 'jiegui[dask]' ({exc})") from None

    try:
        if address == LOCAL:
            with _workers_ignore_ctrl_c():
                cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.CRITICAL)
            client = Client(cluster)
            client._jiegui_cluster = cluster  # type: ignore[attr-defined]  # closed with the client
            return client
        return Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address} ({exc})") from None


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start the local workers with SIGINT ignored (an ignored signal stays ignored across exec): Ctrl-C
    reaches the whole terminal's process group, and only the client should act on it, by cancelling the
    tasks and closing the cluster; a worker interrupted mid-start would print tracebacks. A Ctrl-C while
    the workers start (a few seconds) is therefore ignored."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def disconnect(client: Any) -> None:
    cluster = getattr(client, "_jiegui_cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


class DistributedCorpus:
    """One corpus on a cluster: loaded once (step 1), then analysed by as many `map` calls as wanted."""

    def __init__(
        self,
        client: Any,
        path: str | None,
        *,
        encoding: str | None = None,
        skip_bad: bool = False,
        userdicts: tuple[str, ...] = (),
        stopwords: tuple[str, ...] = (),
        use_cache: bool = True,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        warn: Warn | None = None,
        progress: Progress | None = None,
        **_: Any,  # jobs: the local pool's size, not used on a cluster
    ) -> None:
        self.client = client
        self.path = path
        self.skip_bad = skip_bad
        self.warn = warn or (lambda message: None)
        self.progress = progress
        if path is not None and str(path) == STDIN:
            raise InputError("standard input cannot be read by a cluster's workers; save it to a file on a shared path")
        if path is not None and is_url(str(path)):
            self.sources = find_url_sources(str(path), include=include, exclude=exclude)
        else:
            self.sources = find_sources(path, include=include, exclude=exclude, warn=warn)
        settings = SegmenterSettings(tuple(map(str, userdicts)), tuple(map(str, stopwords)))
        Segmenter(settings)  # a missing dictionary is the client's error, before any task runs
        cache_dir = None
        if use_cache:
            from jiegui import cache
            from jiegui.text.segment import cache_dir as find_cache_dir

            if (reason := cache.unavailable()) is not None:
                self.warn(f"{reason}; running without the cache")
            else:
                cache_dir = str(find_cache_dir().resolve())
        self.options = ReadOptions(settings, encoding, cache_dir)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        size = max(1, min(MAX_BATCH, len(self.sources) // (workers * TASKS_PER_WORKER)))
        self.batches = [self.sources[i:i + size] for i in range(0, len(self.sources), size)]
        self.loaded: list[Any] = []
        self.pending: list[Any] = []  # every future not yet read: cancelled by close()
        self.steps = 2
        self.summaries: list[Summary] = []
        self.counts: list[int] = []  # documents per batch, bad files left out
        self.done = 0

    def _tick(self, files: int) -> None:
        self.done += files
        if self.progress is not None:
            self.progress(self.done, self.steps * len(self.sources))

    def load(self, *, keep: bool = True) -> list[Summary]:
        """Step 1: every document's summary and edges, in corpus order; bad files reported as locally
        (the first stops the run, or each is a warning with skip_bad; an empty file among several is
        always a warning). `keep` False: no `map` follows, the workers drop each batch once summarised."""
        self.steps = 2 if keep else 1
        self.loaded = [self.client.submit(load_batch, batch, self.options, pure=False) for batch in self.batches]
        summarised = [self.client.submit(summarise_batch, future, pure=False) for future in self.loaded]
        self.pending = self.loaded + summarised
        if not keep:
            self.loaded = []
        cache_warned = False
        total = len(self.sources)
        for batch, future in zip(self.batches, summarised):
            results, cache_problem = future.result()
            future.release()
            if cache_problem is not None and not cache_warned:
                cache_warned = True
                self.warn(f"the workers cannot use the cache directory {self.options.cache_dir} ({cache_problem}); they run without the cache (set JIEGUI_CACHE_DIR to a folder every worker can write)")
            count = 0
            for result in results:
                if isinstance(result, InputError):
                    if not (self.skip_bad or (total > 1 and isinstance(result, EmptyInputError))):
                        raise result
                    self.warn(f"skipping {result}")
                else:
                    self.summaries.extend(result)
                    count += len(result)
            self.counts.append(count)
            self._tick(len(batch))
        if not self.summaries:
            raise InputError(f"empty corpus: no documents in {self.path or 'the bundled corpus'}")
        return self.summaries

    def map(self, function: Callable[[Document], Any], *, doc: str | None = None) -> Iterator[Any]:
        """Step 2: `function` of every document (or of document `doc` only), marked with the corpus's
        furniture, computed on the workers and yielded in corpus order. `function` must be importable
        by the workers (a module's function or a functools.partial of one)."""
        analysed = self.submit(function, doc=doc)
        for batch, loaded, future in zip(self.batches, self.loaded, analysed):
            yield from future.result()
            future.release()
            loaded.release()  # the batch's documents are not needed any more
            self._tick(len(batch))
        self.pending = self.loaded = []

    def submit(self, function: Callable[[Document], Any], *, doc: str | None = None) -> list[Any]:
        """Step 2 without reading: one future per batch, in corpus order, of the list of `function` of its
        documents, left on the workers for a further step there (`similar`'s reductions); `wait` follows
        them with the progress bar."""
        if not self.loaded:
            self.load()
        if doc is not None and doc not in {s.id for s, _ in self.summaries}:
            raise UnknownDocumentError(doc, (s.id for s, _ in self.summaries))
        boilerplate = find_boilerplate(edges for _, edges in self.summaries)
        analysed = []
        at = 0
        for future, count in zip(self.loaded, self.counts):
            furniture = [boilerplate.furniture(edges) for _, edges in self.summaries[at:at + count]]
            at += count
            analysed.append(self.client.submit(analyse_batch, future, furniture, function, doc, pure=False))
        self.pending = self.loaded + analysed
        return analysed

    def wait(self, futures: Sequence[Any]) -> None:
        """Wait for `submit`'s futures in corpus order, moving the progress bar; then let the workers drop
        the documents (Dask keeps their lineage: a lost result is recomputed from the files). The futures
        are the caller's from then on: the tasks it builds on them end with the client (`disconnect`), as
        a cancel (which also cancels every dependent task) would trip over intermediate tasks no future
        holds any more."""
        from distributed import wait

        for batch, future in zip(self.batches, futures):
            wait(future)
            self._tick(len(batch))
        for loaded in self.loaded:
            loaded.release()
        self.pending = self.loaded = []

    def close(self) -> None:
        """Cancel what is still pending or running (Ctrl-C, an error): the cluster drops it."""
        if self.pending:
            self.client.cancel(self.pending, force=True)
        self.pending = self.loaded = []


# ----------------------------------------------------------------------------- similar: reductions and blocks on the cluster
# The functions below take a Client and futures (what `DistributedCorpus.submit` returns) and leave the
# data on the workers: the document frequencies are summed by a tree of pairwise merges, the TF-IDF rows
# are made per batch and stacked on a worker, and each all-pairs block runs as a task that sends back only
# its best pairs or its links. Results are those of `jiegui.analyses.similarity` on one machine, bit for bit.
def tree_reduce(client: Client, futures: Sequence[Future[Any]], combine: Callable[[Any, Any], Any]) -> Future[Any]:
    """One future of `combine` applied pairwise, level by level (a binary tree of log2(n) levels, as in
    Dask's futures documentation): every merge runs on a worker, none waits for all the parts, and only
    the final result exists once, wherever it was made."""
    level = list(futures)
    if not level:
        raise ValueError("nothing to reduce")
    while len(level) > 1:
        merged = [client.submit(combine, level[k], level[k + 1], pure=False) for k in range(0, len(level) - 1, 2)]
        level = merged + level[len(level) - len(level) % 2:]
    return level[0]


def batch_frequencies(terms: Sequence[tuple[str, list[str]]]) -> Counter[str]:
    """The document frequencies of one batch's term lists (`similarity.document_terms` of each document)."""
    from jiegui.analyses.similarity import document_frequencies

    return document_frequencies(t for _, t in terms)


def summed(first: Counter[str], second: Counter[str]) -> Counter[str]:
    """Two parts' counts added, into a new Counter (a task's inputs may be read again on a retry)."""
    total = first.copy()
    total.update(second)
    return total


def batch_rows(terms: Sequence[tuple[str, list[str]]], vectorizer: Any, max_terms: int | None) -> tuple[list[str], Any]:
    """One batch's ids and TF-IDF rows (`similarity.index_rows`)."""
    from jiegui.analyses.similarity import index_rows

    return [doc for doc, _ in terms], index_rows(vectorizer, [t for _, t in terms], max_terms=max_terms)


def stacked_index(vectorizer: Any, ngrams: int, stopwords: frozenset[str], max_terms: int | None, *blocks: tuple[list[str], Any]) -> SimilarityIndex:
    """The corpus's SimilarityIndex from the batches' rows, in corpus order (on a worker)."""
    from jiegui.analyses.similarity import stacked_index as stack

    ids = [doc for block_ids, _ in blocks for doc in block_ids]
    return stack(ids, vectorizer, [rows for block_ids, rows in blocks if block_ids], ngrams=ngrams, stopwords=stopwords, max_terms=max_terms)


def transposed(index: SimilarityIndex) -> Any:
    return index.matrix.T.tocsr()


def similarity_index(client: Client, term_batches: Sequence[Future[Any]], documents: int, *, ngrams: int, stopwords: frozenset[str], max_terms: int | None) -> Future[Any]:
    """The future of the corpus's SimilarityIndex, built on the workers from the batches' term lists:
    document frequencies summed by `tree_reduce`, the vectorizer made from them (`fitted_vectorizer`),
    each batch's rows made where its terms are, the rows stacked on one worker. Nothing comes back."""
    from jiegui.analyses.similarity import fitted_vectorizer

    frequencies = tree_reduce(client, [client.submit(batch_frequencies, f, pure=False) for f in term_batches], summed)
    vectorizer = client.submit(fitted_vectorizer, frequencies, documents, pure=False)
    rows = [client.submit(batch_rows, f, vectorizer, max_terms, pure=False) for f in term_batches]
    return client.submit(stacked_index, vectorizer, ngrams, stopwords, max_terms, *rows, pure=False)


def pair_block(index: SimilarityIndex, columns: Any, starts: Sequence[int], rows: int, top: int, min_score: float) -> list[tuple[float, int, int, Pair]]:
    """The `top` best pairs of some all-pairs blocks (on a worker), with their sort key (score, i, j)."""
    from jiegui.analyses import similarity

    i, j, s = similarity.concatenated([similarity.block_candidates(index.matrix, columns, first, rows, top, min_score) for first in starts])
    return [(float(s[o]), int(i[o]), int(j[o]), similarity.pair_of(index, int(i[o]), int(j[o]), s[o])) for o in similarity.ranked_links(i, j, s, top)]


def link_block(index: SimilarityIndex, columns: Any, starts: Sequence[int], rows: int, max_links: int, threshold: float) -> tuple[Any, Any, Any]:
    """The duplicate links (i, j, score) of some all-pairs blocks (on a worker)."""
    from jiegui.analyses import similarity

    return similarity.concatenated([similarity.block_candidates(index.matrix, columns, first, rows, max_links, threshold) for first in starts])


def _blocks(client: Client, index: Future[Any], documents: int, block_cells: int, task: Callable[..., Any], *args: Any) -> list[Any]:
    """`task` of each all-pairs block (`similarity.block_starts`), one task per block, results in block order."""
    from jiegui.analyses.similarity import block_starts

    starts = block_starts(documents, block_cells)
    columns = client.submit(transposed, index, pure=False)
    futures = [client.submit(task, index, columns, [first], starts.step, *args, pure=False) for first in starts]
    return client.gather(futures)  # type: ignore[no-any-return]


def most_similar_pairs(client: Client, index: Future[Any], documents: int, *, top: int, min_score: float, block_cells: int | None = None) -> list[Pair]:
    """`similarity.most_similar_pairs` with the blocks on the workers: each sends back its `top` best
    pairs (the best of all are among them: the order is strict), the client keeps the `top` best. From
    LSH_MIN_DOCS documents the LSH candidates are found band by band (`lsh_candidates`), then scored and,
    if too few, completed by the top-n search in one task on a worker."""
    from jiegui.analyses import similarity

    similarity._check_top(top)
    similarity._check_score("min_score", min_score)
    if documents >= similarity.LSH_MIN_DOCS:
        candidates = lsh_candidates(client, index)
        return client.submit(similarity.most_similar_pairs, index, top=top, min_score=min_score, candidates=candidates, pure=False).result()
    found = [row for block in _blocks(client, index, documents, block_cells or similarity.BLOCK_CELLS, pair_block, top, min_score) for row in block]
    found.sort(key=lambda row: (-row[0], row[1], row[2]))
    return [pair for *_, pair in found[:top]]


def duplicate_groups(client: Client, index: Future[Any], ids: Sequence[str], *, threshold: float, max_links: int = 50, block_cells: int | None = None) -> list[DuplicateGroup]:
    """`similarity.duplicate_groups` with the blocks on the workers: each sends back its links, the client
    joins them into groups (one integer per document). From LSH_MIN_DOCS documents the LSH candidates
    are found band by band (`lsh_candidates`; the top-n search below LSH_MIN_SCORE is one task), and the
    groups made on a worker."""
    from jiegui.analyses import similarity

    similarity.check_threshold(threshold)
    if len(ids) >= similarity.LSH_MIN_DOCS:
        candidates = lsh_candidates(client, index) if threshold >= similarity.LSH_MIN_SCORE else None
        return client.submit(similarity.duplicate_groups, index, threshold=threshold, max_links=max_links, candidates=candidates, pure=False).result()
    links = _blocks(client, index, len(ids), block_cells or similarity.BLOCK_CELLS, link_block, max_links, threshold)
    return similarity.groups_of_links(ids, *similarity.concatenated(links))


LSH_BANDS_PER_TASK = 5


def band_pairs(index: SimilarityIndex, bands: range) -> tuple[Any, Any]:
    from jiegui.analyses.similarity import lsh_band_pairs

    return lsh_band_pairs(index.matrix, bands)


def candidates_of(index: SimilarityIndex, merged: tuple[Any, Any]) -> tuple[Any, Any]:
    from jiegui.analyses.similarity import lsh_candidates as candidates

    return candidates(index.matrix.shape[0], [merged])


def lsh_candidates(client: Client, index: Future[Any]) -> Future[Any]:
    """The future of the MinHash LSH candidate pairs of the index (`similarity.lsh_band_pairs`): the bands
    split between tasks (LSH_BANDS_PER_TASK each), their pairs and band counts merged by `tree_reduce`,
    the pairs agreeing in enough bands kept, all on the workers."""
    from jiegui.analyses.similarity import LSH_BANDS, merged_band_pairs

    parts = [client.submit(band_pairs, index, range(first, min(LSH_BANDS, first + LSH_BANDS_PER_TASK)), pure=False)
             for first in range(0, LSH_BANDS, LSH_BANDS_PER_TASK)]
    return client.submit(candidates_of, index, tree_reduce(client, parts, merged_band_pairs), pure=False)


def ranked_query(index: SimilarityIndex, text: str, settings: SegmenterSettings, **options: Any) -> list[Pair]:
    """`similarity.rank_text` on a worker, the query segmented there with the run's settings."""
    from jiegui.analyses.similarity import rank_text

    return rank_text(index, text, segmenter=_segmenter(settings), **options)
