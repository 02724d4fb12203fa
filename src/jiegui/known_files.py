"""What the cache remembers of files by their stat, so that a warm run need not read them again: a
corpus file's cache key (no read and hash of its bytes) and a cache entry that passed every check of
`cache.read` (its tokens are not checked again; its digest still is).

A record holds the file's (device, inode, size, mtime_ns, ctime_ns) when it was read, and is used only
while all five are the same. The content of a file cannot change without its ctime changing (the kernel
sets it to the current time on every write, and a file renamed into place is another inode; no call
sets a ctime back), so a record is made only of a file whose ctime and mtime were at least STABLE_NS old
when it was read and whose stat did not change during the read: a change after it then shows as another
ctime even on file systems with coarse timestamps (git's "racily clean" index entries). Anything else
(no record, another stat, another jiegui version, an unreadable record file) falls back to reading the
file. The records are one JSON file in the cache dir (RECORDS), written atomically by a run that learnt
something; concurrent runs may lose each other's records, which only costs the next run the reads.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from jiegui import __version__
from jiegui.errors import CacheUnavailableError
from jiegui.text.segment import cache_dir

RECORDS = "known-files.json"
STABLE_NS = 2 * 10**9  # a file changed this recently may change again within its timestamp's granularity
MAX_RECORDS = 50_000  # the oldest go first: ~200 bytes a record, read in ~2 ms per 1,000
_FORMAT = 1

Stat = tuple[int, int, int, int, int]


def stat_of(result: os.stat_result) -> Stat:
    return (result.st_dev, result.st_ino, result.st_size, result.st_mtime_ns, result.st_ctime_ns)


def stable(stat: Stat) -> bool:
    """Whether a file of this stat, read now, may be remembered (see the module's docstring)."""
    return max(stat[3], stat[4]) <= time.time_ns() - STABLE_NS


def source_name(path: str, doc_id: str, settings: str, encoding: str | None) -> str:
    """A corpus file's record name: what its cache key depends on besides its bytes."""
    return "\0".join(("source", os.path.abspath(path), doc_id, settings, str(encoding)))


def entry_name(key: str) -> str:
    return f"entry\0{key}"


class KnownFiles:
    """The records of one cache dir: name → the stat it was made with and its value (a cache key, or
    "checked" for an entry)."""

    def __init__(self, directory: Path | None, records: dict[str, list[object]]) -> None:
        self.directory = directory
        self.records = records
        self.changed = False

    def value(self, name: str, stat: Stat) -> str | None:
        """The value recorded under `name` for a file of exactly this stat, or None."""
        record = self.records.get(name)
        if record is None or tuple(record[:5]) != stat or type(record[5]) is not str:
            return None
        return record[5]

    def remember(self, name: str, stat: Stat, value: str) -> None:
        """Record `value` for a file of this stat, when it is stable (else nothing)."""
        if stable(stat) and self.value(name, stat) != value:
            self.records.pop(name, None)  # re-inserted last: the newest records are kept longest
            self.records[name] = [*stat, value]
            self.changed = True

    def save(self) -> None:
        """Write the records when this run added some (silently nothing when that is not possible)."""
        if not self.changed or self.directory is None:
            return
        from jiegui import cache

        records = dict(list(self.records.items())[-MAX_RECORDS:])
        text = json.dumps({"format": _FORMAT, "version": __version__, "records": records}, ensure_ascii=False, separators=(",", ":"))
        cache.write_file(RECORDS, text)
        self.changed = False


_known: KnownFiles | None = None


def known() -> KnownFiles:
    """The records of the current cache dir (read once per process and cache dir)."""
    global _known
    try:
        directory: Path | None = cache_dir()
    except CacheUnavailableError:
        directory = None
    if _known is None or _known.directory != directory:
        _known = KnownFiles(directory, _read(directory))
    return _known


def _read(directory: Path | None) -> dict[str, list[object]]:
    if directory is None:
        return {}
    try:
        stored = json.loads((directory / RECORDS).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if type(stored) is not dict or stored.get("format") != _FORMAT or stored.get("version") != __version__:
        return {}
    records = stored.get("records")
    if type(records) is not dict:
        return {}
    return {name: record for name, record in records.items()
            if type(record) is list and len(record) == 6 and all(type(n) is int for n in record[:5])}
