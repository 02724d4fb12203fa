"""jieba.posseg's HMM: the Viterbi that cuts and tags, together, a run of characters the dictionary does not cover.

jieba.posseg cuts such a run with an HMM whose states are pairs (place in the word: B, M, E or S; tag), so
the tags steer the cut: a preposition is not glued to the noun after it (由/p 市/n). jieba-rs (rjieba) cuts
the same runs with jieba.cut's HMM, which knows only B/M/E/S, then guesses a tag per word (由市/n, 委等/u,
郑小茵为/nr); `Segmenter` cuts those runs again with this model. It reads jieba.posseg's own tables and
computes the same route as `jieba/posseg/viterbi.py` (the same float sums in the same order, ties to the
greater state as its `max` over (score, state) pairs), but looks only at the states that can precede each
allowed state (B/M of the same tag inside a word, E/S before a new one) instead of building sets of all of
them: about 18 µs a character against that file's 250 µs (tests/test_segment.py compares the two).
"""
from __future__ import annotations

import importlib.util
import math
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

MIN_FLOAT = -3.14e100  # jieba's score of an emission its table lacks


@lru_cache(maxsize=1)
def posseg_tables() -> tuple[Callable[..., Any], tuple[Any, ...]]:
    """jieba.posseg's viterbi and tables (char_state_tab, prob_start, prob_trans, prob_emit), loaded from
    their files without `import jieba.posseg` (which also parses dict.txt's 350,000 tags: 0.3 s)."""
    jieba = importlib.util.find_spec("jieba")
    assert jieba is not None and jieba.origin is not None  # a dependency, installed as a package
    folder = Path(jieba.origin).parent / "posseg"

    def load(name: str) -> ModuleType:
        spec = importlib.util.spec_from_file_location(f"_jiegui_posseg_{name}", folder / f"{name}.py")
        assert spec is not None and spec.loader is not None  # a .py file's location always has a loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    tables = tuple(load(name).P for name in ("char_state_tab", "prob_start", "prob_trans", "prob_emit"))
    return load("viterbi").viterbi, tables


class PossegHMM:
    """jieba.posseg's HMM with integer states: `cut(run)` gives the (word, tag) pairs jieba.posseg gives a
    run of Han characters that are not one dictionary word."""

    def __init__(self) -> None:
        _, (char_states, start, transitions, emissions) = posseg_tables()
        # States in descending order, so that jieba's ties (to the greater state) go to the smaller index.
        self.states: list[tuple[str, str]] = sorted(transitions, reverse=True)
        index = {state: i for i, state in enumerate(self.states)}
        self._index = index
        self._trans = [{index[after]: score for after, score in transitions[state].items()} for state in self.states]
        self._live = [bool(row) for row in self._trans]  # jieba drops states with no way out before each step
        # A state inside or at the end of a word (M, E of tag t) can only follow B or M of t; one that opens
        # a word (B, S) only E or S of any tag. Checked here, since the loop below relies on it.
        self._inside: list[tuple[int, ...]] = [
            tuple(sorted((index[("B", tag)], index[("M", tag)]))) if place in "ME" else () for place, tag in self.states
        ]
        self._into: list[dict[int, float]] = [{} for _ in self.states]  # each state's predecessors and their scores
        for before, row in enumerate(self._trans):
            for after, score in row.items():
                self._into[after][before] = score
                inside = self._inside[after]
                if (inside and before not in inside) or (not inside and self.states[before][0] in "BM"):
                    changed = f"{self.states[before]} -> {self.states[after]}"
                    raise AssertionError(f"jieba.posseg's transitions changed: {changed}")
        self._opens = [place in "ES" for place, _ in self.states]  # the states a word can start after
        self._start = [start[state] for state in self.states]
        self._all = tuple(range(len(self.states)))
        self._char_states = char_states
        self._emissions = emissions
        self._chars: dict[str, tuple[tuple[int, ...], list[float]]] = {}

    def _char(self, char: str) -> tuple[tuple[int, ...], list[float]]:
        """The states a character allows (all of them for a character jieba's table lacks), ascending,
        and their emission scores of it."""
        got = self._chars.get(char)
        if got is None:
            allowed = self._char_states.get(char)
            states = self._all if allowed is None else tuple(sorted(self._index[s] for s in allowed))
            got = self._chars[char] = (states, self._emit(char, states))
        return got

    def _emit(self, char: str, states: tuple[int, ...]) -> list[float]:
        return [self._emissions[self.states[i]].get(char, MIN_FLOAT) for i in states]

    def route(self, run: str) -> list[tuple[str, str]] | None:
        """The best state of each character, as jieba.posseg's viterbi finds it; None where that viterbi
        would fail (no state left with a way out).

        Scores are kept in ascending state order and a candidate replaces the best only when strictly
        greater, so a tie goes to the smaller index: jieba's greater state.
        """
        into, inside, live, opens = self._into, self._inside, self._live, self._opens
        states, emit = self._char(run[0])
        scores = {state: self._start[state] + score for state, score in zip(states, emit)}
        steps = []
        for char in run[1:]:
            before = [(state, value) for state, value in scores.items() if live[state]]
            if not before:
                return None
            openers = [(state, value) for state, value in before if opens[state]]
            states, emit = self._char(char)
            new: dict[int, float] = {}
            came_from: dict[int, int] = {}
            for state, score in zip(states, emit):
                moves = into[state]
                best, best_score = -1, -math.inf
                if inside[state]:
                    for previous in inside[state]:
                        value = scores.get(previous)
                        move = moves.get(previous)
                        if value is not None and move is not None and value + move + score > best_score:
                            best, best_score = previous, value + move + score  # jieba's order of the sums
                else:
                    for previous, value in openers:
                        move = moves.get(previous)
                        if move is not None and value + move + score > best_score:
                            best, best_score = previous, value + move + score
                if best >= 0:
                    new[state] = best_score
                    came_from[state] = best
            if not new:  # no allowed state follows: every state the previous ones lead to (jieba's fallback)
                expected = tuple(sorted({after for previous, _ in before for after in self._trans[previous]}))
                for state, score in zip(expected, self._emit(char, expected)):
                    moves = into[state]
                    best, best_score = -1, -math.inf
                    for previous, value in before:
                        move = moves.get(previous)
                        if move is not None and value + move + score > best_score:
                            best, best_score = previous, value + move + score
                    new[state] = best_score
                    came_from[state] = best
            scores = new
            steps.append(came_from)
        state, best_score = -1, -math.inf
        for candidate, value in scores.items():
            if value > best_score:
                state, best_score = candidate, value
        route = [state]
        for came_from in reversed(steps):
            state = came_from[state]
            route.append(state)
        route.reverse()
        return [self.states[i] for i in route]

    def cut(self, run: str) -> list[tuple[str, str]] | None:
        """Words and tags as jieba.posseg's `__cut` makes them from the route: a word ends at E or S and
        takes the tag of its last state; a word left open at the end takes its first state's tag."""
        route = self.route(run)
        if route is None:
            return None
        pieces, begin = [], 0
        for index, (place, tag) in enumerate(route):
            if place in "ES":
                pieces.append((run[begin : index + 1], tag))
                begin = index + 1
        if begin < len(run):
            pieces.append((run[begin:], route[begin][1]))
        return pieces
