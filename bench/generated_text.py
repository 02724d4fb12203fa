"""Text for the benchmarks: paragraphs made of random sentences of the bundled corpus.

Paragraphs are recombined from sentences, not copied whole, so that they are (almost) all distinct:
jiegui drops exact duplicate paragraphs, and a benchmark of copied paragraphs would measure that
instead of the processing.
"""
from __future__ import annotations

import random
from pathlib import Path

import regex

REPO = Path(__file__).resolve().parents[1]
_SENTENCE = regex.compile(r"[^。！？\n]+[。！？]")


def corpus_sentences() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").glob("*.txt")))
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.strip()) >= 12]


def paragraphs(rng: random.Random, sentences: list[str]):
    """An endless stream of paragraphs of 2-6 random sentences."""
    while True:
        yield "".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
