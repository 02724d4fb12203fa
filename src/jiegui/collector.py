"""Python's cyclic garbage collector paused around bulk work.

jiegui's bulk steps (making tokens, reading the cache, n-grams, spans, the gazetteer) allocate millions of
small objects that form no cycles. With a corpus in memory, every collection they trigger also walks all
its tokens, which cost more than the work itself; each caller's docstring gives its figure.
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the block (or the decorated function), then as it was before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
