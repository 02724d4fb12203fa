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
from functools import cached_property, lru_cache, partial
from importlib import resources
from itertools import accumulate, compress, count, repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from jiegui.collector import collector_paused
from jiegui.text.decode import printable_path
from jiegui.errors import CacheUnavailableError, InputError
from jiegui.models import LazyTuple, Token
from jiegui.text.posseg_hmm import PossegHMM
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

# Han characters as jieba's HMMs see them (jieba.posseg's re_han_detail)
HAN_RUN = re.compile("[\u4e00-\u9fd5]+")


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
    jieba.posseg's HMM, which re-cuts the runs of unknown words, change with their versions)."""
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
    def _tags(self) -> _TagStrings:
        """One string object per tag, for every token of every text."""
        return _TagStrings()

    @cached_property
    def _hmm(self) -> PossegHMM:
        return PossegHMM()

    @cached_property
    def _checked(self) -> tuple[set[str], set[str]]:
        """The distinct words seen, and those of them that are unknown: 2+ Han characters, not in the
        dictionary (words jieba-rs's HMM made)."""
        return set(), set()

    @cached_property
    def _runs(self) -> dict[str, list[tuple[str, str]] | None]:
        """jieba.posseg's cut of each unknown run seen, per distinct run (they repeat: names)."""
        return {}

    def _recut_unknown_runs(self, words: list[str], tags: list[str]) -> tuple[list[str], list[str]]:
        """The words and tags of jieba.posseg in every run of characters its dictionary does not cover.

        jieba and jieba-rs follow the same dictionary route; the characters it leaves single form runs,
        which both cut with an HMM. jieba-rs uses jieba.cut's HMM, which has no tags: it glues a
        preposition, numeral or pronoun to the next character (由市/n, 两省/n, 这一/r), a particle to an
        abbreviation (委等/u), the next character to an unknown name (郑小茵为/nr, 钟笑/nr 眉为/p), and
        cuts some names that jieba.posseg keeps whole. jieba.posseg's HMM cuts and tags at once
        (由/p 市/n, 钟笑眉/nr 为/p), and the analyses were written on its output: a run holding an
        unknown word is cut again with it (`posseg_hmm.PossegHMM`). A run is the maximal sequence of
        unknown words and single Han characters; digits and letters end it, as they end jieba.posseg's.
        The tokens are scanned at C speed (sets, `compress`); Python code runs only around the runs.
        """
        distinct = set(words)
        checked, unknown_words = self._checked
        fresh = distinct - checked
        if fresh:
            if len(checked) > 500_000:  # bounded on a huge corpus
                checked.clear()
                unknown_words.clear()
            has_word = self._engine[0].has_word
            unknown_words.update(w for w in fresh if len(w) > 1 and HAN_RUN.fullmatch(w) and not has_word(w))
            checked |= fresh
        here = distinct & unknown_words
        if not here:
            return words, tags

        def in_run(index: int) -> bool:
            word = words[index]
            return "\u4e00" <= word <= "\u9fd5" if len(word) == 1 else word in here

        runs = self._runs
        new_words: list[str] = []
        new_tags: list[str] = []
        done = 0  # words[:done] are in the result
        for index in compress(count(), map(here.__contains__, words)):
            if index < done:
                continue  # inside the run just cut
            first = index
            while first > done and in_run(first - 1):
                first -= 1
            last = index + 1
            while last < len(words) and in_run(last):
                last += 1
            run = "".join(words[first:last])
            pieces = runs.get(run, ())
            if pieces == ():
                if len(runs) > 200_000:
                    runs.clear()
                pieces = runs[run] = self._hmm.cut(run)
            new_words += words[done:first]
            new_tags += tags[done:first]
            if pieces is None:
                new_words += words[first:last]
                new_tags += tags[first:last]
            else:
                new_words += map(itemgetter(0), pieces)
                new_tags += map(itemgetter(1), pieces)
            done = last
        new_words += words[done:]
        new_tags += tags[done:]
        return new_words, new_tags

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
        return list(self.lazy_tokens(text))

    def lazy_tokens(self, text: str) -> SegmentedTokens:
        """`tokenize`'s tokens, segmented now and made as Token objects when first walked (`LazyTuple`): a
        run that never looks at them (`jiegui corpus --no-cache`) does not make them (a 5 MB corpus: a
        third of the time segmenting takes)."""
        engine, retagged = self._engine
        analysed = to_simplified(text)
        # two tuples per word (rjieba's pair, the token) ran the collector every ~350 words and a full
        # collection every hundredth time: 0.7 s of a 5.5 s cold run on 5 MB (2,336 collections, 19 full)
        with collector_paused():
            pairs = engine.tag(analysed, True)
            words, tags = self._recut_unknown_runs(list(map(itemgetter(0), pairs)), list(map(itemgetter(1), pairs)))
            del pairs
        covered = sum(map(len, words))
        if covered != len(text):  # jieba-rs returns slices of its input: never emit a wrong offset
            raise AssertionError(f"rjieba's tokens cover {covered} of {len(text)} characters")
        spaces = [k for k in compress(count(), map(str.isspace, words)) if tags[k] == "x"]  # whitespace is tagged x
        return SegmentedTokens(len(words) - len(spaces), partial(self._columns, text, analysed, words, tags, spaces, retagged))

    def _columns(self, text: str, analysed: str, words: list[str], tags: list[str], spaces: list[int],
                 retagged: dict[str, str]) -> TokenColumns:
        """The columns of the tokens: the words and tags but the `spaces`, at C speed (`map`, `accumulate`,
        `compress`: no Python code per token)."""
        ends = list(accumulate(map(len, words)))
        starts = [0, *ends[:-1]]  # each start the same int object as the end before it
        if retagged:
            tags = list(map(retagged.get, words, tags))  # dict.get(word, default): the tag unless retagged
        surfaces = words if analysed is text else list(map(text.__getitem__, map(slice, starts, ends)))
        strings: dict[str, str] = {}  # one object per distinct word: a 100 MB text repeats them millions of times
        texts = list(map(strings.setdefault, surfaces, surfaces))
        tags = list(map(self._tags.__getitem__, tags))
        if not spaces:
            return TokenColumns(texts, tags, starts, ends)
        kept = [True] * len(words)
        for k in spaces:
            kept[k] = False
        return TokenColumns(list(compress(texts, kept)), list(compress(tags, kept)), list(compress(starts, kept)), list(compress(ends, kept)))

    def words(self, tokens: Iterable[Token]) -> list[str]:
        """Content words: no stopwords, punctuation, numbers or whitespace."""
        return [t.text for t in tokens if is_content_word(t, self.stopwords)]


@dataclass(frozen=True, slots=True)
class TokenColumns:
    """A text's tokens as columns (surfaces, tags, starts, ends): what the cache entry is written from."""

    texts: list[str]
    tags: list[str]
    starts: list[int]
    ends: list[int]


class SegmentedTokens(LazyTuple[Token]):
    """The tokens of a text segmented in this run: their columns, computed when first asked for, and the
    Token objects, made from them when first walked (`LazyTuple`). The cache writer reads the columns,
    so a run that writes the cache and never walks the tokens (`jiegui corpus`) makes no Token."""

    __slots__ = ("_source",)

    def __init__(self, length: int, compute: Callable[[], TokenColumns]) -> None:
        source = _ColumnsSource(compute)  # no reference back to self: no cycle for the collector to find
        super().__init__(length, source.tokens)
        self._source: _ColumnsSource | None = source

    def columns(self) -> TokenColumns | None:
        """The columns, None once the Token objects are made (read those then)."""
        source = self._source  # read once: another thread (the cache writer's) may make the tokens meanwhile
        return None if source is None or self._items is not None else source.columns()

    def _all(self) -> tuple[Token, ...]:
        items = super()._all()
        self._source = None  # the tokens hold what the columns held
        return items


class _ColumnsSource:
    __slots__ = ("_compute", "_columns")

    def __init__(self, compute: Callable[[], TokenColumns]) -> None:
        self._compute: Callable[[], TokenColumns] | None = compute
        self._columns: TokenColumns | None = None

    def columns(self) -> TokenColumns:
        if self._columns is None:
            compute = self._compute
            assert compute is not None  # set until the columns are
            with collector_paused():
                self._columns = compute()
            self._compute = None
        return self._columns

    def tokens(self) -> tuple[Token, ...]:
        columns = self.columns()
        return tuple(map(new_token, repeat(Token), zip(columns.texts, columns.tags, columns.starts, columns.ends)))


class _TagStrings(dict[str, str]):
    """Each tag's one string object, by the tag rjieba gives (a user's new word without a tag is x, as in jieba)."""

    def __missing__(self, tag: str) -> str:
        value = self[tag] = tag or "x"
        return value


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
