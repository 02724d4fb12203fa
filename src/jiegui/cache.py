"""Content-addressed cache of processed documents, stored as JSON (data only: a planted file cannot run code).

Key: sha256 of the file's bytes + the segmenter's settings fingerprint + the forced encoding + the jiegui
version, so a changed file, dictionary, stopword list or release never reuses a stale entry. Writes go to a
private temporary file that is renamed into place (atomic on POSIX), so concurrent runs never see half an
entry; an entry that fails to parse or validate is treated as missing and rebuilt.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from jiegui import __version__
from jiegui.models import Document, Sentence, Token
from jiegui.segment import cache_dir

FORMAT = 1


def entries_dir() -> Path:
    path = cache_dir() / "documents"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def cache_key(data: bytes, *, doc_id: str, settings: str, encoding: str | None) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"|{doc_id}|{settings}|{encoding}|{__version__}|{FORMAT}".encode())
    return digest.hexdigest()


_TOKEN_CHUNK = 20_000


def _write_payload(handle: TextIO, key: str, documents: list[Document]) -> None:
    """Write the entry as JSON, tokens streamed in chunks: a 100 MB file has some 20 million tokens,
    and building them all as lists before `json.dump` would double the peak memory."""
    quoted: dict[str, str] = {}
    handle.write(f'{{"format":{FORMAT},"key":{json.dumps(key)},"documents":[')
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
        handle.write(("," if index else "") + json.dumps(header, ensure_ascii=False, separators=(",", ":"))[:-1])
        handle.write(',"tokens":[')
        for start in range(0, len(doc.tokens), _TOKEN_CHUNK):
            chunk = doc.tokens[start : start + _TOKEN_CHUNK]
            handle.write(("," if start else "") + ",".join(
                f"[{t.start},{t.end},{quoted.get(t.pos) or quoted.setdefault(t.pos, json.dumps(t.pos))}]" for t in chunk
            ))
        handle.write("]}")
    handle.write("]}")


def _decode(entry: dict, path: str) -> Document:
    text = entry["text"]
    if not isinstance(text, str):
        raise ValueError("text")
    sentences = tuple(Sentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(entry["sentences"]))
    strings: dict[str, str] = {}  # one object per distinct word and tag, as the segmenter makes them
    tokens = tuple(
        Token(strings.setdefault(surface := text[s:e], surface), strings.setdefault(pos, str(pos)), s, e)
        for s, e, pos in entry["tokens"]
    )
    for item in (*sentences, *tokens):
        if not (0 <= item.start < item.end <= len(text)):
            raise ValueError("offset out of range")
    return Document(
        id=str(entry["id"]),
        title=entry["title"],
        source=entry["source"],
        date=entry["date"],
        path=path,
        text=text,
        sentences=sentences,
        tokens=tokens,
        duplicates_removed=int(entry["duplicates_removed"]),
    )


def encode_documents(documents: list[Document]) -> str:
    """The documents as the JSON of a cache entry: how --jobs workers send them to the parent process,
    which rebuilds them 3–4 times faster than it unpickles as many dataclasses."""
    handle = io.StringIO()
    _write_payload(handle, "", documents)
    return handle.getvalue()


def decode_documents(payload: str, path: str) -> list[Document]:
    return [_decode(entry, path) for entry in json.loads(payload)["documents"]]


def read(key: str, path: str) -> list[Document] | None:
    """The cached documents of one file, or None when missing, corrupt or of another format."""
    try:
        with open(entries_dir() / f"{key}.json", encoding="utf-8") as handle:
            payload = json.load(handle)
        if payload.get("format") != FORMAT or payload.get("key") != key:
            return None
        return [_decode(entry, path) for entry in payload["documents"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write(key: str, documents: list[Document]) -> None:
    """Store atomically; a failure to write only costs the next run some time, so it is not an error."""
    directory = entries_dir()
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            _write_payload(handle, key, documents)
        os.replace(tmp, directory / f"{key}.json")
    except BaseException as exc:  # Ctrl-C included: never leave a partial entry behind
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if not isinstance(exc, OSError):
            raise


@dataclass(frozen=True, slots=True)
class CacheInfo:
    path: str
    entries: int
    bytes: int


def info() -> CacheInfo:
    directory = entries_dir()
    files = [p for p in directory.glob("*.json")]
    return CacheInfo(str(cache_dir()), len(files), sum(p.stat().st_size for p in files))


def clear() -> CacheInfo:
    """Remove every cached document and jieba's dictionary cache; return what was there."""
    before = info()
    for path in entries_dir().glob("*"):
        path.unlink(missing_ok=True)
    for path in cache_dir().glob("jieba*.cache"):
        path.unlink(missing_ok=True)
    return before
