"""Finding the corpus's files, decoding them and turning each into documents (articles).

A file goes: bytes → decode → clean → split into articles → per article: drop duplicate paragraphs,
split sentences, segment. The processed documents are cached per file content (see cache.py).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jiegui import cache
from jiegui.articles import split_articles
from jiegui.boilerplate import mark_boilerplate
from jiegui.clean import clean_text, drop_duplicate_paragraphs
from jiegui.decode import decode_bytes
from jiegui.errors import EmptyInputError, InputError
from jiegui.models import Document, DocumentView
from jiegui.segment import Segmenter, SegmenterSettings
from jiegui.sentences import split_sentences

TEXT_SUFFIXES = (".txt", ".md", ".text")
STDIN = "-"

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


def find_sources(path: str | os.PathLike | None, *, warn: Warn | None = None) -> list[Source]:
    """The files to read, sorted; hidden and non-text files in a directory are skipped with a warning."""
    if path is None:
        path = os.environ.get("JIEGUI_CORPUS") or bundled_corpus()
    if str(path) == STDIN:
        return [Source(STDIN, "stdin")]
    root = Path(path)
    if not root.exists():
        raise InputError(f"no such file or directory: {root}")
    if root.is_file():
        return [Source(str(root), root.stem)]
    if not root.is_dir():
        raise InputError(f"not a file or directory: {root}")
    sources: list[Source] = []
    for dirpath, dirnames, filenames in os.walk(root):
        hidden_dirs = sorted(d for d in dirnames if d.startswith("."))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in hidden_dirs:
            _warn(warn, f"skipping hidden directory {Path(dirpath, name)}")
        for name in sorted(filenames):
            file = Path(dirpath, name)
            if name.startswith("."):
                _warn(warn, f"skipping hidden file {file}")
            elif file.suffix.lower() not in TEXT_SUFFIXES:
                _warn(warn, f"skipping {file}: not a text file ({', '.join(TEXT_SUFFIXES)})")
            else:
                stem = file.relative_to(root).with_suffix("").as_posix()
                sources.append(Source(str(file), stem))
    if not sources:
        raise InputError(f"no text files ({', '.join(TEXT_SUFFIXES)}) in {root}")
    return sources


def _warn(warn: Warn | None, message: str) -> None:
    if warn is not None:
        warn(message)


def read_bytes(source: Source) -> bytes:
    if source.path == STDIN:
        return sys.stdin.buffer.read()
    try:
        return Path(source.path).read_bytes()
    except OSError as exc:
        raise InputError(f"{source.path}: cannot read ({exc.strerror})") from None


def build_documents(text: str, *, doc_id: str, path: str, segmenter: Segmenter) -> list[Document]:
    """Clean one decoded file and return its articles as documents (ids `<stem>` or `<stem>#<n>`)."""
    cleaned = clean_text(text)
    articles = []
    for article in split_articles(cleaned) if cleaned else []:
        body, removed = drop_duplicate_paragraphs(cleaned[article.start : article.end].strip())
        if body:
            articles.append((article, body, removed))
    documents = []
    for number, (article, body, removed) in enumerate(articles, start=1):
        sentences = tuple(split_sentences(body))
        tokens = tuple(segmenter.tokenize(body))
        documents.append(
            Document(
                id=doc_id if len(articles) == 1 else f"{doc_id}#{number}",
                title=article.title,
                source=article.source,
                date=article.date,
                path=path,
                text=body,
                sentences=sentences,
                tokens=tokens,
                duplicates_removed=removed,
            )
        )
    return documents


def load_source(
    source: Source,
    *,
    segmenter: Segmenter,
    encoding: str | None = None,
    use_cache: bool = True,
    data: bytes | None = None,
) -> list[Document]:
    """Documents of one file, from the cache when its content was processed before with the same settings."""
    if data is None:
        data = read_bytes(source)
    name = "<stdin>" if source.path == STDIN else source.path
    if not data.strip():
        raise EmptyInputError(f"{name}: empty file")
    key = cache.cache_key(data, doc_id=source.doc_id, settings=segmenter.settings.fingerprint(), encoding=encoding)
    if use_cache:
        cached = cache.read(key, source.path)
        if cached is not None:
            return cached
    text, _ = decode_bytes(data, name=name, encoding=encoding)
    documents = build_documents(text, doc_id=source.doc_id, path=source.path, segmenter=segmenter)
    if not documents:
        raise EmptyInputError(f"{name}: no text left after cleaning (only page furniture or boilerplate)")
    if use_cache:
        cache.write(key, documents)
    return documents


def _load_in_worker(args: tuple[Source, SegmenterSettings, str | None, bool]) -> str | InputError:
    """One file's documents, encoded for the trip to the parent process (see cache.encode_documents)."""
    source, settings, encoding, use_cache = args
    try:
        documents = load_source(source, segmenter=_worker_segmenter(settings), encoding=encoding, use_cache=use_cache)
    except InputError as exc:
        return exc
    return cache.encode_documents(documents)


def _ignore_sigint() -> None:
    """Ctrl-C is handled once, by the parent; workers die with the pool instead of printing tracebacks."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


_WORKER_SEGMENTERS: dict[SegmenterSettings, Segmenter] = {}


def _worker_segmenter(settings: SegmenterSettings) -> Segmenter:
    if settings not in _WORKER_SEGMENTERS:
        _WORKER_SEGMENTERS[settings] = Segmenter(settings)
    return _WORKER_SEGMENTERS[settings]


def iter_documents(
    path: str | os.PathLike | None = None,
    *,
    encoding: str | None = None,
    skip_bad: bool = False,
    userdicts: tuple[str, ...] = (),
    stopwords: tuple[str, ...] = (),
    use_cache: bool = True,
    jobs: int = 1,
    warn: Warn | None = None,
    progress: Progress | None = None,
) -> Iterator[Document]:
    """Stream the corpus's documents file by file, in path order (bounded memory for large corpora).

    A bad file raises InputError naming it; with `skip_bad` it is reported through `warn` and skipped.
    An empty file in a corpus of several files is always reported and skipped: it is not worth a failed run.
    """
    settings = SegmenterSettings(tuple(map(str, userdicts)), tuple(map(str, stopwords)))
    segmenter = Segmenter(settings)
    sources = find_sources(path, warn=warn)
    total = len(sources)

    def results() -> Iterator[list[Document] | InputError]:
        if jobs > 1 and total > 1 and sources[0].path != STDIN:
            pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint)
            try:
                args = ((s, settings, encoding, use_cache) for s in sources)
                encoded = pool.map(_load_in_worker, args, chunksize=max(1, min(64, total // (jobs * 8))))
                for source, result in zip(sources, encoded):
                    yield result if isinstance(result, InputError) else cache.decode_documents(result, source.path)
            finally:  # on Ctrl-C or an error, do not wait for the files not started yet
                pool.shutdown(wait=True, cancel_futures=True)
        else:
            for source in sources:
                try:
                    yield load_source(source, segmenter=segmenter, encoding=encoding, use_cache=use_cache)
                except InputError as exc:
                    yield exc

    for done, result in enumerate(results(), start=1):
        if progress is not None:
            progress(done, total)
        if isinstance(result, InputError):
            if not (skip_bad or (total > 1 and isinstance(result, EmptyInputError))):
                raise result
            _warn(warn, f"skipping {result}")
            continue
        yield from result


def load_corpus(path: str | os.PathLike | None = None, **options) -> list[Document]:
    """All documents of a corpus (a file, a directory, '-' for stdin, or None for the bundled corpus).

    Options are those of `iter_documents`. Raises InputError when nothing could be loaded. The corpus's
    furniture (lead-ins, bylines, sign-offs: `jiegui.boilerplate`) is marked on the documents.
    """
    documents = list(iter_documents(path, **options))
    if not documents:
        raise InputError(f"empty corpus: no documents in {path or 'the bundled corpus'}")
    return mark_boilerplate(documents)


def find_document(documents: list[Document], doc_id: str) -> Document:
    """The document with this id; a file stem of a compilation names its first article only if unique."""
    for doc in documents:
        if doc.id == doc_id:
            return doc
    close = [d.id for d in documents if d.id.startswith(doc_id)][:5]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `jiegui corpus` lists the ids"
    raise InputError(f"no document with id {doc_id!r}{hint}")


def raw_text(document: Document, *, encoding: str | None = None) -> str:
    """The decoded, uncleaned text of the file a document comes from (a compilation: the whole file)."""
    if document.path == STDIN:
        raise InputError("--raw is not available for standard input")
    data = read_bytes(Source(document.path, document.id))
    return decode_bytes(data, name=document.path, encoding=encoding)[0]


def document_view(document: Document, text: str) -> DocumentView:
    return DocumentView(
        document.id, document.title, document.source, document.date, document.path,
        len(text), document.duplicates_removed, text,
    )
