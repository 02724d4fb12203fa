"""Turning a file's bytes into text: BOMs, strict UTF-8, then GB18030 or Big5.

Generic detectors mistake short GBK text for Big5, so the rule is explicit: a BOM wins; then strict UTF-8;
then GB18030, unless its reading is implausible and Big5 reads the bytes cleanly. GB18030 is judged by the
share of its Han characters that lie in GB2312 (the common simplified set): genuine GBK prose is almost all
GB2312, while Big5 bytes read as GBK land in the rare extension rows for every second character or so.
"""
from __future__ import annotations

import codecs

from jiegui.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ENCODING_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "utf8": "utf-8", "big5hkscs": "big5hkscs"}
MIN_GB2312_SHARE = 0.9


def _gb2312_share(text: str) -> float:
    han = [ch for ch in text if "\u3400" <= ch <= "\u9fff"]
    if not han:
        return 1.0
    common = 0
    for ch in han:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(han)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not a text file (UTF-16/32 files are caught by their BOM)."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) // 100)


def decode_bytes(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raise InputError naming the file when it is binary or undecodable."""
    if encoding:
        codec = ENCODING_ALIASES.get(encoding.lower(), encoding)
        try:
            codecs.lookup(codec)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
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
        raise InputError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    gb_text: str | None
    try:
        gb_text = data.decode("gb18030")
    except UnicodeDecodeError:
        gb_text = None
    if gb_text is not None and _gb2312_share(gb_text) >= MIN_GB2312_SHARE:
        return gb_text, "gb18030"
    try:
        return data.decode("big5"), "big5"
    except UnicodeDecodeError:
        pass
    if gb_text is not None:
        return gb_text, "gb18030"
    raise InputError(f"{name}: cannot decode (not UTF-8, UTF-16, GB18030 or Big5); try --encoding")
