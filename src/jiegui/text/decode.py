"""Turning a file's bytes into text: BOMs, strict UTF-8, then GB18030 or Big5 (or UTF-16 without a BOM).

Generic detectors mistake short GBK text for Big5 and short Big5 text for GBK, so the rule is explicit: a
BOM wins; then strict UTF-8; then whichever of GB18030 and Big5 reads the bytes as the more plausible
Chinese, GB18030 on a tie. Plausible means made of common characters: the Han characters of GB2312's
level 1 (its 3,755 most frequent simplified characters) or of Big5's level 1 (its 5,401 most frequent
traditional ones), plus ASCII and Chinese punctuation. Each encoding misread as the other lands in what
neither level holds: Big5 bytes read as GBK give kana, Cyrillic, Greek, pinyin letters, box drawing,
private-use and rare Han characters (`今年投資五億元。` reads as さ, a private-use character, щ, 戈, き, 货,
じ and another private-use one); GBK bytes read as Big5 give level-2 characters or fail to decode.
"""
from __future__ import annotations

import codecs
import os
import re
from functools import lru_cache

from jiegui.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ENCODING_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "utf8": "utf-8", "big5hkscs": "big5hkscs"}
# A UTF-16 reading is accepted only when at most this share of its characters is uncommon (random byte
# pairs read as UTF-16 are nearly all uncommon: Hangul, private use, rare Han).
MAX_UTF16_UNCOMMON = 0.2
SAMPLE_CHARS = 100_000  # enough to tell two readings apart; a 100 MB file need not be judged whole


def _is_neutral(ch: str) -> bool:
    """ASCII, and the punctuation both Chinese encodings hold: no evidence for either reading."""
    return ch < "\x80" or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e" or "\u2010" <= ch <= "\u2027"


@lru_cache(maxsize=None)  # a few thousand distinct characters, judged millions of times in a big file
def _is_common(ch: str) -> bool:
    """A Han character of GB2312 level 1 (rows 16–55, lead bytes B0–D7) or Big5 level 1 (A440–C67E)."""
    if not "\u4e00" <= ch <= "\u9fff":
        return False
    try:
        if 0xB0 <= ch.encode("gb2312")[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        return 0xA440 <= int.from_bytes(ch.encode("big5"), "big") <= 0xC67E
    except UnicodeEncodeError:
        return False


def uncommon_share(text: str) -> float:
    """The share of a text's non-neutral characters that are not common Chinese (0 = all common), judged
    on its first SAMPLE_CHARS characters."""
    judged = [ch for ch in text[:SAMPLE_CHARS] if not _is_neutral(ch) and not ch.isspace()]
    if not judged:
        return 0.0
    return sum(1 for ch in judged if not _is_common(ch)) / len(judged)


def text_codec(encoding: str) -> str:
    """The Python codec for a user's encoding name; InputError when unknown or not a text encoding."""
    codec = ENCODING_ALIASES.get(encoding.lower(), encoding)
    try:
        info = codecs.lookup(codec)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    if not info._is_text_encoding:  # rot13, base64, hex, zlib…: codecs, but not character encodings
        raise InputError(f"{encoding!r} is not a text encoding")
    return codec


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not a text file (UTF-16/32 files are caught by their BOM)."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROLS))  # the control bytes left, counted at C speed
    return controls > max(8, len(sample) // 100)


# Every byte but the control characters a text file does not hold (tab, newline, form feed, carriage return and escape stay)
_NOT_CONTROLS = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 12, 13, 27)))


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")


def _decoded(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """A plausible UTF-16 reading of BOM-less bytes (little- or big-endian), else None."""
    if len(data) % 2:
        return None
    readings = [(text, codec) for codec in ("utf-16-le", "utf-16-be") if (text := _decoded(data, codec)) is not None]
    readings = [(uncommon_share(text), text, codec) for text, codec in readings if text.strip()]
    if not readings:
        return None
    share, text, codec = min(readings)
    return (text, codec) if share <= MAX_UTF16_UNCOMMON else None


def decode_bytes(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raise InputError naming the file when it is binary or undecodable."""
    if encoding:
        codec = text_codec(encoding)
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: cannot be decoded as {encoding} (byte {exc.start})") from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid {codec} after its byte-order mark (byte {exc.start})") from None
            return text.lstrip("\ufeff"), codec
    if looks_binary(data):
        if (utf16 := _utf16_without_bom(data)) is not None:
            return utf16
        if b"\x00" in data[:8192] and _nuls_alternate(data[:8192]):
            raise InputError(f"{name}: looks like UTF-16 without a byte-order mark but does not decode as such; "
                             "give its encoding, utf-16-le or utf-16-be", parameter="encoding")
        raise InputError(f"{name}: binary file, not text")
    if (text := _decoded(data, "utf-8")) is not None:
        # Han-only UTF-16 can be all bytes below 0x80 (嘉 = 09 56): valid UTF-8, but full of control characters
        if _CONTROLS.search(text) and (utf16 := _utf16_without_bom(data)) is not None:
            return utf16
        return text, "utf-8"
    readings = [(uncommon_share(text), rank, text, codec)
                for rank, codec in enumerate(("gb18030", "big5")) if (text := _decoded(data, codec)) is not None]
    best = min(readings, default=None)  # fewest uncommon characters; GB18030 on a tie
    if (best is None or best[0] > 0.5) and (utf16 := _utf16_without_bom(data)) is not None:
        return utf16
    if best is not None:
        return best[2], best[3]
    raise InputError(f"{name}: cannot decode (not UTF-8, UTF-16, GB18030 or Big5); give its encoding", parameter="encoding")


def _nuls_alternate(sample: bytes) -> bool:
    """NUL bytes mostly at even or mostly at odd offsets: the mark of UTF-16 text with ASCII in it."""
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    return max(even, odd) >= 4 * max(1, min(even, odd))


def printable_path(path: os.PathLike[str] | str) -> str:
    """A path as printable text: bytes of its name that are not UTF-8 (a GBK name from a Windows zip)
    written as `\\xNN`, never as the lone surrogates Python keeps them in (they cannot be printed)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def decode_name(name: str) -> str:
    """A file name as a person would read it: UTF-8, else the plausible GB18030 or Big5 reading of its
    bytes (`gbk\\xc6\\xbd\\xba\\xfe` → `gbk平湖`), else its printable form."""
    raw = os.fsencode(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    readings = [(uncommon_share(text), rank, text)
                for rank, codec in enumerate(("gb18030", "big5")) if (text := _decoded(raw, codec)) is not None]
    return min(readings)[2] if readings else printable_path(name)
