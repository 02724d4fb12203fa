import codecs

import pytest

from jiegui.decode import decode_bytes
from jiegui.errors import InputError

SIMPLIFIED = "2016年，嘉兴市引进来自上海的内资项目220个，总投资近1000亿元。"
TRADITIONAL = "臺灣的經濟發展與上海合作，會議在臺北舉行。"


@pytest.mark.parametrize(
    "data, expected_encoding",
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        ("短".encode("gbk"), "gb18030"),  # two bytes that are valid Big5 too: GBK must win
        ("平湖".encode("gbk"), "gb18030"),
    ],
)
def test_detects_encoding(data, expected_encoding):
    text, encoding = decode_bytes(data, name="f.txt")
    assert encoding == expected_encoding
    assert text in (SIMPLIFIED, "短", "平湖")


def test_detects_big5():
    assert decode_bytes(TRADITIONAL.encode("big5"), name="t.txt") == (TRADITIONAL, "big5")


def test_forced_encoding():
    assert decode_bytes(SIMPLIFIED.encode("gbk"), name="f.txt", encoding="GBK")[0] == SIMPLIFIED


def test_forced_wrong_encoding_names_file():
    with pytest.raises(InputError, match=r"f\.txt: cannot be decoded as utf-8"):
        decode_bytes(SIMPLIFIED.encode("gbk"), name="f.txt", encoding="utf-8")


def test_unknown_encoding():
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        decode_bytes(b"abc", name="f.txt", encoding="klingon")


def test_binary_file():
    with pytest.raises(InputError, match=r"img\.txt: binary file"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="img.txt")
