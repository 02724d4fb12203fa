import codecs

import pytest

from jiegui.text.decode import decode_bytes
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


# Short Traditional phrases of news and daily prose (written for this test), each a few Big5 bytes that
# GB18030 also decodes: the reading must be the Big5 one.
BIG5_PHRASES = [
    "今年投資五億元。我們的學校有三百人。", "今年投資五億元。", "我們的學校有三百人。", "臺北市政府今天宣布。",
    "這家公司的營業額成長了兩成。", "颱風將在明天登陸。", "經濟部長出席會議。", "請問火車站在哪裡？",
    "他們在香港開了一間餐廳。", "學生們參觀了博物館。", "銀行調整了存款利率。", "醫院增加了三十張病床。",
    "高雄港的貨櫃量創新高。", "這本書很有意思。", "選舉結果明天公布。", "政府補助農民一億元。",
    "電腦價格下降了。", "我們明天見。", "新竹科學園區的廠商。", "總統發表新年談話。",
]
# Short Simplified phrases in GBK: they must stay GB18030.
GBK_PHRASES = [
    "短", "平湖", "嘉兴", "海宁市", "今年投资五亿元。", "我们的学校有三百人。", "长三角一体化。", "浙江省嘉兴市平湖市",
    "总投资近1000亿元。", "接轨上海", "乍浦镇", "独山港", "新埭镇引进项目12个。", "融杭接沪", "这本书很有意思。",
    "医院增加了三十张病床。", "选举结果明天公布。", "电脑价格下降了。",
]


@pytest.mark.parametrize("phrase", BIG5_PHRASES)
def test_short_big5_is_read_as_big5(phrase):
    assert decode_bytes(phrase.encode("big5"), name="t.txt") == (phrase, "big5")


@pytest.mark.parametrize("phrase", GBK_PHRASES)
def test_short_gbk_is_read_as_gb18030(phrase):
    assert decode_bytes(phrase.encode("gbk"), name="s.txt") == (phrase, "gb18030")
    assert decode_bytes(phrase.encode("gb18030"), name="s.txt") == (phrase, "gb18030")


def test_misread_big5_is_uncommon_and_the_real_reading_common():
    from jiegui.text.decode import uncommon_share

    data = "今年投資五億元。".encode("big5")
    assert data.decode("gb18030") == "さ\ue6e4щ戈き货じ\ue4c9"  # kana, private use, Cyrillic, rare: GB18030's reading
    assert uncommon_share(data.decode("gb18030")) > 0.5
    assert uncommon_share("今年投資五億元。") == 0


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(codec):
    assert decode_bytes(SIMPLIFIED.encode(codec), name="u.txt") == (SIMPLIFIED, codec)
    assert decode_bytes("嘉兴市平湖市。".encode(codec), name="u.txt") == ("嘉兴市平湖市。", codec)


def test_broken_utf16_without_bom_is_called_that_not_binary():
    data = SIMPLIFIED.encode("utf-16-le")[:-2] + b"\x00\xdc"  # ends in a lone low surrogate
    with pytest.raises(InputError, match=r"u\.txt: looks like UTF-16 without a byte-order mark"):
        decode_bytes(data, name="u.txt")


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "zlib"])
def test_only_text_encodings_can_be_forced(encoding):
    with pytest.raises(InputError, match=f"'{encoding}' is not a text encoding"):
        decode_bytes(b"abc", name="f.txt", encoding=encoding)
