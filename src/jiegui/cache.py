"""Content-addressed cache of processed documents, stored in a compact binary form (data only, never
pickle: a planted file cannot run code).

Key: sha256 of the file's bytes + the segmenter's settings fingerprint + the forced encoding + the jiegui
version + the format, so a changed file, dictionary, stopword list or release never reuses a stale entry.
Writes go to a private temporary file that is renamed into place (atomic on POSIX), so concurrent runs
never see half an entry. An entry is used only when its digest matches its bytes and its contents match
the key (the document ids the file's name gives) and the schema (offsets inside the text, in order,
tokens covering the text); anything else is treated as missing and rebuilt, and logged on the
`jiegui.cache` logger (shown by `--debug`).

An entry (`<key>.jgc`, all integers little-endian; see docs/cache.md):

    prefix   MAGIC, FORMAT (u32), the key (64 ASCII hex digits)
    body     per document: its text (UTF-8, padded to 4 bytes), its sentences (int32 starts, int32 ends),
             its tokens (int32 starts, int32 word ids, uint16 tag ids; padded to 4 bytes);
             then a JSON header: the word and tag tables and each document's metadata, counts and the
             byte offsets of its blocks; then the header's length (u64)
    digest   sha256 of the body (32 bytes)

A token's surface is its word in the table and its end is start + the word's length: reading checks that
the words joined are the text without the whitespace between tokens, so every `text[start:end]` is the
token's text. The arrays are read with the standard library (`memoryview.cast`, no numpy: every command
reads the cache, and numpy's import alone would cost more than a small corpus's entries; past NUMPY_AFTER
tokens the checks run over numpy arrays). Documents read from the cache keep their tokens as `LazyTokens`
(the entry's columns at once) and their sentences as `LazySentences`: the Token and Sentence objects are
made only when something walks them, so loading a corpus makes none.

Every file jiegui writes has a name of a pattern listed in OWN_FILES, and `clear` removes only those
(including the entries of older formats, `<key>.json`).
"""
from __future__ import annotations

import hashlib
import json
import logging
import operator
import os
import re
import struct
import sys
import tempfile
from array import array
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import compress, islice, repeat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from jiegui import __version__, known_files
from jiegui.text.decode import printable_path
from jiegui.errors import CacheUnavailableError
from jiegui.models import Document, LazySentences, LazyTokens, Token, TokenColumnsSource, TokenTuple, sentence_bounds, sentences_of
from jiegui.text.segment import JIEBA_CACHE, JIEBA_DIR, JIEBA_TEMPORARY, SegmentedTokens, cache_dir

FORMAT = 3  # 2: JSON with the documents' sha256 at the end; 3: binary columns (this module's docstring)
MAGIC = b"JIEGUI\x00C"
SUFFIX = ".jgc"
DOCUMENTS_DIR = "documents"
_TEMPORARY = r"\.tmp-[a-z0-9_]{8}\.(?:json|jgc)"  # tempfile.mkstemp(prefix=".tmp-", suffix=".json" or SUFFIX)
# Folder (relative to the cache dir) → the names of the files jiegui writes there, and only those.
OWN_FILES = {
    ".": re.compile(rf"idf-\d+-\d+\.json|{_TEMPORARY}|idf-\d+-\d+\.\d+\.tmp|{re.escape(JIEBA_CACHE)}|{re.escape(known_files.RECORDS)}"
                    r"|vega-bundle-[0-9.]+-[0-9a-z._]+\.js"),  # the report's inlined JavaScript
    DOCUMENTS_DIR: re.compile(rf"[0-9a-f]{{64}}\.(?:json|jgc)|{_TEMPORARY}"),  # .json: format 2 and older
    JIEBA_DIR: re.compile(rf"{re.escape(JIEBA_CACHE)}|{JIEBA_TEMPORARY.pattern}"),
}
_log = logging.getLogger("jiegui.cache")
_PREFIX = struct.Struct("<8sI64s")
_DIGEST_SIZE = 32
_MAX_OFFSET = 2**31 - 1  # offsets are int32: a document of more characters is not cached
_SIZES = {"B": 1, "H": 2, "i": 4, "I": 4}
assert all(array(code).itemsize == size for code, size in _SIZES.items())
_SWAP = sys.byteorder != "little"  # the arrays are stored little-endian


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


def _packed(code: str, values: Iterable[int]) -> bytes:
    """Little-endian bytes of an `array` of `values` (built without a Python list of them all)."""
    packed = array(code, values)
    if _SWAP:
        packed.byteswap()
    return packed.tobytes()


_TEXT, _POS, _START = operator.itemgetter(0), operator.itemgetter(1), operator.itemgetter(2)


def _numbered(numbers: dict[str, int], strings: Iterable[str]) -> dict[str, int]:
    """`numbers` with the strings it lacks numbered after it, in order of first occurrence: the ids the
    entry's table of words (or tags) gives them. A loop over the distinct strings, not every token."""
    for string in dict.fromkeys(strings):
        if string not in numbers:
            numbers[string] = len(numbers)
    return numbers


def _token_columns(tokens: Sequence[Token]) -> tuple[Sequence[str], Sequence[str], Sequence[int]]:
    """The tokens' words, tags and starts: the columns of tokens segmented in this run and not yet made
    (`SegmentedTokens`: no Token made), else read from the tokens (named tuples: at C speed)."""
    if isinstance(tokens, SegmentedTokens) and (columns := tokens.columns()) is not None:
        return columns.texts, columns.tags, columns.starts
    return list(map(_TEXT, tokens)), list(map(_POS, tokens)), list(map(_START, tokens))


def _write_entry(handle: BinaryIO, key: str, documents: list[Document]) -> None:
    """Write one entry (see the module's docstring), streamed document by document."""
    digest = hashlib.sha256()
    offset = 0

    def put(data: bytes) -> None:
        nonlocal offset
        digest.update(data)
        handle.write(data)
        offset += len(data)

    def pad() -> None:
        put(b"\0" * (-offset % 4))

    handle.write(_PREFIX.pack(MAGIC, FORMAT, key.encode("ascii")))
    words: dict[str, int] = {}
    tags: dict[str, int] = {}
    headers = []
    for doc in documents:
        if len(doc.text) > _MAX_OFFSET:
            raise ValueError("a document too long for int32 offsets")
        text_at = offset
        text = doc.text.encode("utf-8")
        put(text)
        pad()
        sentences_at, count = offset, len(doc.sentences)
        starts, ends = sentence_bounds(doc.sentences)
        put(_packed("i", starts))
        put(_packed("i", ends))
        tokens_at, size = offset, len(doc.tokens)
        texts, poses, starts = _token_columns(doc.tokens)
        put(_packed("i", starts))
        put(_packed("i", map(_numbered(words, texts).__getitem__, texts)))
        put(_packed("H", map(_numbered(tags, poses).__getitem__, poses)))  # OverflowError past 65535 tags
        pad()
        headers.append({
            "id": doc.id, "title": doc.title, "source": doc.source, "date": doc.date,
            "duplicates_removed": doc.duplicates_removed,
            "text": [text_at, len(text)], "sentences": [sentences_at, count], "tokens": [tokens_at, size],
        })
    header = json.dumps({"words": list(words), "tags": list(tags), "documents": headers},
                        ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    put(header)
    put(struct.pack("<Q", len(header)))
    handle.write(digest.digest())


def _integer(value: object, high: int) -> int:
    if type(value) is not int or not 0 <= value <= high:
        raise ValueError("malformed header")
    return value


def _block(body: memoryview, place: object, limit: int, codes: str) -> list[Sequence[int]]:
    """The arrays of type `codes` ('i' int32, 'H' uint16, 'B' bytes), each of the place's count, stored
    one after the other at the place's offset: views into the entry's bytes, not copies (so documents
    read from the cache hold their columns in ~10 bytes a token until their tokens are made)."""
    if type(place) is not list or len(place) != 2:
        raise ValueError("malformed header")
    at, count = _integer(place[0], limit), _integer(place[1], limit)
    arrays: list[Sequence[int]] = []
    for code in codes:
        end = at + count * _SIZES[code]
        if end > limit:
            raise ValueError("a block beyond the entry")
        if code == "B" or not _SWAP:
            arrays.append(body[at:end].cast(code))  # type: ignore[call-overload]  # code is one of _SIZES
        else:
            swapped = array(code, body[at:end])
            swapped.byteswap()
            arrays.append(swapped)
        at = end
    return arrays


def _decode_entry(raw: bytes, key: str, path: str, doc_id: str | None, *, checked: bool = False) -> list[Document]:
    """The documents of an entry, or ValueError saying what is wrong with it. `checked`: the entry's
    tokens passed the checks when this file was read before (`known_files`): not checked again."""
    if len(raw) < _PREFIX.size + 8 + _DIGEST_SIZE:
        raise ValueError("truncated")
    magic, version, stored_key = _PREFIX.unpack_from(raw)
    if magic != MAGIC or version != FORMAT or stored_key != key.encode("ascii"):
        raise ValueError("another format or key")
    body = memoryview(raw)[_PREFIX.size : len(raw) - _DIGEST_SIZE]
    if hashlib.sha256(body).digest() != raw[-_DIGEST_SIZE:]:
        raise ValueError("its documents do not match their digest")
    (size,) = struct.unpack_from("<Q", body, len(body) - 8)
    limit = len(body) - 8 - size
    if limit < 0:
        raise ValueError("malformed header")
    try:
        header = json.loads(bytes(body[limit : len(body) - 8]).decode("utf-8"))
    except RecursionError:
        raise ValueError("nested too deep") from None
    if type(header) is not dict:
        raise ValueError("malformed header")
    words, tags, entries = _strings(header.get("words")), _strings(header.get("tags")), header.get("documents")
    if type(entries) is not list or not entries:
        raise ValueError("no documents")
    tables = _Tables(words, tags, list(map(len, words)))
    single = len(entries) == 1
    return [_decode_document(entry, body, limit, tables, path,
                             None if doc_id is None else doc_id if single else f"{doc_id}#{number}", checked)
            for number, entry in enumerate(entries, start=1)]


def _strings(table: object) -> list[str]:
    """A word or tag table: a list of non-empty strings."""
    if not isinstance(table, list) or not set(map(type, table)) <= {str} or not all(table):
        raise ValueError("malformed word or tag table")
    return table


class _Tables:
    """An entry's word and tag tables, each word's length, and (made on first use) the same as numpy arrays
    for `_covered_numpy`: the lengths, where each word starts in the words joined, and their characters."""

    def __init__(self, words: list[str], tags: list[str], lengths: list[int]) -> None:
        self.words, self.tags, self.lengths = words, tags, lengths
        self._arrays: tuple[Any, Any, Any] | None = None

    def arrays(self) -> tuple[Any, Any, Any]:
        if self._arrays is None:
            import numpy as np

            lengths = np.array(self.lengths, dtype=np.int64)
            # UTF-32: one code unit a character (a lone surrogate a JSON table may hold matches no text)
            chars = np.frombuffer("".join(self.words).encode("utf-32-le", "surrogatepass"), dtype="<u4")
            self._arrays = (lengths, np.cumsum(lengths) - lengths, chars)
        return self._arrays


# The token checks run over numpy arrays once the run has read this many tokens (numpy's import, ~0.1 s,
# then costs less than it saves: 10 MB corpus, 2 M tokens, 0.6 s → 0.1 s); before, and in a run that
# reads little, with the standard library. Both accept and reject the same entries (tests/test_robustness).
NUMPY_AFTER = 200_000
_tokens_read = 0


def _decode_document(entry: object, body: memoryview, limit: int, tables: _Tables, path: str, expected_id: str | None,
                     checked: bool) -> Document:
    """One document of an entry. Every check runs over whole lists at C speed (map, all, compress,
    join): an entry of a 10 MB corpus has some two million tokens."""
    if type(entry) is not dict:
        raise ValueError("document is not an object")
    doc_id = entry.get("id")
    if type(doc_id) is not str or (expected_id is not None and doc_id != expected_id):
        raise ValueError(f"id {doc_id!r} is not {expected_id!r}")
    metadata = [entry.get(name) for name in ("title", "source", "date")]
    if any(value is not None and type(value) is not str for value in metadata):
        raise ValueError("title, source or date not a string")
    removed = entry.get("duplicates_removed")
    if type(removed) is not int or removed < 0:
        raise ValueError("duplicates_removed not a count")
    (raw_text,) = _block(body, entry.get("text"), limit, "B")
    text = str(raw_text, "utf-8")  # type: ignore[call-overload]
    if not text or text.isspace():  # what `not text.strip()` says, without a copy of the text
        raise ValueError("no text")
    length = len(text)
    starts, ends = _block(body, entry.get("sentences"), limit, "ii")
    if not starts:
        raise ValueError("no sentences")
    if not _ordered(starts, ends, length) or not all(map(operator.lt, starts, ends)):
        raise ValueError("span out of order or out of range")
    words, tags, lengths = tables.words, tables.tags, tables.lengths
    # Word ids are read unsigned (the same bits for the int32 ids written): a negative id would index the
    # table from its end, a huge one raises IndexError in the lookups below, so they need no scan of their own.
    token_starts, word_ids, tag_ids = _block(body, entry.get("tokens"), limit, "iIH")
    block = body[entry["tokens"][0] : entry["tokens"][0] + len(word_ids) * 10]  # the three, as stored
    if not token_starts:
        raise ValueError("no tokens")
    global _tokens_read
    _tokens_read += len(word_ids)
    gaps: list[int] | None = None  # the tokens a gap (whitespace) follows, when the numpy checks found them
    if checked:
        pass
    elif _tokens_read > NUMPY_AFTER:
        gaps = _covered_numpy(text, block, len(word_ids), tables)
    else:
        if max(tag_ids) >= len(tags):  # tags are looked up only when the tokens are made: checked now
            raise ValueError("a tag id out of range")
        token_ends = list(map(operator.add, token_starts, map(lengths.__getitem__, word_ids)))  # words are never empty
        if not _ordered(token_starts, token_ends, length):
            raise ValueError("span out of order or out of range")
        if "".join(map(words.__getitem__, word_ids)) != _without_gaps(text, token_starts, token_ends):
            raise ValueError("tokens do not cover the text")
    title, source, date = metadata

    # copies of the spans (a few bytes a sentence), so that the entry's bytes can go before they are made
    starts, ends = (memoryview(bytes(view)).cast("i") if not _SWAP else view for view in (starts, ends))


    # the entry's columns (a copy of the block: the entry's bytes can go), for the counting analyses
    columns = TokenColumnsSource(words, tags, lengths, len(word_ids), bytes(block))

    def make_tokens() -> TokenTuple:
        return columns.tokens(gaps)

    return Document(
        id=doc_id, title=title, source=source, date=date, path=path, text=text,
        sentences=LazySentences(starts, ends, partial(sentences_of, text, starts, ends)), tokens=LazyTokens(columns, make_tokens),
        duplicates_removed=removed,
    )


def _covered_numpy(text: str, block: memoryview, count: int, tables: _Tables) -> list[int]:
    """The checks of the tokens' ids and spans (ids inside their tables, spans in order and inside the
    text, each token's characters its word's, only whitespace between them), over numpy arrays:
    ValueError when one fails. `block`: the tokens' starts, word ids and tag ids as stored. Returns the
    tokens (but the last) that end before the next one starts."""
    import numpy as np

    lengths, offsets, characters = tables.arrays()
    if int(np.frombuffer(block, dtype="<u2", count=count, offset=8 * count).max()) >= len(tables.tags):
        raise ValueError("a tag id out of range")
    word_ids = np.frombuffer(block, dtype="<u4", count=count, offset=4 * count)
    if int(word_ids.max()) >= len(lengths):
        raise ValueError("a word id out of range")
    starts = np.frombuffer(block, dtype="<i4", count=count).astype(np.int64)
    sizes = lengths[word_ids]
    ends = starts + sizes
    if starts[0] < 0 or ends[-1] > len(text) or bool(np.any(ends[:-1] > starts[1:])):
        raise ValueError("span out of order or out of range")
    # In order and apart, the tokens cover at most the text: the text without the stretches between
    # them (whitespace only) must be the words joined, character by character. The stretches are few
    # (~120 a document): marked by +1/-1 at their edges and a running sum, no array per token's character.
    gaps = np.flatnonzero(ends[:-1] != starts[1:])
    gap_starts = np.concatenate(([0], ends[gaps], ends[-1:]))
    gap_ends = np.concatenate((starts[:1], starts[gaps + 1], [len(text)]))
    text_characters = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    real = gap_starts < gap_ends
    if bool(real.any()):  # words are never empty: no stretch ends where another starts
        edges = np.zeros(len(text) + 1, dtype=np.int8)
        edges[gap_starts[real]] = 1
        edges[gap_ends[real]] = -1
        between = np.cumsum(edges[:-1], dtype=np.int8).view(bool)
        if not text_characters[between].tobytes().decode("utf-32-le").isspace():
            raise ValueError("tokens do not cover the text")
        text_characters = text_characters[~between]
    # each token's characters: its word's run of the table's characters (int32 indices where they fit:
    # half the memory traffic over some four million characters)
    wide = np.int32 if len(characters) < 2**31 and len(text) < 2**31 else np.int64
    sizes = sizes.astype(wide)
    index = np.repeat(offsets[word_ids].astype(wide) - (np.cumsum(sizes, dtype=wide) - sizes), sizes)
    index += np.arange(len(index), dtype=wide)
    if not np.array_equal(text_characters, characters[index]):
        raise ValueError("tokens do not cover the text")
    return gaps.tolist()  # type: ignore[no-any-return]


def _ordered(starts: Sequence[int], ends: Sequence[int], length: int) -> bool:
    """Spans inside the text, each starting at or after the end of the one before."""
    return starts[0] >= 0 and ends[-1] <= length and all(map(operator.le, ends, islice(starts, 1, None)))


def _without_gaps(text: str, starts: Sequence[int], ends: Sequence[int]) -> str:
    """The text without the stretches between tokens, which must be whitespace (the segmenter makes a
    token of everything else): what the tokens' words joined must give."""
    cuts = list(compress(range(1, len(starts)), map(operator.lt, ends, islice(starts, 1, None))))
    gap_starts = [0, *map(ends.__getitem__, map(operator.sub, cuts, repeat(1))), ends[-1]]
    gap_ends = [starts[0], *map(starts.__getitem__, cuts), len(text)]
    gaps = "".join(map(text.__getitem__, map(slice, gap_starts, gap_ends)))
    if gaps and not gaps.isspace():
        raise ValueError("tokens do not cover the text")
    if not gaps:
        return text
    return "".join(map(text.__getitem__, map(slice, [0, *gap_ends], [*gap_starts, len(text)])))


_UNUSABLE = (ValueError, TypeError, KeyError, IndexError, OverflowError, struct.error)
_WORKER_KEY = "0" * 64


def encode_documents(documents: list[Document]) -> bytes:
    """The documents as a cache entry: how --jobs workers send them to the parent process, which rebuilds
    them far faster than it would unpickle as many dataclasses."""
    import io

    handle = io.BytesIO()
    _write_entry(handle, _WORKER_KEY, documents)
    return handle.getvalue()


def decode_documents(payload: bytes, path: str) -> list[Document]:
    return _decode_entry(payload, _WORKER_KEY, path, None)


def has(key: str) -> bool:
    """Whether the cache holds an entry of this key (not whether it is usable: `read` tells)."""
    try:
        return (entries_dir() / f"{key}{SUFFIX}").is_file()
    except CacheUnavailableError:
        return False


def read(key: str, path: str, doc_id: str | None = None, *, directory: Path | None = None) -> list[Document] | None:
    """The cached documents of one file, or None when missing, unusable or not exactly what the key
    promises (`doc_id`: the id the file's documents must carry, `<doc_id>` or `<doc_id>#<n>`).
    `directory`: another folder of entries than the cache's (a --jobs run's own, under --no-cache)."""
    try:
        with ((directory or entries_dir()) / f"{key}{SUFFIX}").open("rb") as handle:
            stat = known_files.stat_of(os.fstat(handle.fileno()))
            raw = handle.read()
            if known_files.stat_of(os.fstat(handle.fileno())) != stat:
                return None  # written to while read: not an entry jiegui wrote (they are renamed into place)
    except (OSError, CacheUnavailableError):
        return None  # missing: the usual miss
    known = known_files.known() if directory is None else None
    name = known_files.entry_name(key)
    checked = known is not None and known.value(name, stat) == _CHECKED
    try:
        documents = _decode_entry(raw, key, path, doc_id, checked=checked)
    except _UNUSABLE as exc:  # including UTF-8 and JSON errors: any damage the checks above name or not
        _reject(key, path, str(exc))
        return None
    if known is not None and not checked:
        known.remember(name, stat, _CHECKED)
    return documents


_CHECKED = "checked"  # the value of an entry's record in known_files

def _reject(key: str, path: str, reason: str) -> None:
    _log.debug("cache entry %s… of %s not used (%s); rebuilding it", key[:12], printable_path(path), reason)


def _write_atomically(directory: Path, name: str, write: Callable[[Any], object], *, binary: bool = False) -> None:
    """Write `directory/name` through an owner-only (0600) temporary file renamed into place; a failure
    (full disk, read-only folder) only costs the next run time, so it is not an error, and Ctrl-C never
    leaves a partial file behind."""
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=SUFFIX if binary else ".json")
    except OSError:
        return
    _unfinished.add(tmp)
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8")) as handle:
            write(handle)
        os.replace(tmp, directory / name)
    except BaseException as exc:
        _remove(tmp)
        if not isinstance(exc, (OSError, ValueError, OverflowError)):  # documents the format cannot hold
            raise
    finally:
        _unfinished.discard(tmp)


_unfinished: set[str] = set()  # temporary files of the entries being written now, by any thread


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def remove_unfinished() -> None:
    """Remove the temporary files of entries other threads are still writing: for a run that stops while
    a cache writer thread finishes its entry, since the process can end before the thread does. The
    writer then fails to rename its file, which costs nothing but the entry."""
    for tmp in list(_unfinished):
        _remove(tmp)


def write(key: str, documents: list[Document], *, directory: Path | None = None) -> None:
    """Store one file's documents (in `directory` rather than the cache when given); silently nothing
    when the cache cannot be used."""
    if directory is None:
        try:
            directory = entries_dir()
        except CacheUnavailableError:
            return
    _write_atomically(directory, f"{key}{SUFFIX}", lambda handle: _write_entry(handle, key, documents), binary=True)


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
