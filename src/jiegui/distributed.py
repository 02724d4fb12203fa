"""The corpus commands on worker processes: a Dask cluster (`--scheduler ADDRESS`, `jiegui[dask]`) or a
local pool (`--jobs N`). Same output as one process, and only results travel back.

Data flow (docs/distributed.md), the same on both backends:

1. The client lists the files (a shared path, or an fsspec URL) and submits one *load* task per batch of
   files. A worker reads, decodes, cleans, splits and segments them (`jiegui.corpus.load_source`, with the
   cache in the client's cache directory when the worker can write it). Only each document's summary and
   edges (its first and last paragraphs, a few hundred characters) travel back: the corpus's furniture
   (`jiegui.text.boilerplate`) is a property of the whole corpus.
2. The client finds the furniture and sends each batch its documents' furniture; an *analyse* task marks
   the documents (`apply_furniture`, as `load_corpus` does), prepares them with the run's settings
   (`jiegui.analysed.analyse`) and runs a per-document function on them (facts, keyed entity mentions,
   similarity terms), returning only its rows. The client reads the results batch by batch in corpus order.

Between the steps a Dask worker keeps its batches' documents in memory (Dask spills them to disk under
memory pressure) and releases each once analysed. A local pool's processes keep nothing (a task may go to
any of them): the analyse task reads its files' documents back from the cache entries the load task read
or wrote, under --no-cache from entries written to a folder of the run's own, removed at its end.

Dask retries the tasks of a worker that dies (and recomputes the documents it held); bad files come back
as values and are reported like local ones, in corpus order. dask is imported only here, and only when a
command is given `--scheduler`.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol

from jiegui.analysed import analyse
from jiegui.collector import collector_paused
from jiegui.corpus import (
    STDIN,
    TEXT_SUFFIXES,
    Source,
    document_view,
    find_sources,
    load_source,
    source_key,
    unique_ids,
    with_tuples,
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
    with_named_metadata,
)
from jiegui.text.decode import decode_bytes, printable_path
from jiegui.text.segment import Segmenter, SegmenterSettings

if TYPE_CHECKING:
    from distributed import Client, Future

    from jiegui.analyses.similarity import SimilarityIndex

LOCAL = "local"
# At most this many files per task, and about this many tasks per worker: few enough tasks that the
# scheduler's overhead (~1 ms a task) stays small, enough that a lost worker costs little and the
# progress bar moves. A local pool's tasks cost less to send, so it makes more of them: the last one
# to finish, while the other workers idle, is smaller.
MAX_BATCH = 64
TASKS_PER_WORKER = 8
POOL_TASKS_PER_WORKER = 32

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
    """A load task's result, kept on the worker: per file its documents or the error, the files' cache
    keys (None for a bad file) and a cache note."""

    files: list[list[Document] | InputError]
    keys: list[str | None]
    cache_problem: str | None


def load_batch(sources: Sequence[Source], options: ReadOptions) -> _Loaded:
    """Read and process files (on a worker): `load_source`, as `--jobs` runs it in each process."""
    problem = None if options.cache_dir is None else _cache_usable(options.cache_dir)
    use_cache = options.cache_dir is not None and problem is None
    segmenter = _segmenter(options.settings)
    files: list[list[Document] | InputError] = []
    keys: list[str | None] = []
    for source in sources:
        try:
            data = _read(source)
            key = source_key(source, data, settings=options.settings, encoding=options.encoding)
            files.append(load_source(source, segmenter=segmenter, encoding=options.encoding, use_cache=use_cache, data=data))
            keys.append(key)
        except InputError as exc:
            files.append(exc)
            keys.append(None)
    return _Loaded(files, keys, problem)


Summary = tuple[DocumentSummary, DocumentEdges]


def summarise(document: Document) -> Summary:
    """A document's row in `jiegui corpus` and its edges (what its furniture is looked for in)."""
    d = document
    return (DocumentSummary(d.id, d.title, d.source, d.date, d.chars, len(d.sentences), d.duplicates_removed, printable_path(d.path)),
            document_edges(d))


def summarise_batch(loaded: _Loaded) -> tuple[list[list[Summary] | InputError], str | None]:
    """What the client needs of a loaded batch (on the worker that holds it): summaries and edges."""
    summaries = [result if isinstance(result, InputError) else list(map(summarise, result)) for result in loaded.files]
    return summaries, loaded.cache_problem


def analyse_batch(loaded: _Loaded, furniture: Sequence[Sequence[Any]], function: Callable[[Any], Any] | PerBatch, doc: str | None,
                  settings: SegmenterSettings | None) -> list[Any]:
    """`function` of each document of a loaded batch (on a worker), marked with its furniture as
    `load_corpus` marks it and prepared with the run's `settings` as `analyse_corpus` prepares it (None:
    the plain Document); `furniture` has one entry per document of the files that loaded."""
    documents = [d for result in loaded.files if not isinstance(result, InputError) for d in result]
    if len(documents) != len(furniture):
        raise InputError("the corpus's files changed while they were read; run the command again")
    prepared = (_prepared(apply_furniture(d, units), settings) for d, units in zip(documents, furniture) if doc is None or d.id == doc)
    if isinstance(function, PerBatch):
        return [function.function(list(prepared))]
    return list(map(function, prepared))


@dataclass(frozen=True, slots=True)
class PerBatch:
    """A function of a batch's documents at once (a list) rather than of each: given to
    `DistributedCorpus.map`, it yields one result per batch, such as the batch's token columns, which
    travel as a few arrays where each document's tokens would be many objects."""

    function: Callable[[list[Any]], Any]


def _prepared(document: Document, settings: SegmenterSettings | None) -> Any:
    return document if settings is None else analyse(with_tuples(document), settings)


def identity(document: Document) -> Document:
    return document


def segmented_document(document: Document) -> SegmentedDocument:
    """A document's row of `jiegui segment` (made on the worker: only the row travels)."""
    return SegmentedDocument(document.id, [TokenRecord(t.text, t.pos, t.start, t.end) for t in document.tokens])


def shown_document(document: Document, *, raw: bool, encoding: str | None) -> DocumentView:
    """`jiegui show`'s view of a document (made on the worker); `raw`: its file's text, decoded, uncleaned."""
    return document_view(document, raw_file_text(document, encoding) if raw else document.text)


def raw_file_text(document: Document, encoding: str | None) -> str:
    """The decoded, uncleaned text of a document's file (`corpus.raw_text`, read as the worker reads the
    corpus: a path or an fsspec URL)."""
    return decode_bytes(_read(Source(document.path, document.id)), name=printable_path(document.path), encoding=encoding)[0]


def file_cleaning(documents: Sequence[Document], encoding: str | None) -> tuple[str, Any]:
    """A file's path and its cleaning figures (`report.file_cleaning`), on the worker that loaded it."""
    from jiegui.output.report import file_cleaning as figures

    return printable_path(documents[0].path), figures(raw_file_text(documents[0], encoding))


def files_batch(loaded: _Loaded, function: Callable[..., Any], *args: Any) -> list[Any]:
    """`function` of each file's documents (those that loaded and hold documents), on a worker."""
    return [function(documents, *args) for documents in loaded.files if not isinstance(documents, InputError) and documents]


# ----------------------------------------------------------------------------- in a local pool's processes
def pool_load(sources: Sequence[Source], options: ReadOptions, scratch: str | None) -> tuple[list[list[Summary] | InputError], str | None, list[str | None]]:
    """A local pool's load task: `load_batch` and `summarise_batch`, and the files' cache keys, by which
    the analyse task finds their documents again. `scratch`: a folder of the run's own where the
    documents are stored when they were not read from or written to the cache (--no-cache)."""
    from jiegui.corpus import in_worker

    def load() -> tuple[list[list[Summary] | InputError], str | None, list[str | None]]:
        loaded = load_batch(sources, options)
        if scratch is not None and (options.cache_dir is None or loaded.cache_problem is not None):
            from jiegui import cache

            for documents, key in zip(loaded.files, loaded.keys):
                if key is not None and not isinstance(documents, InputError):
                    cache.write(key, documents, directory=Path(scratch))
        summaries, problem = summarise_batch(loaded)
        return summaries, problem, loaded.keys

    return in_worker(load)


def pool_analyse(sources: Sequence[Source], keys: Sequence[str | None], options: ReadOptions, scratch: str | None,
                 furniture: Sequence[Sequence[Any]], function: Callable[[Any], Any] | PerBatch, doc: str | None,
                 settings: SegmenterSettings | None) -> list[Any]:
    """A local pool's analyse task: the batch's documents read back from the entries the load task read
    or wrote (made again from the files when an entry is missing), then `analyse_batch`."""
    from jiegui.corpus import in_worker

    return in_worker(lambda: analyse_batch(_reload(sources, keys, options, scratch), furniture, function, doc, settings))


def _reload(sources: Sequence[Source], keys: Sequence[str | None], options: ReadOptions, scratch: str | None) -> _Loaded:
    from jiegui import cache

    use_cache = options.cache_dir is not None and _cache_usable(options.cache_dir) is None
    files: list[list[Document] | InputError] = []
    for source, key in zip(sources, keys):
        if key is None:  # a bad file: reported by the load task
            files.append(InputError(""))
            continue
        documents = None
        if use_cache:
            documents = cache.read(key, source.path, source.doc_id)
        if documents is None and scratch is not None:
            documents = cache.read(key, source.path, source.doc_id, directory=Path(scratch))
        if documents is None:  # not stored (the cache could not hold it): made again, from the same bytes
            data = _read(source)
            if source_key(source, data, settings=options.settings, encoding=options.encoding) != key:
                raise InputError(f"{printable_path(source.path)} changed while it was read; run the command again")
            documents = load_source(source, segmenter=_segmenter(options.settings), encoding=options.encoding, use_cache=False, data=data)
        files.append(documents)
    return _Loaded(files, list(keys), None)


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


Results = tuple[list[list[Summary] | InputError], str | None]


class Workers(Protocol):
    """Where the tasks run: a Dask cluster (`DaskWorkers`) or a local pool (`PoolWorkers`). Both give
    each step's results batch by batch, in the batches' order."""

    def count(self) -> int: ...
    def tasks_per_worker(self) -> int: ...
    def load(self, batches: list[list[Source]], options: ReadOptions, *, keep: bool) -> Iterator[Results]: ...
    def analyse(self, furniture: list[list[Any] | None], function: Callable[[Any], Any] | PerBatch, doc: str | None,
                settings: SegmenterSettings | None) -> Iterator[list[Any]]: ...
        # furniture: per batch, its documents' furniture, or None for a batch without the document `doc`
    def close(self) -> None: ...


class DaskWorkers:
    """The tasks on a Dask cluster: the loaded batches stay in the workers' memory between the steps."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.loaded: list[Any] = []
        self.pending: list[Any] = []  # every future not yet read: cancelled by close()

    def count(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def tasks_per_worker(self) -> int:
        return TASKS_PER_WORKER

    def load(self, batches: list[list[Source]], options: ReadOptions, *, keep: bool) -> Iterator[Results]:
        self.loaded = [self.client.submit(load_batch, batch, options, pure=False) for batch in batches]
        summarised = [self.client.submit(summarise_batch, future, pure=False) for future in self.loaded]
        self.pending = self.loaded + summarised
        if not keep:
            self.loaded = []
        for future in summarised:
            result: Results = future.result()
            future.release()
            yield result
        self.pending = list(self.loaded)

    def analyse(self, furniture: list[list[Any] | None], function: Callable[[Any], Any] | PerBatch, doc: str | None,
                settings: SegmenterSettings | None) -> Iterator[list[Any]]:
        analysed = self.submit(furniture, function, doc, settings)
        for loaded, future in zip(self.loaded, analysed):
            rows: list[Any] = [] if future is None else future.result()
            if future is not None:
                future.release()
            loaded.release()  # the batch's documents are not needed any more
            yield rows
        self.pending = self.loaded = []

    def submit(self, furniture: list[list[Any] | None], function: Callable[[Any], Any] | PerBatch, doc: str | None,
               settings: SegmenterSettings | None) -> list[Any]:
        """The analyse step's futures, one per batch (None for a batch without `doc`), not read: their
        results stay on the workers for a further step there."""
        analysed = [None if units is None else self.client.submit(analyse_batch, future, units, function, doc, settings, pure=False)
                    for future, units in zip(self.loaded, furniture)]
        self.pending = self.pending + [future for future in analysed if future is not None]
        return analysed

    def submit_files(self, function: Callable[..., Any], *args: Any) -> list[Any]:
        """One future per batch of `files_batch`: `function` of each of its files' documents (as loaded,
        without the furniture), left on the workers like `submit`'s."""
        futures = [self.client.submit(files_batch, future, function, *args, pure=False) for future in self.loaded]
        self.pending = self.pending + futures
        return futures

    def wait(self, batches: Sequence[Sequence[Any]]) -> Iterator[None]:
        """Wait for the futures of each batch (those `submit` and `submit_files` returned) in corpus order,
        one step per batch; then let the workers drop the documents (Dask keeps their lineage: a lost result
        is recomputed from the files). The futures are the caller's from then on: the tasks it builds on
        them end with the client, as a cancel (which also cancels every dependent task) would trip over
        intermediate tasks no future holds any more."""
        from distributed import wait

        for futures in batches:
            if futures:
                wait(futures)
            yield None
        for loaded in self.loaded:
            loaded.release()
        self.pending = self.loaded = []

    def close(self) -> None:
        """Cancel what is still pending or running (Ctrl-C, an error): the cluster drops it; then leave it."""
        if self.pending:
            self.client.cancel(self.pending, force=True)
        self.pending = self.loaded = []
        disconnect(self.client)


class PoolWorkers:
    """The tasks on a local pool of `jobs` processes (`--jobs`), which keep nothing between the steps
    (see the module's docstring)."""

    def __init__(self, jobs: int) -> None:
        from jiegui.corpus import start_workers

        self.jobs = jobs
        self.pool = start_workers(jobs)
        self.batches: list[list[Source]] = []
        self.keys: list[list[str | None]] = []
        self.options: ReadOptions | None = None
        self.scratch: str | None = None
        self.finished = True

    def count(self) -> int:
        return self.jobs

    def tasks_per_worker(self) -> int:
        return POOL_TASKS_PER_WORKER

    def load(self, batches: list[list[Source]], options: ReadOptions, *, keep: bool) -> Iterator[Results]:
        import tempfile

        self.batches, self.options, self.keys = batches, options, []
        if keep:
            self.scratch = tempfile.mkdtemp(prefix="jiegui-run-")
        self.finished = False
        futures = [self.pool.submit(pool_load, batch, options, self.scratch) for batch in batches]
        for future in futures:
            summaries, problem, keys = future.result()
            self.keys.append(keys)
            yield summaries, problem
        self.finished = True

    def analyse(self, furniture: list[list[Any] | None], function: Callable[[Any], Any] | PerBatch, doc: str | None,
                settings: SegmenterSettings | None) -> Iterator[list[Any]]:
        assert self.options is not None, "load comes first"
        self.finished = False
        futures = [None if units is None else self.pool.submit(pool_analyse, batch, keys, self.options, self.scratch, units, function, doc, settings)
                   for batch, keys, units in zip(self.batches, self.keys, furniture)]
        for future in futures:
            yield [] if future is None else future.result()
        self.finished = True

    def close(self) -> None:
        """Stop the workers (at once when a step did not finish) and remove the run's folder."""
        import shutil

        from jiegui.corpus import stop_workers

        stop_workers(self.pool, finished=self.finished)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None


# ----------------------------------------------------------------------------- a local pool forked from the loaded corpus
FORKED_TASKS_PER_WORKER = 4
_inherited: Sequence[Document] = ()  # the documents a forked pool's workers analyse (see `forked_map`)


def forked_map(documents: Sequence[Document], function: Callable[[Any], Any], *, settings: SegmenterSettings, jobs: int) -> Iterator[Any]:
    """`function` of each document prepared as `analyse_corpus` prepares it (`analyse` with the run's
    settings), in order, on `jobs` worker processes forked from this one once it holds the documents:
    the workers inherit the documents, the modules and whatever the analysis loaded for the first
    document (done here: the gazetteer and other tables, then loaded once rather than in each worker);
    a task is a range of documents, and only its results travel back. Ctrl-C and errors: as `PoolWorkers`."""
    global _inherited
    from jiegui.corpus import start_workers, stop_workers

    if not documents:
        return
    yield function(analyse(documents[0], settings))
    ranges = balanced_ranges([len(d.text) for d in documents[1:]], jobs * FORKED_TASKS_PER_WORKER)
    if not ranges:
        return
    _inherited = documents[1:]
    pool = start_workers(jobs, fork=True)
    finished = False
    try:
        futures = [pool.submit(_forked_task, start, stop, function, settings) for start, stop in ranges]
        for future in futures:
            yield from future.result()
        finished = True
    finally:
        _inherited = ()
        stop_workers(pool, finished=finished)


def _forked_task(start: int, stop: int, function: Callable[[Any], Any], settings: SegmenterSettings) -> list[Any]:
    from jiegui.corpus import in_worker

    return in_worker(lambda: [function(analyse(document, settings)) for document in _inherited[start:stop]])


def balanced_ranges(sizes: Sequence[int], parts: int) -> list[tuple[int, int]]:
    """At most `parts` consecutive, non-empty ranges of the items, of about equal total size each."""
    total = sum(sizes)
    ranges: list[tuple[int, int]] = []
    start = done = 0
    for index, size in enumerate(sizes):
        done += size
        if done * parts >= total * (len(ranges) + 1) or index == len(sizes) - 1:
            ranges.append((start, index + 1))
            start = index + 1
    return ranges


class DistributedCorpus:
    """One corpus on worker processes: loaded once (step 1), then analysed by as many `map` calls as
    wanted. The client's side of both backends: batches, bad files, the cache, furniture, corpus order."""

    def __init__(
        self,
        workers: Workers,
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
        **_: Any,  # jobs: the local pool's size, given to PoolWorkers
    ) -> None:
        self.workers = workers
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
        self.settings = SegmenterSettings(tuple(map(str, userdicts)), tuple(map(str, stopwords)))
        Segmenter(self.settings)  # a missing dictionary is the client's error, before any task runs
        cache_dir = None
        if use_cache:
            from jiegui import cache
            from jiegui.text.segment import cache_dir as find_cache_dir

            if (reason := cache.unavailable()) is not None:
                self.warn(f"{reason}; running without the cache")
            else:
                cache_dir = str(find_cache_dir().resolve())
        self.options = ReadOptions(self.settings, encoding, cache_dir)
        size = max(1, min(MAX_BATCH, len(self.sources) // (workers.count() * workers.tasks_per_worker())))
        self.batches = [self.sources[i:i + size] for i in range(0, len(self.sources), size)]
        self.loaded = False
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
        cache_warned = False
        total = len(self.sources)
        # strict: zip then runs the backend's generator to its end, which tells it the step finished (a
        # pool left mid-step is stopped at once, its workers terminated)
        for batch, (results, cache_problem) in zip(self.batches, self.workers.load(self.batches, self.options, keep=keep), strict=True):
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
        self.loaded = keep
        return self.summaries

    def map(self, function: Callable[[Any], Any] | PerBatch, *, doc: str | None = None, prepared: bool = True) -> Iterator[Any]:
        """Step 2: `function` of every document (or of document `doc` only), marked with the corpus's
        furniture, prepared for the analyses (an AnalysedDocument with the run's settings; `prepared`
        False: the Document), computed on the workers and yielded in corpus order. `function` must be
        importable by the workers (a module's function or a functools.partial of one); a `PerBatch`
        function yields one result per batch (of the batch's documents), in corpus order."""
        results = self.workers.analyse(self._furniture(doc), function, doc, self.settings if prepared else None)
        for batch, rows in zip(self.batches, results, strict=True):
            yield from rows
            self._tick(len(batch))
        self.loaded = False

    def submit(self, function: Callable[[Any], Any] | PerBatch, *, doc: str | None = None, prepared: bool = True) -> list[Any]:
        """Step 2 without reading, on a Dask cluster: one future per batch, in corpus order, of the list of
        `function` of its documents, left on the workers for a further step there (`similar`'s
        reductions); `wait` follows them with the progress bar."""
        return self._dask().submit(self._furniture(doc), function, doc, self.settings if prepared else None)

    def submit_files(self, function: Callable[..., Any], *args: Any) -> list[Any]:
        """Beside `submit`, on a Dask cluster: one future per batch of the list of `function(documents,
        *args)` of each of its files that holds documents (as loaded: a file's own figures, such as the
        report's cleaning figures, which re-read it)."""
        if not self.loaded:
            self.load()
        return self._dask().submit_files(function, *args)

    def wait(self, *steps: Sequence[Any]) -> None:
        """Wait for the futures of one or more `submit` (or `submit_files`) calls made on this load, batch
        by batch in corpus order, moving the progress bar; the workers then drop the documents."""
        per_batch = [[future for future in futures if future is not None] for futures in zip(*steps, strict=True)]
        for batch, _ in zip(self.batches, self._dask().wait(per_batch), strict=True):
            self._tick(len(batch))
        self.loaded = False

    @property
    def client(self) -> Client:
        client: Client = self._dask().client
        return client

    def _dask(self) -> DaskWorkers:
        if not isinstance(self.workers, DaskWorkers):
            raise TypeError("only a Dask cluster keeps the results on its workers")
        return self.workers

    def _furniture(self, doc: str | None) -> list[list[Any] | None]:
        """Per batch, its documents' furniture (None for a batch without the document `doc`)."""
        if not self.loaded:
            self.load()
        if doc is not None and doc not in {s.id for s, _ in self.summaries}:
            raise UnknownDocumentError(doc, (s.id for s, _ in self.summaries))
        boilerplate = find_boilerplate(edges for _, edges in self.summaries)
        furniture: list[list[Any] | None] = []
        at = 0
        for count in self.counts:
            batch = self.summaries[at:at + count]
            at += count
            wanted = doc is None or any(summary.id == doc for summary, _ in batch)
            furniture.append([boilerplate.furniture(edges) for _, edges in batch] if wanted else None)
        return furniture


# ----------------------------------------------------------------------------- similar: reductions and blocks on the cluster
# The functions below take a Client and futures (what `DistributedCorpus.submit` returns) and leave the
# data on the workers: the document frequencies are summed by a tree of pairwise merges, the TF-IDF rows
# are made per batch and stacked on a worker, and each all-pairs block runs as a task that sends back only
# its best pairs or its links. Results are those of `jiegui.analyses.similarity` on one machine, bit for bit.
def tree_reduce(client: Client, futures: Sequence[Future[Any]], combine: Callable[[Any, Any], Any]) -> Future[Any]:
    """One future of `combine` applied pairwise, level by level (a binary tree of log2(n) levels, as in
    Dask's futures documentation): every merge runs on a worker, none waits for all the parts, and only
    the final result exists once, wherever it was made."""
    future: Future[Any] = pairwise(futures, lambda first, second: client.submit(combine, first, second, pure=False))
    return future


def pairwise(parts: Sequence[Any], combine: Callable[[Any, Any], Any]) -> Any:
    """`combine` applied pairwise, level by level, in order: ((0 1) (2 3)) (4 5). Each part is copied
    log2(n) times, where a left fold would copy the first n times."""
    level = list(parts)
    if not level:
        raise ValueError("nothing to reduce")
    while len(level) > 1:
        level = [combine(level[k], level[k + 1]) for k in range(0, len(level) - 1, 2)] + level[len(level) - len(level) % 2:]
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


def most_similar_pairs(client: Client, index: Future[Any], documents: int, *, top: int, min_score: float, block_cells: int | None = None,
                       part_rows: int | None = None) -> list[Pair]:
    """`similarity.most_similar_pairs` with the blocks on the workers: each sends back its `top` best
    pairs (the best of all are among them: the order is strict), the client keeps the `top` best. From
    LSH_MIN_DOCS documents the LSH search runs in parts (`lsh_parts`), each sending back its number of
    pairs ≥ the floor and its `top` best; if there are fewer than `top` in all, one task on a worker
    completes them with the top-n search, as a local run does."""
    from jiegui.analyses import similarity

    similarity._check_top(top)
    similarity._check_score("min_score", min_score)
    if documents >= similarity.LSH_MIN_DOCS:
        floor = max(min_score, similarity.LSH_MIN_SCORE)
        parts = client.gather([client.submit(part_pairs, index, part, documents, floor, top, pure=False)
                               for part in lsh_parts(client, index, documents, part_rows or LSH_PART_ROWS)])
        found = similarity.concatenated([links for _, links in parts])
        complete = sum(count for count, _ in parts) < top and min_score < similarity.LSH_MIN_SCORE
        return client.submit(ranked_pairs, index, found, top, min_score if complete else None, pure=False).result()
    found = [row for block in _blocks(client, index, documents, block_cells or similarity.BLOCK_CELLS, pair_block, top, min_score) for row in block]
    found.sort(key=lambda row: (-row[0], row[1], row[2]))
    return [pair for *_, pair in found[:top]]


def duplicate_groups(client: Client, index: Future[Any], ids: Sequence[str], *, threshold: float, max_links: int = 50,
                     block_cells: int | None = None, part_rows: int | None = None) -> list[DuplicateGroup]:
    """`similarity.duplicate_groups` with the blocks on the workers: each sends back its links, the client
    joins them into groups (one integer per document). From LSH_MIN_DOCS documents, at a threshold ≥
    LSH_MIN_SCORE the LSH search runs in parts (`lsh_parts`), each sending back its rows' best links;
    below it the top-n search is one task on a worker, which makes the groups."""
    from jiegui.analyses import similarity

    similarity.check_threshold(threshold)
    if len(ids) >= similarity.LSH_MIN_DOCS and threshold < similarity.LSH_MIN_SCORE:
        return client.submit(similarity.duplicate_groups, index, threshold=threshold, max_links=max_links, pure=False).result()
    if len(ids) >= similarity.LSH_MIN_DOCS:
        parts = [client.submit(part_links, index, part, len(ids), threshold, max_links, pure=False)
                 for part in lsh_parts(client, index, len(ids), part_rows or LSH_PART_ROWS)]
        links = client.gather(parts)
    else:
        links = _blocks(client, index, len(ids), block_cells or similarity.BLOCK_CELLS, link_block, max_links, threshold)
    return similarity.groups_of_links(ids, *similarity.concatenated(links))


# The MinHash LSH search on the cluster. Its candidate pairs are what grows: a corpus with many
# near-copies makes large buckets, whose pairs outnumber the documents by far (hundreds of millions
# of band pairs at 200 000 documents). So no task holds them all: each band task splits its pairs by
# their first document into parts of LSH_PART_ROWS rows; each part's pieces are merged (band counts
# added) by one task and scored exactly where the part is; only each part's best pairs or links come
# back. A band task holds its bands' pairs, a merge or a scoring task one part's.
LSH_BANDS_PER_TASK = 5
LSH_PART_ROWS = 10_000


def band_pairs(index: SimilarityIndex, bands: range, bounds: Sequence[int]) -> list[tuple[Any, Any]]:
    """The pairs agreeing in some LSH bands and their band counts (`similarity.lsh_band_pairs`), one piece
    per part: the pairs whose first document is in [bounds[k], bounds[k + 1]) (copies: a piece kept by
    a later task does not keep the whole array alive)."""
    import numpy as np

    from jiegui.analyses.similarity import lsh_band_pairs

    pairs, counts = lsh_band_pairs(index.matrix, bands)
    cuts = np.searchsorted(pairs, np.asarray(bounds, dtype=np.int64) * index.matrix.shape[0]).tolist()
    return [(pairs[a:b].copy(), counts[a:b].copy()) for a, b in zip(cuts, cuts[1:])]


def lsh_parts(client: Client, index: Future[Any], documents: int, part_rows: int) -> list[Future[Any]]:
    """One future per part of `part_rows` rows, in row order: the pairs (keys i·N + j, sorted) whose first
    document i is in the part, agreeing in some LSH band, with their band counts (LSH_BANDS_PER_TASK
    bands per task, each task's pieces of a part merged by one task, `merged_pieces`). Their
    candidates, in part order, are `similarity.lsh_candidates` of all bands at once."""
    import operator

    from jiegui.analyses.similarity import LSH_BANDS

    bounds = [*range(0, documents, part_rows), documents]
    bands = [client.submit(band_pairs, index, range(first, min(LSH_BANDS, first + LSH_BANDS_PER_TASK)), bounds, pure=False)
             for first in range(0, LSH_BANDS, LSH_BANDS_PER_TASK)]
    return [client.submit(merged_pieces, *[client.submit(operator.getitem, band, k, pure=False) for band in bands], pure=False)
            for k in range(len(bounds) - 1)]


def merged_pieces(*pieces: tuple[Any, Any]) -> tuple[Any, Any]:
    """A part's pieces of every band task as one: each pair once, its band counts added. One
    `similarity.merged_band_pairs` over them all: a single sort, where a tree of pairwise merges sorts
    each pair once per level (60 % more CPU at 50 000 documents) and would hold as much at its root."""
    import numpy as np

    from jiegui.analyses.similarity import merged_band_pairs

    pairs, counts = np.concatenate([p for p, _ in pieces]), np.concatenate([c for _, c in pieces])
    return merged_band_pairs((pairs, counts), (pairs[:0], counts[:0]))


def _part_links(index: SimilarityIndex, part: tuple[Any, Any], documents: int, floor: float) -> tuple[Any, Any, Any]:
    """A part's candidates (agreeing in LSH_MIN_BANDS bands) scoring ≥ floor, exactly: (i, j, score)."""
    from jiegui.analyses.similarity import lsh_candidates, lsh_links

    return lsh_links(index.matrix, lsh_candidates(documents, [part]), floor)


def part_pairs(index: SimilarityIndex, part: tuple[Any, Any], documents: int, floor: float, top: int) -> tuple[int, tuple[Any, Any, Any]]:
    """A part's number of pairs scoring ≥ floor and its `top` best (i, j, score), on a worker."""
    from jiegui.analyses.similarity import ranked_links

    i, j, s = _part_links(index, part, documents, floor)
    best = ranked_links(i, j, s, top)
    return int(i.size), (i[best], j[best], s[best])


def part_links(index: SimilarityIndex, part: tuple[Any, Any], documents: int, threshold: float, max_links: int) -> tuple[Any, Any, Any]:
    """A part's duplicate links: each of its rows' `max_links` best scoring ≥ threshold (the rows are
    the part's own, so the parts' links in part order are the local run's)."""
    from jiegui.analyses.similarity import _best_per_row

    return _best_per_row(*_part_links(index, part, documents, threshold), max_links)


def ranked_pairs(index: SimilarityIndex, found: tuple[Any, Any, Any], top: int, complete: float | None) -> list[Pair]:
    """The `top` best of the pairs found (i, j, score), as printed rows (on the worker holding the index);
    `complete`: the min_score of a search that found fewer than `top` pairs ≥ LSH_MIN_SCORE, completed
    with the top-n search's pairs, as `similarity.most_similar_pairs` does."""
    from jiegui.analyses import similarity

    if complete is not None:
        found = similarity._union(found, similarity._topn_links(index.matrix, complete))
    i, j, s = found
    return [similarity.pair_of(index, int(i[o]), int(j[o]), s[o]) for o in similarity.ranked_links(i, j, s, top)]


def ranked_query(index: SimilarityIndex, text: str, settings: SegmenterSettings, **options: Any) -> list[Pair]:
    """`similarity.rank_text` on a worker, the query segmented there with the run's settings."""
    from jiegui.analyses.similarity import rank_text

    return rank_text(index, text, segmenter=_segmenter(settings), **options)


# ----------------------------------------------------------------------------- keywords and phrases: per-batch counts on the cluster
# The batches' documents are prepared for the ranking where they were loaded (`keywords.ranked_pair`) and
# stay there; each batch's token columns are made there and joined by `tree_reduce` in corpus order (the
# columns one process makes of the whole corpus); the phrases are found on the worker that holds them;
# each batch's terms are counted where its documents are, with those phrases, and joined the same way.
# (`keyword_parts`). The corpus ranking then runs in a task from each term's score and rounds of the
# batches' excerpts (`ranking_scores`, `excerpt_ranking`); each document's ranking runs where its batch is, the
# corpus's answers asked of every batch (`document_ranking`). `keywords` runs one of them, `report` both
# from the same parts. `jiegui phrases` is the first half
# over each document's tokens as written (`boilerplate.content_tokens`): only the phrase rows come back.
def joined_columns(first: Any, second: Any) -> Any:
    """Two consecutive parts' `TokenColumns` as one: `TokenColumns.of` over both parts' texts gives the
    same (words and tags numbered in first-seen order over both)."""
    import numpy as np

    from jiegui.analyses.columns import TokenColumns
    from jiegui.analyses.keywords import joined_words

    words, word_ids = joined_words(first.words, second.words)
    tags, tag_ids = joined_words(first.tags, second.tags)
    return TokenColumns(
        words=words, tags=tags,
        word=np.concatenate((first.word, word_ids[second.word] if len(second) else second.word)),
        tag=np.concatenate((first.tag, tag_ids[second.tag] if len(second) else second.tag)),
        start=np.concatenate((first.start, second.start)), end=np.concatenate((first.end, second.end)),
        bounds=np.concatenate((first.bounds, second.bounds[1:] + first.bounds[-1])),
    )


def corpus_phrases(columns: Any, stopwords: frozenset[str], **options: Any) -> Any:
    """The corpus's phrases (`phrases.discover_phrases_in`, `options`: its thresholds), found on the worker
    holding the columns."""
    from jiegui.analyses.phrases import discover_phrases_in

    return discover_phrases_in(columns, stopwords=stopwords, **options)


def corpus_columns(corpus: DistributedCorpus, parts: Sequence[Future[Any]], columns_of: Callable[[Any], Any]) -> tuple[list[Future[Any]], list[Future[Any]], Future[Any]]:
    """The batches of `parts` (`corpus.submit`'s futures) that hold documents, each one's token columns
    (`columns_of` of it, made where it is) and the corpus's columns (`joined_columns` by `tree_reduce`)."""
    client = corpus.client
    batches = [future for future, count in zip(parts, corpus.counts, strict=True) if count]
    columns = [client.submit(columns_of, future, pure=False) for future in batches]
    return batches, columns, tree_reduce(client, columns, joined_columns)


def cluster_phrases(corpus: DistributedCorpus, tokens: Sequence[Future[Any]], *, stopwords: frozenset[str], **options: Any) -> list[Any]:
    """The phrase rows of `discover_phrases` (`options`: its thresholds) from `tokens`, the futures of
    `corpus.submit(content_tokens, prepared=False)`: each batch's columns joined on the workers, the
    phrases found where the joined columns are. Only the rows come back."""
    from jiegui.analyses.columns import TokenColumns

    _, _, whole = corpus_columns(corpus, tokens, TokenColumns.of)
    rows: list[Any] = corpus.client.submit(corpus_phrases, whole, stopwords, **options, pure=False).result()
    return rows


def batch_content_columns(documents: list[Document]) -> Any:
    """A batch's `TokenColumns` of its documents' tokens outside their furniture (`content_tokens`)."""
    from jiegui.analyses.columns import TokenColumns
    from jiegui.text.boilerplate import content_tokens

    return TokenColumns.of(map(content_tokens, documents))


def pool_phrases(corpus: DistributedCorpus, *, stopwords: frozenset[str], **options: Any) -> list[Any]:
    """The phrase rows of `discover_phrases` (`options`: its thresholds) on a local pool (--jobs N): each
    batch's content columns made in the pool (`batch_content_columns`), joined here in corpus order
    (`pairwise` of `joined_columns`), the phrases found here. Only the columns travel, not the documents."""
    parts = list(corpus.map(PerBatch(batch_content_columns), prepared=False))  # one per batch: corpus.counts
    return corpus_phrases(pairwise([part for part, count in zip(parts, corpus.counts, strict=True) if count], joined_columns), stopwords, **options)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class KeywordParts:
    """What both keyword rankings start from, on the workers: the batches holding documents (futures of
    `corpus.submit(keywords.ranked_pair)`), each one's token columns and terms, the corpus's columns
    (joined), its phrases and its terms (joined, with the number of documents)."""

    batches: list[Future[Any]]
    columns: list[Future[Any]]
    whole: Future[Any]
    phrases: Future[Any]
    terms: list[Future[Any]]
    counted: Future[Any]


def keyword_parts(corpus: DistributedCorpus, pairs: Sequence[Future[Any]], *, stopwords: frozenset[str], pos: frozenset[str] | None) -> KeywordParts:
    """The `KeywordParts` of `pairs`, made on the cluster as above (submitted, not waited for)."""
    from jiegui.analyses import keywords

    client = corpus.client
    batches, columns, whole = corpus_columns(corpus, pairs, keywords.batch_columns)
    phrases = client.submit(corpus_phrases, whole, stopwords, pure=False)
    terms = [client.submit(keywords.batch_terms, future, part, phrases, stopwords, pos, pure=False) for future, part in zip(batches, columns)]
    return KeywordParts(batches, columns, whole, phrases, terms, tree_reduce(client, terms, keywords.joined_terms))


def cluster_keywords(corpus: DistributedCorpus, *, stopwords: frozenset[str], pos: frozenset[str] | None,
                     method: Any = None, top_n: int | None = 20, by_doc: bool = False, doc_ids: Sequence[str] | None = None, **_: Any) -> list[Any]:
    """The keyword rows of the corpus (the options of `keywords.corpus_keywords` / `document_keywords`),
    made on the cluster as above; `doc_ids` naming no document is the local run's error."""
    from jiegui.analyses import keywords

    pairs = corpus.submit(keywords.ranked_pair)
    corpus.wait(pairs)
    ids = [summary.id for summary, _ in corpus.summaries]
    for doc_id in doc_ids or ():
        if doc_id not in ids:
            raise UnknownDocumentError(doc_id, ids)
    method = keywords.Method.tfidf if method is None else method
    keywords.check_top_n(top_n)
    parts = keyword_parts(corpus, pairs, stopwords=stopwords, pos=pos)
    if by_doc:
        return document_ranking(corpus.client, parts, method=method, top_n=top_n, doc_ids=doc_ids)
    scored = ranking_scores(corpus.client, parts, method)
    batches = parts.batches
    del parts  # the columns and terms released on the workers: the ranking reads the excerpts only
    return excerpt_ranking(corpus.client, batches, scored, top_n)


def document_ranking(client: Client, parts: KeywordParts, *, method: Any, top_n: int | None, doc_ids: Sequence[str] | None = None) -> list[Any]:
    """Each document's keyword rows (`keywords.document_keywords`) from `parts`: the IDF and the corpus's
    tables made where the joined terms and columns are, each batch's documents ranked where they are
    (`keywords.batch_document_rows`); the verbs a ranking asks of, and the rows' df and forms, answered by
    every batch and merged by `tree_reduce`. Only rows and answers come here."""
    from jiegui.analyses import keywords

    batches = parts.batches
    idf = client.submit(corpus_idf, parts.counted, parts.phrases, pure=False)
    tables = client.submit(keywords.corpus_tables, parts.whole, parts.phrases, pure=False)
    wanted = None if doc_ids is None else set(doc_ids)
    verbs: dict[str, Any] = {}
    found: list[dict[int, tuple[str, Any]]] = [{} for _ in batches]
    waiting: list[Sequence[int] | None] = [None] * len(batches)  # None: every document of the batch
    while True:
        asked: set[str] = set()
        answers = client.gather([client.submit(keywords.batch_document_rows, future, part, terms_of, parts.phrases, idf, tables, verbs, method=method,
                                               top_n=top_n, wanted=wanted, only=only, pure=False)
                                 for future, part, terms_of, only in zip(batches, parts.columns, parts.terms, waiting) if only is None or only])
        for number, answer in zip([n for n, only in enumerate(waiting) if only is None or only], answers):
            found[number].update(answer.rows)
            waiting[number] = answer.waiting
            asked |= answer.asked
        if not asked:
            break
        questions = sorted(asked)
        verbs.update(tree_reduce(client, [client.submit(keywords.batch_verbs, future, questions, pure=False) for future in batches],
                                 keywords.summed_verbs).result())
    del idf, tables
    return shown_rows(client, batches, [(doc_id, rows) for part in found for _, (doc_id, rows) in sorted(part.items())])


def shown_rows(client: Client, batches: Sequence[Future[Any]], ranked: Sequence[tuple[str | None, list[Any]]], *,
               corpus_counts: bool = False) -> list[Any]:
    """The keywords of decided rows (`ranked`: each document's id, or None for the corpus, with its rows),
    with what every batch answers of them (`keywords.batch_row_answers`, merged by `tree_reduce`): each
    row's df, each form as written, and with `corpus_counts` the corpus's count of each form shown
    extended (`keywords.with_totals`: the corpus ranking decides from excerpts)."""
    from jiegui.analyses import keywords

    forms = list(dict.fromkeys(tuple(row.forms) for _, rows in ranked for row in rows))
    extended = sorted({form for _, rows in ranked for row in rows for form in row.extended}) if corpus_counts else []
    df, written, totals = tree_reduce(client, [client.submit(keywords.batch_row_answers, future, forms, extended, pure=False)
                                               for future in batches], keywords.joined_row_answers).result()
    df_of = dict(zip(forms, df))
    return [keyword for doc_id, rows in ranked
            for keyword in keywords.keyword_rows(keywords.with_totals(rows, totals) if corpus_counts else rows, doc_id,
                                                 lambda f: df_of[tuple(f)], lambda term: written.get(term, term))]


def corpus_idf(counted: tuple[int, Any], phrases: Any) -> Any:
    """`keywords.corpus_idf` on the worker that holds the joined terms (and their documents' number)."""
    from jiegui.analyses.keywords import corpus_idf as idf

    return idf(counted[1], counted[0], phrases)


@dataclass(frozen=True, slots=True)
class RankingScores:
    """What the corpus ranking reads besides the excerpts: each term's score and count, the corpus's
    tables (`keywords.corpus_scores`) and the sources the documents name."""

    scores: dict[str, float]
    counts: Counter[str]
    tables: Any
    sources: set[str]


def ranking_scores(client: Client, parts: KeywordParts, method: Any) -> RankingScores:
    """The `RankingScores` of `parts`, made where the joined columns and terms are (the sources merged by
    `tree_reduce`). No document, column or term row comes here."""
    from jiegui.analyses import keywords

    sources = tree_reduce(client, [client.submit(keywords.batch_sources, future, pure=False) for future in parts.batches], set.union)
    scores, counts, tables = client.submit(corpus_scores, parts.whole, parts.phrases, parts.counted, method, pure=False).result()
    return RankingScores(scores, counts, tables, sources.result())


def corpus_scores(columns: Any, phrases: Any, counted: tuple[int, Any], method: Any) -> Any:
    """`keywords.corpus_scores` on the worker that holds the joined columns and terms."""
    from jiegui.analyses.keywords import corpus_scores as scores

    return scores(columns, phrases, counted[1], method)


def excerpt_ranking(client: Client, batches: Sequence[Future[Any]], scored: RankingScores, top_n: int | None) -> list[Any]:
    """The corpus's keyword rows (`keywords.corpus_keywords`): `keywords.decided_rows` on a worker
    (`ranked_excerpts`), from the excerpts the batches cut for the candidates in rank order
    (`keywords.batch_excerpts`): a round of candidates goes to every batch, another (twice as many) when
    the ranking reaches a candidate it has no excerpt of. Each round's excerpts are cut to the lines the
    ranking reads (those of each candidate's first `keywords.CHECKED_OCCURRENCES` occurrences) in every
    batch and again as `tree_reduce` joins them (`keywords.truncated_excerpts`), so no task holds more
    than that, whatever the corpus's size; the rows' df, forms and extended counts are then asked of
    every batch. This process sends the candidates and receives the rows and answers."""
    from functools import partial

    from jiegui.analyses import keywords

    limit = keywords.CHECKED_OCCURRENCES
    joined = partial(keywords.truncated_excerpts, limit=limit)
    rounds: list[Future[Any]] = []  # each round's excerpts of the whole corpus
    decided: list[Any] | None = None
    for new, known in keywords.candidate_rounds(scored.scores, scored.counts, scored.tables, top_n):
        if new:
            rounds.append(tree_reduce(client, [client.submit(keywords.batch_excerpts, future, new, limit, number, pure=False)
                                               for number, future in enumerate(batches)], joined))
        decided = client.submit(ranked_excerpts, scored, top_n, known, limit, *rounds, pure=False).result()
        if decided is not None:
            break
    assert decided is not None  # the last round holds every candidate
    return shown_rows(client, batches, [(None, decided)], corpus_counts=True)


def ranked_excerpts(scored: RankingScores, top_n: int | None, known: int | None, limit: int | None, *rounds: Any) -> list[Any] | None:
    """`keywords.excerpt_rows` over the excerpts of every round so far; None when the ranking needs more candidates."""
    from jiegui.analyses import keywords

    return keywords.excerpt_rows(scored.scores, scored.counts, top_n, known, limit, scored.sources, scored.tables, rounds)


# ----------------------------------------------------------------------------- report: every section's inputs on the cluster
def marked_summaries(summaries: Sequence[Summary]) -> list[DocumentSummary]:
    """The documents' summaries with the source and date their furniture names (as `load_corpus` fills
    the documents': `jiegui corpus` prints the same)."""
    boilerplate = find_boilerplate(edges for _, edges in summaries)
    return [with_named_metadata(summary, boilerplate.furniture(edges)) for summary, edges in summaries]


def cluster_report(corpus: DistributedCorpus, *, top_n: int, stopwords: frozenset[str], encoding: str | None) -> Any:
    """`report.report_inputs` on the cluster, from one load: each section's per-document work submitted on
    the loaded batches at once (`keywords.ranked_pair`, `content_tokens`, `entities.keyed_mentions`,
    `facts.document_facts`, `similarity.document_terms`, and each file's cleaning figures), then the
    keyword and phrase reductions (`keyword_parts` for both rankings, `cluster_phrases`) and the similarity index
    (`similarity_index`) built on the workers, the heat map, neighbours and duplicate groups computed
    where the index is. The client receives the summaries, mentions and facts (as `entities` and `facts`
    do), the corpus ranking's scores and tables (as `keywords`) and the rows the page shows."""
    from functools import partial

    from jiegui.analyses import entities, facts, keywords, similarity
    from jiegui.output import report
    from jiegui.text.boilerplate import content_tokens

    pairs = corpus.submit(keywords.ranked_pair)
    tokens = corpus.submit(content_tokens, prepared=False)
    mentions = corpus.submit(entities.keyed_mentions)
    found = corpus.submit(facts.document_facts)
    terms = corpus.submit(partial(similarity.document_terms, stopwords=stopwords))
    files = corpus.submit_files(file_cleaning, encoding)
    corpus.wait(pairs, tokens, mentions, found, terms, files)
    client = corpus.client
    ids = [summary.id for summary, _ in corpus.summaries]
    index = similarity_index(client, terms, len(ids), ngrams=1, stopwords=stopwords, max_terms=similarity.MAX_TERMS)
    strongest = most_similar_pairs(client, index, len(ids), top=4 * report.MATRIX_DOCS, min_score=0.0) if len(ids) > report.MATRIX_DOCS else []
    heat_map = client.submit(report.heat_map, index, report.heat_map_ids(ids, strongest), pure=False)
    neighbours = client.submit(report.all_neighbours, index, pure=False)
    parts = keyword_parts(corpus, pairs, stopwords=stopwords, pos=frozenset(keywords.DEFAULT_POS))
    scored = ranking_scores(client, parts, keywords.Method.tfidf)
    by_doc = document_ranking(client, parts, method=keywords.Method.tfidf, top_n=report.DOC_TERMS)
    batches = parts.batches
    del parts  # the columns and terms released on the workers: the corpus ranking reads the excerpts only
    ranked = excerpt_ranking(client, batches, scored, top_n)
    with collector_paused():
        found_entities = entities.merge_mentions(k for batch in client.gather(mentions) for keyed in batch for k in keyed)
    return report.ReportInputs(
        summaries=marked_summaries(corpus.summaries),
        cleaning={path: figures for batch in client.gather(files) for path, figures in batch},
        phrases=cluster_phrases(corpus, tokens, stopwords=stopwords),
        keywords=ranked,
        document_keywords=by_doc,
        entities=found_entities,
        facts=[fact for batch in client.gather(found) for document in batch for fact in document],
        similarity=report.SimilaritySection(tuple(ids), heat_map.result(), neighbours.result(),
                                            duplicate_groups(client, index, ids, threshold=similarity.DEFAULT_THRESHOLD)),
    )
