"""Word segmentation and POS tagging: rjieba (jieba-rs, the Rust port of jieba), one engine for every run.

jieba-rs carries jieba's dictionary, its DAG + HMM algorithm and its tag set, and tags about 25 times
faster than `jieba.posseg` (docs/segmentation.md gives the measured agreement). Each `Segmenter` owns
its own `rjieba.Jieba`, never the module-level default one, so user dictionaries never leak between
segmenters.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from jiegui.text.decode import printable_path
from jiegui.errors import CacheUnavailableError, InputError
from jiegui.models import Token
from jiegui.text.traditional import to_simplified

if TYPE_CHECKING:
    import rjieba

DATA = resources.files("jiegui") / "data"


def cache_dir() -> Path:
    """The per-user cache directory (owner-only), overridable with JIEGUI_CACHE_DIR.

    Raises CacheUnavailableError when it cannot be created or written (a file, /dev/null, a read-only
    folder or a path under a file): the callers then work without a cache.
    """
    override = os.environ.get("JIEGUI_CACHE_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_cache_path

        path = user_cache_path("jiegui", appauthor=False)
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not os.access(path, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CacheUnavailableError(f"cache directory {printable_path(path)} cannot be used ({reason})") from None
    return path


# jieba's dictionary cache and its temporary files, in their own folder: written by jiegui before 0.3
# (the Python jieba engine); `jiegui cache clear` still removes them.
JIEBA_DIR = "jieba"
JIEBA_CACHE = "jieba.dict.cache"
JIEBA_TEMPORARY = re.compile(r"tmp[a-z0-9_]{8}")  # tempfile.mkstemp's default names

# jieba's user-dictionary line (jieba.re_userdict): a word (it may hold spaces), an optional frequency
# and an optional tag, each after one space.
USERDICT_LINE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")


def _read_words(path: Path | str, *, what: str) -> list[str]:
    check_word_file(path, what=what)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{what} file is not UTF-8: {path}") from None
    except OSError as exc:
        raise InputError(f"{what} file {path}: cannot read ({exc.strerror})") from None
    return [line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")]


def check_word_file(path: Path | str, *, what: str) -> None:
    """A dictionary or word list must be a regular file: say what it is when it is not."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(f"{what} file not found: {path}") from None
    except OSError as exc:
        raise InputError(f"{what} file {path}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{what} file {path} is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise InputError(f"{what} file {path} is not a regular file (a device, FIFO or socket)")


@dataclass(frozen=True)
class SegmenterSettings:
    """What changes the tokens: part of every cache key."""

    userdicts: tuple[str, ...] = ()
    stopword_files: tuple[str, ...] = ()

    def fingerprint(self) -> str:
        return _fingerprint(self)


@lru_cache(maxsize=8)
def _fingerprint(settings: SegmenterSettings) -> str:
    """Hash of the engines, the dictionaries' and stopword lists' contents (rjieba's dictionary and
    jieba.posseg's HMM, which re-cuts unknown names, change with their versions)."""
    from importlib.metadata import version  # not `import rjieba`: a warm run never loads the engine

    digest = hashlib.sha256(f"rjieba {version('rjieba')} jieba {version('jieba')}".encode())
    for path in (str(DATA / "userdict.txt"), str(DATA / "stopwords.txt"), *settings.userdicts, *settings.stopword_files):
        digest.update(path.encode())
        digest.update(Path(path).read_bytes() if Path(path).is_file() else b"-")
    return digest.hexdigest()[:16]


@dataclass
class Segmenter:
    """rjieba with the packaged domain dictionary, user dictionaries and stopwords."""

    settings: SegmenterSettings = field(default_factory=SegmenterSettings)

    def __post_init__(self) -> None:
        for path in self.settings.userdicts:
            check_word_file(path, what="user dictionary")
        for path in self.settings.stopword_files:
            check_word_file(path, what="stopword")

    @cached_property
    def _engine(self) -> tuple[rjieba.Jieba, dict[str, str]]:
        """The rjieba tokenizer with every user dictionary loaded, and the tags it cannot hold.

        jieba-rs's `add_word` keeps the dictionary's tag of a word it already has (嘉兴/nr stays nr
        after `嘉兴 5 ns`), where jieba replaces it: those tags are kept here and applied to its output.
        """
        import rjieba

        engine = rjieba.Jieba()
        retagged: dict[str, str] = {}
        for path in (str(DATA / "userdict.txt"), *self.settings.userdicts):
            for word, freq, tag in _userdict_entries(path):
                known = engine.has_word(word)
                engine.add_word(word, freq, tag)
                if tag is not None and known:
                    retagged[word] = tag
        return engine, retagged

    @cached_property
    def _tags(self) -> dict[str, str]:
        """One string object per tag, for every token of every text."""
        return {}

    @cached_property
    def _names(self) -> dict[str, list[tuple[str, str]]]:
        return {}

    def _name_pieces(self, word: str) -> list[tuple[str, str]]:
        """An unknown name of 3+ characters cut again by jieba.posseg's HMM (words and tags together).

        jieba-rs finds unknown words with jieba.cut's HMM, which often glues the next character to a
        name (郑小茵为/nr); jieba.posseg cuts such runs with its own HMM, whose states carry
        the tag, and keeps the name apart (郑小茵/nr 为/p). Only these words are cut again: jieba.posseg's HMM runs in
        Python, and the words are few (one in ~1,000 characters of news).
        """
        viterbi, model = _posseg_model()
        _, states = viterbi(word, *model)
        pieces, begin = [], 0
        for index, (position, tag) in enumerate(states):
            if position in "ES":
                pieces.append((word[begin : index + 1], tag))
                begin = index + 1
        if begin < len(word):
            pieces.append((word[begin:], states[begin][1]))
        self._names[word] = pieces
        return pieces

    def _tag(self, tag: str) -> str:
        return self._tags.setdefault(tag, tag or "x")  # a user's new word without a tag is x, as in jieba

    @cached_property
    def stopwords(self) -> frozenset[str]:
        words = _read_words(str(DATA / "stopwords.txt"), what="stopword")
        for path in self.settings.stopword_files:
            words += _read_words(path, what="stopword")
        return frozenset(words)

    def tokenize(self, text: str) -> list[Token]:
        """Tokens with jieba POS tags and offsets into `text`; whitespace is not a token.

        Traditional text is segmented in its Simplified form (same length), and each token keeps the
        original characters, so `text[start:end] == token.text` always holds.
        """
        engine, retagged = self._engine
        analysed = to_simplified(text)
        pairs = engine.tag(analysed, True)
        tokens: list[Token] = []
        append = tokens.append
        strings: dict[str, str] = {}  # one object per distinct word: a 100 MB text repeats them millions of times
        intern = strings.setdefault
        tags = self._tags
        original = analysed is not text
        start = 0
        for word, tag in pairs:
            end = start + len(word)
            if tag != "x" or not word.isspace():  # whitespace is tagged x
                if retagged and word in retagged:
                    tag = retagged[word]
                elif tag == "nr" and len(word) > 2 and not engine.has_word(word):
                    pieces = self._names.get(word) or self._name_pieces(word)
                    if len(pieces) > 1:
                        for piece, piece_tag in pieces:
                            piece_end = start + len(piece)
                            surface = text[start:piece_end] if original else piece
                            append(new_token(Token, (intern(surface, surface), tags.get(piece_tag) or self._tag(piece_tag), start, piece_end)))
                            start = piece_end
                        continue
                surface = text[start:end] if original else word
                append(new_token(Token, (intern(surface, surface), tags.get(tag) or self._tag(tag), start, end)))
            start = end
        if start != len(text):  # jieba-rs returns slices of its input, so this cannot happen; never emit a wrong offset
            raise AssertionError(f"rjieba's tokens cover {start} of {len(text)} characters")
        return tokens

    def words(self, tokens: Iterable[Token]) -> list[str]:
        """Content words: no stopwords, punctuation, numbers or whitespace."""
        return [t.text for t in tokens if is_content_word(t, self.stopwords)]


def _userdict_entries(path: str) -> list[tuple[str, int | None, str | None]]:
    """(word, frequency, tag) of each line of a jieba user dictionary, read as jieba reads it.

    A missing frequency is None (the engine computes one that keeps the word whole, jieba's
    `suggest_freq`); a missing tag is None (a new word is then tagged x, as jieba tags it).
    """
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"bad user dictionary {path}: not UTF-8") from None
    except OSError as exc:
        raise InputError(f"user dictionary file {path}: cannot read ({exc.strerror})") from None
    entries = []
    for line in text.lstrip("\ufeff").splitlines():
        line = line.strip()
        if not line:
            continue
        match = USERDICT_LINE.match(line)
        assert match is not None  # `^(.+?)` matches any non-empty line, the rest is optional
        word, freq, tag = match.groups()
        entries.append((word, int(freq) if freq else None, tag.strip() if tag else None))
    return entries


@lru_cache(maxsize=1)
def _posseg_model() -> tuple[Callable[..., Any], tuple[Any, ...]]:
    """jieba.posseg's HMM: its viterbi and tables, loaded from their files without `import jieba.posseg`
    (which also parses dict.txt's 350,000 tags: 0.3 s)."""
    import importlib.util

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


# A token built by tuple.__new__ at C speed (Token is a NamedTuple): Token(...) would run the named
# tuple's Python-level __new__, a call more per token.
new_token: Callable[[type[Token], tuple[str, str, int, int]], Token] = tuple.__new__


def is_content_word(token: Token, stopwords: frozenset[str] | set[str]) -> bool:
    """A word worth counting: at least one letter or Han character, not a stopword, not a number."""
    text = token.text
    if text in stopwords or token.pos in ("x", "m", "w", "uj", "ul", "p", "c", "u", "r"):
        return False
    return any(ch.isalpha() for ch in text)


def load_word_list(paths: Sequence[str]) -> list[str]:
    return [w for p in paths for w in _read_words(p, what="word list")]
