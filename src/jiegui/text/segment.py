"""Word segmentation: owns one private `jieba.Tokenizer`, never jieba's module-level globals.

jieba's own prefix-dictionary cache is written to the user cache dir (not a shared /tmp file), and its
DEBUG log lines are silenced so they never reach the user's terminal.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jiegui.text.decode import printable_path
from jiegui.errors import CacheUnavailableError, InputError
from jiegui.models import Token
from jiegui.text.traditional import to_simplified

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


JIEBA_DIR = "jieba"  # jieba's dictionary cache and its temporary files: a folder of their own
JIEBA_CACHE = "jieba.dict.cache"


def _initialize(tokenizer: Any) -> None:
    """Build jieba's prefix dictionary, from its cache file in the user cache dir when possible.

    jieba writes the cache through `tempfile.mkstemp` (`tmp` + 8 characters) in the cache file's folder
    and leaves that file behind when the write fails (a full disk) or is interrupted (Ctrl-C), and logs
    the failure with a traceback. Its files live in their own folder, so the temporary files this build
    created are known and removed whatever happens, and jieba's logger is silenced: a cache it cannot
    write only costs the next run time. Without a usable cache dir, the dictionary is built in memory.
    """
    try:
        folder = cache_dir() / JIEBA_DIR
        folder.mkdir(exist_ok=True, mode=0o700)
    except (CacheUnavailableError, OSError):
        tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
        tokenizer.initialized = True
        return
    tokenizer.cache_file = str(folder / JIEBA_CACHE)
    before = set(_jieba_temporary_files(folder))
    try:
        tokenizer.initialize()
    finally:
        for path in set(_jieba_temporary_files(folder)) - before:
            path.unlink(missing_ok=True)


def _jieba_temporary_files(folder: Path) -> list[Path]:
    try:
        return [folder / name for name in os.listdir(folder) if JIEBA_TEMPORARY.fullmatch(name)]
    except OSError:
        return []


JIEBA_TEMPORARY = re.compile(r"tmp[a-z0-9_]{8}")  # tempfile.mkstemp's default names


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
    """Hash of the dictionaries' and stopword lists' contents (jieba's own dictionary changes with its version)."""
    from importlib.metadata import version  # not `import jieba`: that costs 0.1 s on a warm run

    digest = hashlib.sha256(version("jieba").encode())
    for path in (str(DATA / "userdict.txt"), str(DATA / "stopwords.txt"), *settings.userdicts, *settings.stopword_files):
        digest.update(path.encode())
        digest.update(Path(path).read_bytes() if Path(path).is_file() else b"-")
    return digest.hexdigest()[:16]


@dataclass
class Segmenter:
    """jieba with the packaged domain dictionary, user dictionaries and stopwords."""

    settings: SegmenterSettings = field(default_factory=SegmenterSettings)

    def __post_init__(self) -> None:
        for path in self.settings.userdicts:
            check_word_file(path, what="user dictionary")
        for path in self.settings.stopword_files:
            check_word_file(path, what="stopword")

    @cached_property
    def _pos_tokenizer(self) -> Any:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.CRITICAL)  # jieba sets its logger to DEBUG on import; it logs only DEBUG and failures to write its cache
        tokenizer = jieba.Tokenizer()
        _initialize(tokenizer)
        pos_tokenizer = _shared_tags_pos_tokenizer_class()(tokenizer)
        for path in (str(DATA / "userdict.txt"), *self.settings.userdicts):
            try:
                tokenizer.load_userdict(path)
            except (ValueError, UnicodeDecodeError) as exc:
                raise InputError(f"bad user dictionary {path}: {exc}") from None
        return pos_tokenizer

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
        analysed = to_simplified(text)
        tokens: list[Token] = []
        strings: dict[str, str] = {}  # one object per distinct word and tag: a 100 MB text repeats them millions of times
        cursor = 0
        for pair in self._pos_tokenizer.cut(analysed):
            word = pair.word
            start = analysed.find(word, cursor)
            if start < 0:  # jieba altered the surface; skip rather than emit a wrong offset
                continue
            cursor = start + len(word)
            if not word.isspace():
                surface = text[start:cursor]
                tag = pair.flag
                tokens.append(Token(strings.setdefault(surface, surface), strings.setdefault(tag, tag), start, cursor))
        return tokens

    def words(self, tokens: Iterable[Token]) -> list[str]:
        """Content words: no stopwords, punctuation, numbers or whitespace."""
        return [t.text for t in tokens if is_content_word(t, self.stopwords)]


def _shared_tags_pos_tokenizer_class() -> type[Any]:
    import jieba.posseg

    class SharedTagsPOSTokenizer(jieba.posseg.POSTokenizer):
        """A POSTokenizer that copies the word tags `import jieba.posseg` has already read.

        Importing jieba.posseg builds a module-level tokenizer that parses dict.txt's 350,000 tags;
        a second POSTokenizer over the same default dictionary would parse them again (0.4–0.6 s of
        every cold run and of every --jobs worker).
        """

        def load_word_tag(self, f: Any) -> None:
            f.close()
            self.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)

    return SharedTagsPOSTokenizer


def is_content_word(token: Token, stopwords: frozenset[str] | set[str]) -> bool:
    """A word worth counting: at least one letter or Han character, not a stopword, not a number."""
    text = token.text
    if text in stopwords or token.pos in ("x", "m", "w", "uj", "ul", "p", "c", "u", "r"):
        return False
    return any(ch.isalpha() for ch in text)


def load_word_list(paths: Sequence[str]) -> list[str]:
    return [w for p in paths for w in _read_words(p, what="word list")]
