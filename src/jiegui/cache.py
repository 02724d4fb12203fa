"""Content-addressed cache of processed documents, stored as JSON (data only: a planted file cannot run code).

Key: sha256 of the file's bytes + the segmenter's settings fingerprint + the forced encoding + the jiegui
version, so a changed file, dictionary, stopword list or release never reuses a stale entry. Writes go to a
private temporary file that is renamed into place (atomic on POSIX), so concurrent runs never see half an
entry. An entry is used only when it matches its schema and its key (format, key, the document ids the
file's name gives, offsets inside the text, tokens covering the text); anything else is treated as missing
and rebuilt, and logged on the `jiegui.cache` logger (shown by `--debug`).

Every file jiegui writes has a name of a pattern listed in OWN_FILES, and `clear` removes only those.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from jiegui import __version__
from jiegui.text.decode import printable_path
from jiegui.errors import CacheUnavailableError
from jiegui.models import Document, Sentence, Token
from jiegui.text.segment import JIEBA_CACHE, JIEBA_DIR, JIEBA_TEMPORARY, cache_dir

FORMAT = 2  # 2: the documents' sha256 at the end of each entry
DOCUMENTS_DIR = "documents"
_TEMPORARY = r"\.tmp-[a-z0-9_]{8}\.json"  # tempfile.mkstemp(prefix=".tmp-", suffix=".json")
# Folder (relative to the cache dir) → the names of the files jiegui writes there, and only those.
OWN_FILES = {
    ".": re.compile(rf"idf-\d+-\d+\.json|{_TEMPORARY}|idf-\d+-\d+\.\d+\.tmp|{re.escape(JIEBA_CACHE)}"
                    r"|vega-bundle-[0-9.]+-[0-9a-z._]+\.js"),  # the report's inlined JavaScript
    DOCUMENTS_DIR: re.compile(rf"[0-9a-f]{{64}}\.json|{_TEMPORARY}"),
    JIEBA_DIR: re.compile(rf"{re.escape(JIEBA_CACHE)}|{JIEBA_TEMPORARY.pattern}"),
}
_log = logging.getLogger("jiegui.cache")


def entries_dir() -> Path:
    """The folder of document entries; CacheUnavailableError when the cache dir cannot be used."""
    path = cache_dir() / DOCUMENTS_DIR
    try:
        path.mkdir(exist_ok=True, mode=0o700)
    except OSError as exc:
        raise CacheUnavailableError(f"cache directory {printable_path(path)} cannot be used ({exc.strerror})") from None
    return path


def unavailable() -> str | None:
    """Why the cache cannot be used, or None when it can."""
    try:
        entries_dir()
    except CacheUnavailableError as exc:
        return str(exc)
    return None


def cache_key(data: bytes, *, doc_id: str, settings: str, encoding: str | None) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"|{doc_id}|{settings}|{encoding}|{__version__}|{FORMAT}".encode())
    return digest.hexdigest()


_TOKEN_CHUNK = 20_000


def _prefix(key: str) -> str:
    return f'{{"format":{FORMAT},"key":{json.dumps(key)},"documents":'


_DIGEST = re.compile(rb',"sha256":"([0-9a-f]{64})"\}')  # how an entry ends: the digest of its documents array


def _write_entry(handle: BinaryIO, key: str, documents: list[Document]) -> None:
    """An entry: `{"format", "key", "documents": [...], "sha256"}`, the digest taken over the bytes of the
    documents array, so that any change to them (a flipped bit, an edited field) is noticed on reading."""
    digest = hashlib.sha256()

    def write(text: str) -> None:
        data = text.encode()
        digest.update(data)
        handle.write(data)

    handle.write(_prefix(key).encode())
    _write_documents(write, documents)
    handle.write(f',"sha256":"{digest.hexdigest()}"}}'.encode())


def _write_documents(write: Callable[[str], object], documents: list[Document]) -> None:
    """Write the documents as a JSON array, tokens streamed in chunks: a 100 MB file has some 20 million
    tokens, and building them all as lists before `json.dump` would double the peak memory."""
    quoted: dict[str, str] = {}
    write("[")
    for index, doc in enumerate(documents):
        header = {
            "id": doc.id,
            "title": doc.title,
            "source": doc.source,
            "date": doc.date,
            "text": doc.text,
            "duplicates_removed": doc.duplicates_removed,
            "sentences": [[s.start, s.end] for s in doc.sentences],
        }
        write(("," if index else "") + json.dumps(header, ensure_ascii=False, separators=(",", ":"))[:-1])
        write(',"tokens":[')
        for start in range(0, len(doc.tokens), _TOKEN_CHUNK):
            chunk = doc.tokens[start : start + _TOKEN_CHUNK]
            write(("," if start else "") + ",".join(
                f"[{t.start},{t.end},{quoted.get(t.pos) or quoted.setdefault(t.pos, json.dumps(t.pos))}]" for t in chunk
            ))
        write("]}")
    write("]")


def _spans(items: object, text: str, *, tagged: bool) -> list[tuple[int, int, str]]:
    """[start, end(, tag)] items, checked: ints in order, inside the text, not overlapping; for tokens
    (tagged), the gaps between them whitespace only, since the segmenter makes a token of everything else."""
    if type(items) is not list or not items:
        raise ValueError("no tokens" if tagged else "no sentences")
    size = 3 if tagged else 2
    spans = []
    end = 0
    for item in items:
        if type(item) is not list or len(item) != size:
            raise ValueError("malformed span")
        start, stop = item[0], item[1]
        tag = item[2] if tagged else ""
        if type(start) is not int or type(stop) is not int or type(tag) is not str or not end <= start < stop <= len(text):
            raise ValueError("span out of order or out of range")
        if tagged and start > end and not text[end:start].isspace():
            raise ValueError("tokens do not cover the text")
        spans.append((start, stop, tag))
        end = stop
    if tagged and end < len(text) and not text[end:].isspace():
        raise ValueError("tokens do not cover the text")
    return spans


def _decode(entry: object, path: str, expected_id: str | None = None) -> Document:
    """A document from its entry, or ValueError saying what is wrong with the entry."""
    if type(entry) is not dict:
        raise ValueError("document is not an object")
    text = entry.get("text")
    if type(text) is not str or not text.strip():
        raise ValueError("no text")
    doc_id = entry.get("id")
    if type(doc_id) is not str or (expected_id is not None and doc_id != expected_id):
        raise ValueError(f"id {doc_id!r} is not {expected_id!r}")
    metadata = [entry.get(name) for name in ("title", "source", "date")]
    if any(value is not None and type(value) is not str for value in metadata):
        raise ValueError("title, source or date not a string")
    removed = entry.get("duplicates_removed")
    if type(removed) is not int or removed < 0:
        raise ValueError("duplicates_removed not a count")
    sentences = tuple(Sentence(i, s, e, text[s:e]) for i, (s, e, _) in enumerate(_spans(entry.get("sentences"), text, tagged=False)))
    strings: dict[str, str] = {}  # one object per distinct word and tag, as the segmenter makes them
    tokens = tuple(
        Token(strings.setdefault(surface := text[s:e], surface), strings.setdefault(pos, pos), s, e)
        for s, e, pos in _spans(entry.get("tokens"), text, tagged=True)
    )
    title, source, date = metadata
    return Document(
        id=doc_id, title=title, source=source, date=date, path=path, text=text,
        sentences=sentences, tokens=tokens, duplicates_removed=removed,
    )


def encode_documents(documents: list[Document]) -> str:
    """The documents as the JSON of a cache entry: how --jobs workers send them to the parent process,
    which rebuilds them 3–4 times faster than it unpickles as many dataclasses."""
    handle = io.StringIO()
    _write_documents(handle.write, documents)
    return handle.getvalue()


def decode_documents(payload: str, path: str) -> list[Document]:
    return [_decode(entry, path) for entry in json.loads(payload)]


def read(key: str, path: str, doc_id: str | None = None) -> list[Document] | None:
    """The cached documents of one file, or None when missing, unusable or not exactly what the key
    promises (`doc_id`: the id the file's documents must carry, `<doc_id>` or `<doc_id>#<n>`)."""
    try:
        raw = (entries_dir() / f"{key}.json").read_bytes()
    except (OSError, CacheUnavailableError):
        return None  # missing: the usual miss
    try:
        prefix = _prefix(key).encode()
        if not raw.startswith(prefix):
            raise ValueError("another format or key")
        end = _DIGEST.fullmatch(raw, len(raw) - 77) if len(raw) >= len(prefix) + 77 else None
        if end is None or hashlib.sha256(raw[len(prefix):end.start()]).hexdigest().encode() != end.group(1):
            raise ValueError("its documents do not match their digest")
        try:
            entries = json.loads(raw[len(prefix):end.start()])
        except RecursionError:
            raise ValueError("nested too deep") from None
        if type(entries) is not list or not entries:
            raise ValueError("no documents")
        single = len(entries) == 1
        return [_decode(entry, path, None if doc_id is None else doc_id if single else f"{doc_id}#{number}")
                for number, entry in enumerate(entries, start=1)]
    except ValueError as exc:  # including JSON and UTF-8 errors
        _reject(key, path, str(exc))
        return None


def _reject(key: str, path: str, reason: str) -> None:
    _log.debug("cache entry %s… of %s not used (%s); rebuilding it", key[:12], printable_path(path), reason)


def _write_atomically(directory: Path, name: str, write: Callable[[Any], object], *, binary: bool = False) -> None:
    """Write `directory/name` through an owner-only (0600) temporary file renamed into place; a failure
    (full disk, read-only folder) only costs the next run time, so it is not an error, and Ctrl-C never
    leaves a partial file behind."""
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
    except OSError:
        return
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8")) as handle:
            write(handle)
        os.replace(tmp, directory / name)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if not isinstance(exc, OSError):
            raise


def write(key: str, documents: list[Document]) -> None:
    """Store one file's documents; silently nothing when the cache cannot be used."""
    try:
        directory = entries_dir()
    except CacheUnavailableError:
        return
    _write_atomically(directory, f"{key}.json", lambda handle: _write_entry(handle, key, documents), binary=True)


def read_file(name: str) -> str | None:
    """The text of a named cache file (such as `idf-…json`), or None when missing or unreadable."""
    try:
        return (cache_dir() / name).read_text(encoding="utf-8")
    except (OSError, ValueError, CacheUnavailableError):
        return None


def write_file(name: str, text: str) -> None:
    """Store a named cache file atomically and owner-only; silently nothing when that is not possible."""
    if not OWN_FILES["."].fullmatch(name):
        raise ValueError(f"{name!r} is not a cache file name")  # clear() must be able to recognise it
    try:
        directory = cache_dir()
    except CacheUnavailableError:
        return
    _write_atomically(directory, name, lambda handle: handle.write(text))


@dataclass(frozen=True, slots=True)
class CacheInfo:
    path: str
    entries: int
    bytes: int


def own_files() -> list[Path]:
    """Every regular file in the cache dir whose name is one jiegui writes (see OWN_FILES)."""
    root = cache_dir()
    found = []
    for folder, pattern in OWN_FILES.items():
        try:
            with os.scandir(root / folder) as entries:
                found += [Path(e.path) for e in entries if pattern.fullmatch(e.name) and e.is_file(follow_symlinks=False)]
        except OSError:  # the folder does not exist yet, or is not a folder
            pass
    return sorted(found)


def info() -> CacheInfo:
    """Where the cache is, how many documents entries it holds and their size in bytes."""
    files = [p for p in own_files() if p.parent.name == DOCUMENTS_DIR and p.name[0] != "."]
    return CacheInfo(printable_path(cache_dir()), len(files), sum(_size(p) for p in files))


def _size(path: Path) -> int:
    try:
        return os.lstat(path).st_size
    except OSError:
        return 0


def clear() -> CacheInfo:
    """Remove the files jiegui wrote (document entries, jieba's dictionary cache, the IDF cache and the
    temporary files an interrupted or failed write left), and nothing else: other files and every folder
    stay. Returns how many files and bytes were removed (`entries` counts files of every kind)."""
    removed = count = 0
    for path in own_files():
        size = _size(path)
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise CacheUnavailableError(f"cannot remove {printable_path(path)} ({exc.strerror})") from None
        removed += size
        count += 1
    return CacheInfo(printable_path(cache_dir()), count, removed)
