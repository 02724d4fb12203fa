"""Word segmentation: owns one private `jieba.Tokenizer`, never jieba's module-level globals.

jieba's own prefix-dictionary cache is written to the user cache dir (not a shared /tmp file), and its
DEBUG log lines are silenced so they never reach the user's terminal.
"""
from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from jiegui.errors import InputError
from jiegui.models import Token
from jiegui.traditional import to_simplified

DATA = resources.files("jiegui") / "data"


def cache_dir() -> Path:
    """The per-user cache directory (owner-only), overridable with JIEGUI_CACHE_DIR."""
    override = os.environ.get("JIEGUI_CACHE_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_cache_path

        path = user_cache_path("jiegui", appauthor=False)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _read_words(path: Path | str, *, what: str) -> list[str]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{what} file not found: {path}") from None
    except UnicodeDecodeError:
        raise InputError(f"{what} file is not UTF-8: {path}") from None
    return [line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")]


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
        for path in (*self.settings.userdicts, *self.settings.stopword_files):
            if not Path(path).is_file():
                raise InputError(f"file not found: {path}")

    @cached_property
    def _pos_tokenizer(self):
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)  # jieba sets its logger to DEBUG on import
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = str(cache_dir())
        tokenizer.cache_file = "jieba.dict.cache"
        tokenizer.initialize()
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


def _shared_tags_pos_tokenizer_class():
    import jieba.posseg

    class SharedTagsPOSTokenizer(jieba.posseg.POSTokenizer):
        """A POSTokenizer that copies the word tags `import jieba.posseg` has already read.

        Importing jieba.posseg builds a module-level tokenizer that parses dict.txt's 350,000 tags;
        a second POSTokenizer over the same default dictionary would parse them again (0.4–0.6 s of
        every cold run and of every --jobs worker).
        """

        def load_word_tag(self, f) -> None:
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
