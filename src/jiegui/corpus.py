"""Finding the corpus's files, decoding them and turning each into documents (articles).

A file goes: bytes → decode → clean → split into articles → per article: drop duplicate paragraphs,
split sentences, segment. The processed documents are cached per file content (see cache.py).
"""
from __future__ import annotations

import itertools
import os
import re
import stat
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from jiegui import cache, known_files
from jiegui.analysed import AnalysedDocument, analyse
from jiegui.collector import collector_paused
from jiegui.text.articles import split_articles
from jiegui.text.boilerplate import mark_boilerplate
from jiegui.text.clean import clean_text, drop_duplicate_paragraphs
from jiegui.text.decode import decode_bytes, decode_name, printable_path
from jiegui.errors import EmptyInputError, InputError, UnknownDocumentError
from jiegui.models import Document, DocumentView, LazyTuple, T
from jiegui.text.segment import Segmenter, SegmenterSettings
from jiegui.text.sentences import lazy_sentences

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

TEXT_SUFFIXES = (".txt", ".md", ".text")
STDIN = "-"
# Standard input is read whole before decoding; past this it is refused rather than read until memory
# runs out (`< /dev/zero`). Processing holds ~40 bytes per input byte, so more would not fit anyway.
MAX_STDIN_BYTES = 256 * 2**20

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]


def bundled_corpus() -> Path:
    """The corpus shipped in the wheel, or the repository's corpus/ in an editable install."""
    packaged = Path(str(resources.files("jiegui"))) / "corpus"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "corpus"


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file on disk, or standard input (path '-')."""

    path: str
    doc_id: str


def find_sources(
    path: str | os.PathLike[str] | None,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    warn: Warn | None = None,
) -> list[Source]:
    """The files to read, sorted, each with a unique document id (see `unique_ids`).

    In a directory (walked without recursion, so any depth is fine): only regular files with a text
    suffix are read; hidden files and folders, other files, FIFOs, devices, symlinked folders and folders
    that cannot be read are skipped with a warning. `include`/`exclude` are globs matched against the path
    relative to the directory, or against the file name alone when they hold no `/`: with `include`, only
    matching files are read; files and folders matching `exclude` are skipped (silently: asked for).
    """
    if path is None:
        path = os.environ.get("JIEGUI_CORPUS")
        if path is None:
            path = bundled_corpus()
    if str(path) == "":
        raise InputError("the corpus path is empty (use . for the current folder)")
    if str(path) == STDIN:
        return [Source(STDIN, "stdin")]
    root = Path(path)
    try:
        mode = root.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"no such file or directory: {printable_path(root)}") from None
    except OSError as exc:
        raise InputError(f"{printable_path(root)}: cannot read ({exc.strerror})") from None
    if stat.S_ISREG(mode):
        return [Source(str(root), decode_name(root.stem))]
    if not stat.S_ISDIR(mode):
        raise InputError(f"{printable_path(root)} is not a regular file or directory")
    files = list(_walk(root, include=include, exclude=exclude, warn=warn))
    if not files:
        raise InputError(f"no text files ({', '.join(TEXT_SUFFIXES)}) in {printable_path(root)}")
    ids = unique_ids([relative for _, relative in files])
    return [Source(file, doc_id) for (file, _), doc_id in zip(files, ids)]


def _matches(relative: str, globs: Sequence[str]) -> bool:
    name = relative.rpartition("/")[2]
    return any(fnmatchcase(relative, glob) or ("/" not in glob and fnmatchcase(name, glob)) for glob in globs)


def _walk(root: Path, *, include: Sequence[str], exclude: Sequence[str], warn: Warn | None) -> Iterator[tuple[str, str]]:
    """The files to read under `root` (path, and path relative to root as a person reads it), in sorted
    depth-first order, as os.walk would give them."""
    folders = [(str(root), "")]
    while folders:
        folder, folder_relative = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            _warn(warn, f"skipping folder {printable_path(folder)}: cannot read it ({exc.strerror})")
            continue
        subfolders = []
        for entry in entries:
            shown = printable_path(entry.path)
            relative = f"{folder_relative}/{entry.name}" if folder_relative else entry.name
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
                mode = stat.S_IFDIR if is_folder else entry.stat().st_mode  # a symlink: what it points to
            except OSError as exc:
                _warn(warn, f"skipping {shown}: cannot read it ({exc.strerror})")
                continue
            if entry.name.startswith("."):
                _warn(warn, f"skipping hidden {'folder' if is_folder else 'file'} {shown}")
            elif exclude and _matches(decode_name(relative), exclude):
                continue
            elif is_folder:
                subfolders.append((entry.path, relative))
            elif stat.S_ISDIR(mode):
                _warn(warn, f"skipping {shown}: a symlink to a folder (not followed)")
            elif os.path.splitext(entry.name)[1].lower() not in TEXT_SUFFIXES:
                _warn(warn, f"skipping {shown}: not a text file ({', '.join(TEXT_SUFFIXES)})")
            elif include and not _matches(decode_name(relative), include):
                continue
            elif not stat.S_ISREG(mode):
                _warn(warn, f"skipping {shown}: not a regular file (a FIFO, device or socket)")
            else:
                yield entry.path, decode_name(relative)
        folders.extend(reversed(subfolders))


_ARTICLE_ID = re.compile(r"(.+)#\d+")


def unique_ids(relatives: Sequence[str]) -> list[str]:
    """Document ids for files given by their relative paths: the path without its suffix (`sub/a`),
    except that files sharing that stem (`a.txt`, `a.md`) and a file named like an article of another
    (`a#1.txt` beside `a.txt`, whose articles are `a#1`, `a#2`, …) keep their suffix (`a.md`, `a#1.txt`).
    Should two ids still coincide, the later ones get `~2`, `~3`, …"""
    stems = [str(PurePosixPath(r).with_suffix("")) if PurePosixPath(r).suffix else r for r in relatives]
    counts = Counter(stems)
    ids = [relative if counts[stem] > 1 else stem for stem, relative in zip(stems, relatives)]
    taken = set(ids)
    ids = [relative if (m := _ARTICLE_ID.fullmatch(doc_id)) and m.group(1) in taken else doc_id
           for doc_id, relative in zip(ids, relatives)]
    used: set[str] = set()
    unique = []
    for doc_id in ids:
        candidate, number = doc_id, 1
        while candidate in used:
            number += 1
            candidate = f"{doc_id}~{number}"
        used.add(candidate)
        unique.append(candidate)
    return unique


def _warn(warn: Warn | None, message: str) -> None:
    if warn is not None:
        warn(message)


def read_bytes(source: Source) -> bytes:
    if source.path == STDIN:
        if sys.stdin is None:  # started with stdin closed (`<&-`)
            raise InputError("standard input is closed")
        try:
            data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
        except (OSError, ValueError) as exc:
            raise InputError(f"standard input: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
        if len(data) > MAX_STDIN_BYTES:
            raise InputError(f"standard input holds more than {MAX_STDIN_BYTES // 2**20} MB; save it to a file and pass its path")
        return data
    try:
        return Path(source.path).read_bytes()
    except OSError as exc:
        raise InputError(f"{printable_path(source.path)}: cannot read ({exc.strerror})") from None


def build_documents(text: str, *, doc_id: str, path: str, segmenter: Segmenter) -> list[Document]:
    """Clean one decoded file and return its articles as documents (ids `<stem>` or `<stem>#<n>`)."""
    return list(iter_file_documents(text, doc_id=doc_id, path=path, segmenter=segmenter))


def iter_file_documents(text: str, *, doc_id: str, path: str, segmenter: Segmenter) -> Iterator[Document]:
    """`build_documents` one article at a time: a file's text is cleaned and split whole (strings, about
    the file's size), but each article is segmented only when asked for, so a 100 MB compilation's tokens
    (~40 bytes of objects per input byte) are never all held at once. Offsets are the article's own."""
    cleaned = clean_text(text)
    del text  # the caller passes its only reference: the decoded text is freed once cleaned
    articles = []
    for article in split_articles(cleaned) if cleaned else []:
        body, removed = drop_duplicate_paragraphs(cleaned[article.start : article.end].strip())
        if body:
            articles.append((article, body, removed))
    del cleaned
    single = len(articles) == 1
    for number in range(1, len(articles) + 1):
        article, body, removed = articles[number - 1]
        articles[number - 1] = None  # type: ignore[call-overload]  # the body lives on in its document only
        yield Document(
            id=doc_id if single else f"{doc_id}#{number}",
            title=article.title,
            source=article.source,
            date=article.date,
            path=path,
            text=body,
            sentences=lazy_sentences(body),
            tokens=segmenter.lazy_tokens(body),
            duplicates_removed=removed,
        )


def source_key(source: Source, data: bytes, *, settings: SegmenterSettings, encoding: str | None) -> str:
    """The cache key of a file's documents: its bytes, its id, the segmenter's settings, the encoding."""
    return cache.cache_key(data, doc_id=source.doc_id, settings=settings.fingerprint(), encoding=encoding)


def load_source(
    source: Source,
    *,
    segmenter: Segmenter,
    encoding: str | None = None,
    use_cache: bool = True,
    data: bytes | None = None,
) -> list[Document]:
    """Documents of one file, from the cache when its content was processed before with the same settings."""
    return list(stream_source(source, segmenter=segmenter, encoding=encoding, use_cache=use_cache, data=data))


def stream_source(
    source: Source,
    *,
    segmenter: Segmenter,
    encoding: str | None = None,
    use_cache: bool = True,
    data: bytes | None = None,
    key: str | None = None,
) -> Iterator[Document]:
    """`load_source` one document at a time (see `iter_file_documents`); a bad or empty file raises
    before the first document is given, and a processed file is written to the cache as it streams.
    `key`: the file's cache key when known (`cached_keys`), so that a hit reads the entry alone."""
    if use_cache and key is not None and (cached := cache.read(key, source.path, source.doc_id)) is not None:
        yield from cached
        return
    stat = None
    if data is None:
        stat = _stat(source) if use_cache else None
        data = read_bytes(source)
    name = "<stdin>" if source.path == STDIN else printable_path(source.path)
    if not data.strip():
        raise EmptyInputError(f"{name}: empty file")
    key = source_key(source, data, settings=segmenter.settings, encoding=encoding)
    if stat is not None:
        _remember_key(source, stat, key, segmenter.settings.fingerprint(), encoding)
    if use_cache:
        cached = cache.read(key, source.path, source.doc_id)
        if cached is not None:
            yield from cached
            return
    decoded = decode_bytes(data, name=name, encoding=encoding)[0]
    del data
    documents = iter_file_documents(decoded, doc_id=source.doc_id, path=source.path, segmenter=segmenter)
    del decoded  # iter_file_documents holds the only reference until it has cleaned the text
    first = next(documents, None)
    if first is None:
        raise EmptyInputError(f"{name}: no text left after cleaning (only page furniture or boilerplate)")
    documents = itertools.chain((first,), documents)
    del first
    if use_cache:
        yield from _cached_while_streamed(key, documents)
    else:
        yield from documents


def _cached_while_streamed(key: str, documents: Iterator[Document]) -> Iterator[Document]:
    """Give each document on while a thread writes them one by one into the file's cache entry.

    `cache.write` consumes an iterable; feeding it through a small queue lets the entry be written without
    holding the file's documents. A run that stops early (Ctrl-C, an error, a reader that stops) makes
    the writer raise inside `cache.write`, which removes its temporary file: no partial entry (a stop
    while the writer finishes removes the file at once, see `cache.remove_unfinished`). When the
    writer ends on its own (the cache folder cannot be written), the documents simply go on uncached.
    """
    import queue
    import threading

    handoff: queue.Queue[Any] = queue.Queue(maxsize=2)
    done, abandon = object(), object()

    def feed() -> Iterator[Document]:
        while (item := handoff.get()) is not done:
            if item is abandon:
                raise _CacheAbandoned
            yield item

    def write() -> None:
        try:
            cache.write(key, feed())  # type: ignore[arg-type]  # any iterable: it is read once, in order
        except _CacheAbandoned:
            pass

    def offer(item: object) -> None:
        while writer.is_alive():
            try:
                handoff.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    writer = threading.Thread(target=write, name="jiegui-cache-writer", daemon=True)
    writer.start()
    finished = False
    try:
        for document in documents:
            offer(document)
            yield document
        finished = True
    finally:
        try:
            offer(done if finished else abandon)
            writer.join()
        except BaseException:  # stopped (SIGTERM, Ctrl-C) while the writer finishes: no partial entry left
            cache.remove_unfinished()
            raise


class _CacheAbandoned(Exception):
    """Raised inside the cache writer when the documents it was writing stop coming."""


def _load_in_worker(sources: Sequence[Source], settings: SegmenterSettings, encoding: str | None, use_cache: bool) -> list[bytes | InputError]:
    """Each file's documents, encoded for the trip to the parent process (see cache.encode_documents)."""
    return [in_worker(_load_encoded, source, settings, encoding, use_cache) for source in sources]


def _load_encoded(source: Source, settings: SegmenterSettings, encoding: str | None, use_cache: bool) -> bytes | InputError:
    try:
        documents = load_source(source, segmenter=_worker_segmenter(settings), encoding=encoding, use_cache=use_cache)
    except InputError as exc:
        return exc
    return cache.encode_documents(documents)


class _WorkerStopped(SystemExit):
    """SIGTERM in a worker: unwinds the file being processed, then the worker exits (silently when idle)."""


_task_running = False  # in a pool's worker: inside `in_worker`


def _stop_worker(signum: int, frame: object) -> None:
    """SIGTERM in a worker: a task is unwound (`in_worker`); otherwise the worker is idle or sending a
    result back, and exits at once (an exception there would be caught by concurrent.futures, which then
    tries to send it back and can wait for ever on the result queue)."""
    if not _task_running:
        os._exit(1)
    raise _WorkerStopped(1)


def start_workers(jobs: int, *, fork: bool = False) -> ProcessPoolExecutor:
    """A pool of `jobs` worker processes that leave Ctrl-C to the parent (see `stop_workers`). `fork`:
    processes forked from this one (POSIX: `can_fork`), made at the first task and sharing what this
    process holds then."""
    from concurrent.futures import ProcessPoolExecutor  # here: its import costs every run 0.03 s

    if fork:
        import multiprocessing

        return ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint, mp_context=multiprocessing.get_context("fork"))
    return ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint)


def can_fork() -> bool:
    """Whether worker processes can be forked from this one: on Linux (macOS has fork, but its system
    libraries are not safe in a forked child, which is why Python starts workers afresh there)."""
    return sys.platform.startswith("linux")


def stop_workers(pool: ProcessPoolExecutor, *, finished: bool) -> None:
    """Shut the pool down; when the run did not finish (Ctrl-C, SIGTERM, an error), end its workers now:
    no file started or pending is wanted. Their pending tasks are then failed by the pool itself, never
    cancelled (nor by pool.map, which cancels what is pending when a result fails): Python 3.11's pool,
    finding a worker gone, sets an error on every pending task, and on one already cancelled raises in
    its own thread (InvalidStateError, printed as a traceback)."""
    if not finished:
        _terminate_workers(pool)
    pool.shutdown(wait=True)


def in_worker(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in a pool's worker: SIGTERM (the parent stopping the run) unwinds it, so that a
    half-written cache entry's temporary file is removed, then ends the process."""
    global _task_running
    _task_running = True
    try:
        return function(*args)
    except _WorkerStopped:  # the pool would go on with its next task
        os._exit(1)
    finally:
        _task_running = False


def _ignore_sigint() -> None:
    """Ctrl-C is handled once, by the parent, which then terminates the workers (SIGTERM): they exit
    without printing tracebacks."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)


WORKER_GRACE = 20.0  # seconds a stopped worker has to unwind its file before it is killed


def _terminate_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's worker processes now, not after the files they are on (a file can take minutes).

    SIGTERM makes a worker unwind the file it is on (so a half-written cache entry's temporary file is
    removed) and exit. A worker that has not exited after WORKER_GRACE seconds is killed, so that
    `pool.shutdown` cannot wait for ever (see `_stop_worker` for the case that once made it).
    Python 3.14 has `pool.terminate_workers()`; before it the processes are reached here.
    """
    from multiprocessing.connection import wait

    processes = [p for p in list((getattr(pool, "_processes", None) or {}).values()) if p.is_alive()]
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + WORKER_GRACE
    running = {process.sentinel: process for process in processes}
    while running and (left := deadline - time.monotonic()) > 0:
        for sentinel in wait(list(running), timeout=left):
            del running[sentinel]
    for process in running.values():
        process.kill()


_WORKER_SEGMENTERS: dict[SegmenterSettings, Segmenter] = {}


def _worker_segmenter(settings: SegmenterSettings) -> Segmenter:
    if settings not in _WORKER_SEGMENTERS:
        _WORKER_SEGMENTERS[settings] = Segmenter(settings)
    return _WORKER_SEGMENTERS[settings]


def iter_documents(
    path: str | os.PathLike[str] | None = None,
    *,
    encoding: str | None = None,
    skip_bad: bool = False,
    userdicts: tuple[str, ...] = (),
    stopwords: tuple[str, ...] = (),
    use_cache: bool = True,
    jobs: int = 1,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    warn: Warn | None = None,
    progress: Progress | None = None,
) -> Iterator[Document]:
    """Stream the corpus's documents file by file, in path order (bounded memory for large corpora).

    A bad file raises InputError naming it; with `skip_bad` it is reported through `warn` and skipped.
    An empty file in a corpus of several files is always reported and skipped: it is not worth a failed run.
    A cache directory that cannot be used is reported once and the run goes on without the cache.
    """
    settings = segmenter_settings(userdicts=userdicts, stopwords=stopwords)
    segmenter = Segmenter(settings)
    sources = find_sources(path, include=include, exclude=exclude, warn=warn)
    if use_cache and (reason := cache.unavailable()) is not None:
        _warn(warn, f"{reason}; running without the cache")
        use_cache = False
    total = len(sources)

    def results() -> Iterator[Iterable[Document] | InputError]:
        keys = cached_keys(sources, settings=settings, encoding=encoding) if use_cache else []
        if jobs > 1 and total > 1 and sources[0].path != STDIN and len(keys) < total:
            pool = start_workers(jobs)
            finished = False
            try:
                # tasks of several files, submitted here rather than by pool.map: see `stop_workers`
                size = max(1, min(64, total // (jobs * 8)))
                tasks = [pool.submit(_load_in_worker, sources[i : i + size], settings, encoding, use_cache) for i in range(0, total, size)]
                for start, task in zip(range(0, total, size), tasks):
                    for source, result in zip(sources[start : start + size], task.result()):
                        yield result if isinstance(result, InputError) else cache.decode_documents(result, source.path)
                finished = True
            finally:
                stop_workers(pool, finished=finished)
        else:
            for number, source in enumerate(sources):
                try:  # a bad or empty file raises before its first document: the error is the file's
                    stream = stream_source(source, segmenter=segmenter, encoding=encoding, use_cache=use_cache,
                                           key=keys[number] if number < len(keys) else None)
                    first = next(stream)
                except InputError as exc:
                    yield exc
                    continue
                yield itertools.chain((first,), stream)

    for done, result in enumerate(results(), start=1):
        if progress is not None:
            progress(done, total)
        if isinstance(result, InputError):
            if not (skip_bad or (total > 1 and isinstance(result, EmptyInputError))):
                raise result
            _warn(warn, f"skipping {result}")
            continue
        yield from result
    if use_cache:
        known_files.known().save()  # what this run learnt of the files and entries it read


def _remember_key(source: Source, stat: known_files.Stat, key: str, fingerprint: str, encoding: str | None) -> None:
    """Record the file's cache key for the stat it had before it was read, if it still has it (not
    written to while read): the next run need not read it (`known_files`)."""
    if _stat(source) == stat:
        known_files.known().remember(known_files.source_name(source.path, source.doc_id, fingerprint, encoding), stat, key)


def _stat(source: Source) -> known_files.Stat | None:
    if source.path == STDIN:
        return None
    try:
        return known_files.stat_of(os.stat(source.path))
    except OSError:
        return None


def cached_keys(sources: Sequence[Source], *, settings: SegmenterSettings, encoding: str | None) -> list[str]:
    """The cache keys of the files, in order, up to the first that has no entry in the cache: all of
    them for a warm corpus (read in this process even with --jobs: workers would read the same entries
    and send every document back), one file's read for a cold one. A file whose stat is the one it had
    when its key was last made is not read again (`known_files`)."""
    known = known_files.known()
    fingerprint = settings.fingerprint()
    keys: list[str] = []
    for source in sources:
        if source.path == STDIN:
            break
        name = known_files.source_name(source.path, source.doc_id, fingerprint, encoding)
        if (stat := _stat(source)) is None:
            break
        key = known.value(name, stat)
        if key is None:
            try:
                key = source_key(source, read_bytes(source), settings=settings, encoding=encoding)
            except InputError:
                break
            _remember_key(source, stat, key, fingerprint, encoding)
        if not cache.has(key):
            break
        keys.append(key)
    return keys


def segmenter_settings(*, userdicts: Sequence[str | os.PathLike[str]] = (), stopwords: Sequence[str | os.PathLike[str]] = ()) -> SegmenterSettings:
    """The settings a corpus is segmented with: the user's dictionaries and stopword files."""
    return SegmenterSettings(tuple(map(str, userdicts)), tuple(map(str, stopwords)))


def analyse_corpus(
    documents: Iterable[Document],
    *,
    userdicts: Sequence[str | os.PathLike[str]] = (),
    stopwords: Sequence[str | os.PathLike[str]] = (),
) -> list[AnalysedDocument]:
    """The documents prepared once for every analysis (Simplified text, sentences, the run's stopwords):
    see `jiegui.analysed`. `userdicts` and `stopwords` must be those the documents were loaded with."""
    settings = segmenter_settings(userdicts=userdicts, stopwords=stopwords)
    return [analyse(document, settings) for document in documents]


def load_corpus(path: str | os.PathLike[str] | None = None, **options: Any) -> list[Document]:
    """All documents of a corpus (a file, a directory, '-' for stdin, or None for the bundled corpus).

    Options are those of `iter_documents`. Raises InputError when nothing could be loaded. The corpus's
    furniture (lead-ins, bylines, sign-offs: `jiegui.text.boilerplate`) is marked on the documents.
    """
    # A document read from the cache keeps its tokens and sentences lazy (`LazyTokens`, `LazySentences`): the
    # analyses that walk them make them (`jiegui.analysed`), the counting ones read the entry's columns.
    # Processed documents are millions of small acyclic objects: no collector pass over them.
    with collector_paused():
        documents = list(iter_documents(path, **options))
        if not documents:
            raise InputError(f"empty corpus: no documents in {path or 'the bundled corpus'}")
        return mark_boilerplate(documents)


def with_tuples(document: Document) -> Document:
    """The document with its sentences and tokens as tuples (made now when lazy: see `load_corpus`), for
    code that indexes them one by one, which costs a Python call per access on a LazyTuple."""
    if isinstance(document.tokens, LazyTuple) or isinstance(document.sentences, LazyTuple):
        return replace(document, sentences=_as_tuple(document.sentences), tokens=_as_tuple(document.tokens))
    return document


def _as_tuple(items: Sequence[T]) -> tuple[T, ...]:
    return items.as_tuple() if isinstance(items, LazyTuple) else tuple(items)


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


D = TypeVar("D", bound=_Identified)


def find_document(documents: Iterable[D], doc_id: str) -> D:
    """The document with this id (a Document or an AnalysedDocument); UnknownDocumentError, naming the
    closest ids, if there is none."""
    documents = list(documents)
    for doc in documents:
        if doc.id == doc_id:
            return doc
    raise UnknownDocumentError(doc_id, (d.id for d in documents))


def select_documents(documents: Iterable[D], doc_id: str | None) -> list[D]:
    """Every document, or only the one with id `doc_id` (a command's `--doc`): the one way to select."""
    return list(documents) if doc_id is None else [find_document(documents, doc_id)]


def raw_text(document: Document, *, encoding: str | None = None) -> str:
    """The decoded, uncleaned text of the file a document comes from (a compilation: the whole file)."""
    if document.path == STDIN:
        raise InputError("standard input cannot be read a second time: its raw text is not available")
    data = read_bytes(Source(document.path, document.id))
    return decode_bytes(data, name=printable_path(document.path), encoding=encoding)[0]


def document_view(document: Document, text: str) -> DocumentView:
    return DocumentView(
        document.id, document.title, document.source, document.date, printable_path(document.path),
        len(text), document.duplicates_removed, text,
    )
