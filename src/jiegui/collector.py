"""Python's cyclic garbage collector paused around bulk work.

jiegui's bulk steps (making tokens, reading the cache, n-grams, spans, the gazetteer) allocate millions of
small objects that form no cycles. With a corpus in memory, every collection they trigger also walks all
its tokens, which cost more than the work itself; each caller's docstring gives its figure.
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


_keep_made = False  # see keep_what_is_made


def keep_what_is_made() -> None:
    """Freeze (`gc.freeze`) the objects alive now, and from now on those each `collector_paused(made=True)`
    block leaves alive: for a process that holds its corpus until it exits (the CLI). Frozen objects are
    still freed by reference counting; the collector only never walks them again. Token objects (tuples
    of a subclass) are never untracked, so two million of them made after the corpus was frozen (tokens
    made when an analysis first walks them) would be walked by every full collection: 1–2 s of CPU per
    warm command on a 10 MB corpus."""
    global _keep_made
    _keep_made = True
    gc.freeze()


@contextlib.contextmanager
def collector_paused(*, made: bool = False) -> Iterator[None]:
    """The cyclic collector off for the block (or the decorated function), then as it was before.
    `made`: the block makes objects that stay (a document's tokens), frozen after it once the process
    keeps what it makes (`keep_what_is_made`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if made and _keep_made:
            gc.freeze()
        if enabled:
            gc.enable()
