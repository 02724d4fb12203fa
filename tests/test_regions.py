"""Regions: the packaged gazetteer, scanning (short forms, abbreviations, ambiguity, ordinary words) and
resolving user input."""
from __future__ import annotations

import pytest

from jiegui.errors import JieguiError, UnknownRegionError
from jiegui.models import Token
from jiegui.analyses.regions import Region, RegionMention, load_gazetteer
from jiegui.text.segment import Segmenter


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter()


def found(gazetteer, text: str, *, tokens=None) -> list[tuple[str, str]]:
    return [(m.text, m.region.name) for m in gazetteer.scan(text, tokens=tokens)]


def test_gazetteer_is_cached_and_holds_every_level(gazetteer):
    assert load_gazetteer() is gazetteer
    assert len(gazetteer) > 45000
    assert gazetteer.resolve("平湖市") == Region("平湖市", "平湖", "330482", "county", ("浙江省", "嘉兴市", "平湖市"))
    assert gazetteer.resolve("新埭镇") == Region(
        "新埭镇", "新埭", "330482102", "town", ("浙江省", "嘉兴市", "平湖市", "新埭镇")
    )
    # Municipalities' districts hang directly on the municipality (no 市辖区 level).
    assert gazetteer.resolve("浦东新区").path == ("上海市", "浦东新区")
    assert gazetteer.resolve("香港").path == ("香港特别行政区",)
    assert gazetteer.resolve("香港").code is None
    assert gazetteer.resolve("黄浦江") == Region("黄浦江", "黄浦江", None, "other", ("上海市", "黄浦江"))
    assert gazetteer.resolve("延边").name == "延边朝鲜族自治州"


def test_scan_offsets_short_forms_and_longest_match(gazetteer):
    text = "嘉兴平湖市新埭镇引进上海企业，杭州湾北岸。"
    mentions = gazetteer.scan(text)
    assert [(m.start, m.end, m.text, m.region.name) for m in mentions] == [
        (0, 2, "嘉兴", "嘉兴市"),
        (2, 5, "平湖市", "平湖市"),
        (5, 8, "新埭镇", "新埭镇"),
        (10, 12, "上海", "上海市"),
        (15, 18, "杭州湾", "杭州湾"),
    ]
    assert all(text[m.start:m.end] == m.text for m in mentions)
    assert isinstance(mentions[0], RegionMention)


def test_aliases_count_as_the_same_place(gazetteer):
    assert found(gazetteer, "长三角一体化，长江三角洲城市群，珠三角。") == [
        ("长三角", "长江三角洲"),
        ("长江三角洲", "长江三角洲"),
        ("珠三角", "珠江三角洲"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("沪嘉合作", [("沪", "上海市"), ("嘉", "嘉兴市")]),
        ("驻沪办事处", [("沪", "上海市")]),
        ("浙沪两地", [("浙", "浙江省"), ("沪", "上海市")]),
        ("沪杭甬高速", [("沪", "上海市"), ("杭", "杭州市"), ("甬", "宁波市")]),
        ("京津冀协同", [("京津冀", "京津冀")]),
        ("杭嘉湖平原", [("杭", "杭州市"), ("嘉", "嘉兴市"), ("湖", "湖州市")]),
        ("代表团来京参加会议", [("京", "北京市")]),
        ("港澳同胞", [("港", "香港特别行政区"), ("澳", "澳门特别行政区")]),
        ("中美关系", [("中", "中国"), ("美", "美国")]),
    ],
)
def test_one_character_abbreviations_where_they_are_abbreviations(gazetteer, text, expected):
    assert found(gazetteer, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "嘉宾在豫园参观苏宁电器",  # 嘉 豫 苏 inside ordinary words
        "新晋冠军来自新青年杂志",  # 新 青 are ordinary characters
        "他在港口工作，台上表演京剧",
        "实现高水平发展，落实惠民政策，推进现代化，搭建创新平台",  # 高平 惠民 代化 新平: counties/towns elsewhere
        "长治久安，海盐是调味品，城区很大",  # short forms and names that are ordinary words
        "街道和经济开发区",  # town-like units named by a common word
        "中英文的美德",  # ordinary words made of country abbreviations
    ],
)
def test_no_false_hits_in_ordinary_words(gazetteer, text):
    assert found(gazetteer, text) == []


def test_ordinary_word_names_count_near_their_city(gazetteer):
    assert found(gazetteer, "嘉兴市海盐县的海盐产业") == [("嘉兴市", "嘉兴市"), ("海盐县", "海盐县"), ("海盐", "海盐县")]
    assert found(gazetteer, "山西的长治发展很快") == [("山西", "山西省"), ("长治", "长治市")]


def test_town_short_form_needs_its_county(gazetteer):
    assert found(gazetteer, "新埭发展很快") == []
    assert found(gazetteer, "平湖市的新埭发展很快") == [("平湖市", "平湖市"), ("新埭", "新埭镇")]


def test_county_short_form_needs_its_province_or_a_place_token(gazetteer, segmenter):
    text = "在平湖，新埭发展很快。"
    assert found(gazetteer, text) == []
    assert found(gazetteer, text, tokens=segmenter.tokenize(text)) == [("平湖", "平湖市"), ("新埭", "新埭镇")]
    assert found(gazetteer, "浙江平湖") == [("浙江", "浙江省"), ("平湖", "平湖市")]


def test_ambiguous_names_follow_the_nearest_context(gazetteer):
    mentions = gazetteer.scan("南京市鼓楼区和福州的鼓楼区不同。")
    assert [(m.text, m.region.path) for m in mentions] == [
        ("南京市", ("江苏省", "南京市")),
        ("鼓楼区", ("江苏省", "南京市", "鼓楼区")),
        ("福州", ("福建省", "福州市")),
        ("鼓楼区", ("福建省", "福州市", "鼓楼区")),
    ]
    assert found(gazetteer, "鼓楼区有一座鼓楼。") == []  # four 鼓楼区, nothing to choose by
    assert found(gazetteer, "吉林的朝阳区") == [("吉林", "吉林省"), ("朝阳区", "朝阳区")]
    assert gazetteer.scan("吉林的朝阳区")[1].region.path == ("吉林省", "长春市", "朝阳区")
    assert gazetteer.scan("北京朝阳区")[1].region.path == ("北京市", "朝阳区")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("平湖", "平湖市"),
        ("平湖市", "平湖市"),
        (" 嘉兴 ", "嘉兴市"),
        ("浙江", "浙江省"),
        ("上海", "上海市"),
        ("吉林", "吉林省"),  # province before city
        ("浙江省嘉兴市平湖市", "平湖市"),
        ("南京市/鼓楼区", "鼓楼区"),
        ("长三角", "长江三角洲"),
        ("美国", "美国"),
    ],
)
def test_resolve_accepts_what_users_type(gazetteer, name, expected):
    assert gazetteer.resolve(name).name == expected


def test_resolve_of_a_path_picks_the_right_twin(gazetteer):
    assert gazetteer.resolve("福州市鼓楼区").code == "350102"


@pytest.mark.parametrize(
    "name, message",
    [
        ("平胡", "unknown region '平胡'; did you mean"),
        ("鼓楼区", "region name '鼓楼区' is ambiguous (4 places: 江苏省南京市鼓楼区、江苏省徐州市鼓楼区、福建省福州市鼓楼区、"
                 "河南省开封市鼓楼区); prefix it with its city or province, e.g. 南京市鼓楼区"),
        ("  ", "empty region name"),
        ("火星基地", "unknown region '火星基地'"),
    ],
)
def test_resolve_errors_are_actionable(gazetteer, name, message):
    with pytest.raises(UnknownRegionError) as info:
        gazetteer.resolve(name)
    assert str(info.value).startswith(message)
    assert isinstance(info.value, JieguiError)


@pytest.mark.parametrize(
    "name, suggestion",
    [("平湖县", "did you mean 平湖市?"), ("浙江生", "did you mean 浙江省?"), ("嘉兴币", "did you mean 嘉兴市?"),
     # homophones, as a pinyin input method's slip gives them (fuzzy -n/-ng: 心 xin for 兴 xing)
     ("平胡", "did you mean 平湖市?"), ("杭洲", "did you mean 杭州市?"), ("嘉心", "did you mean 嘉兴市?"),
     ("海凝", "did you mean 海宁市, 海林市, 海陵区?")],
)
def test_unknown_region_suggests_close_names(gazetteer, name, suggestion):
    with pytest.raises(UnknownRegionError) as info:
        gazetteer.resolve(name)
    assert str(info.value) == f"unknown region {name!r}; {suggestion}"


def test_within(gazetteer):
    pinghu, jiaxing, zhejiang = (gazetteer.resolve(n) for n in ("平湖", "嘉兴", "浙江"))
    assert pinghu.within(jiaxing) and pinghu.within(zhejiang) and jiaxing.within(zhejiang)
    assert pinghu.within(pinghu)
    assert not jiaxing.within(pinghu)
    assert not pinghu.within(gazetteer.resolve("上海"))
    assert gazetteer.resolve("黄浦江").within(gazetteer.resolve("上海"))


def test_a_very_long_unknown_name_is_answered_at_once(gazetteer):
    import time

    started = time.perf_counter()
    with pytest.raises(UnknownRegionError, match="give a province, city, county or town name"):
        gazetteer.resolve("平" * 30_000)
    assert time.perf_counter() - started < 1  # over 120 s before: compared with each of 45,000 names


def test_a_name_several_places_share_means_the_largest_and_the_others_are_named(gazetteer):
    assert gazetteer.resolve("朝阳").path == ("辽宁省", "朝阳市")
    assert [r.path for r in gazetteer.namesakes("朝阳")] == [("北京市", "朝阳区"), ("吉林省", "长春市", "朝阳区")]
    assert gazetteer.namesakes("吉林") == []  # 吉林市 lies inside 吉林省
    assert gazetteer.namesakes("平湖") == []  # towns called 平湖 are never chosen
    assert gazetteer.resolve("北京朝阳").path == ("北京市", "朝阳区")


@pytest.mark.parametrize("text", ["贺兰山东麓长约290公里", "拱北海关查获一批走私货物", "王沪宁出席会议", "老人们越来越长寿", "松花江全线开江"])
def test_a_name_inside_words_or_a_verb_phrase_is_no_place(gazetteer, segmenter, text):
    assert found(gazetteer, text, tokens=segmenter.tokenize(text)) == []


def test_a_day_of_the_month_is_not_japan(gazetteer):
    assert [name for _, name in found(gazetteer, "18日美乌会谈")] == []
    assert found(gazetteer, "中日关系") == [("中", "中国"), ("日", "日本")]


def test_a_place_word_after_a_preposition_of_place_counts_alone(gazetteer, segmenter):
    text = "在长寿，新城建设加快。"
    assert found(gazetteer, text, tokens=segmenter.tokenize(text)) == [("长寿", "长寿区")]


def test_a_country_run_reads_ao_as_australia_and_a_river_is_not_its_province(gazetteer, segmenter):
    assert found(gazetteer, "中澳关系") == [("中", "中国"), ("澳", "澳大利亚")]
    assert found(gazetteer, "港澳同胞") == [("港", "香港特别行政区"), ("澳", "澳门特别行政区")]
    text = "闽江流域水质优良"
    assert found(gazetteer, text, tokens=segmenter.tokenize(text)) == []


def test_a_city_short_form_that_is_also_a_word_counts_in_a_list_or_after_a_preposition(gazetteer, segmenter):
    assert found(gazetteer, "北京、合肥、大连等城市") == [("北京", "北京市"), ("合肥", "合肥市"), ("大连", "大连市")]
    assert found(gazetteer, "阳光日照充足") == []
    text = "会议在合肥举行"
    assert found(gazetteer, text, tokens=segmenter.tokenize(text)) == [("合肥", "合肥市")]


@pytest.mark.parametrize("text", [
    "浙江省嘉兴市平湖市位于沪杭之间",  # even length
    "浙江省嘉兴市平湖市位于沪杭之间。",  # odd length
    "𠀀浙江省嘉兴市平湖市，𠀀沪杭甬",  # characters outside the BMP: two UTF-16 units each
    "平湖", "平", "",
])
def test_candidate_starts_hold_every_surface_and_abbreviation_position(gazetteer, text):
    """The hashed lookup of each position's two and three code units finds every position where a surface of
    two or more characters or an abbreviation that may count begins (alone, or first of a run: both
    parities, a last odd character, characters outside the Basic Multilingual Plane), in order, and few
    others."""
    finder = gazetteer._starts_finder
    abbreviations = gazetteer._abbreviations
    needed = [i for i in range(len(text)) if gazetteer._match_at(text, i) is not None or text[i] in abbreviations and (
        abbreviations[text[i]][1] in ("always", "verb") or text[i + 1 : i + 2] in abbreviations)]
    may_start = [i for i in range(len(text)) if text[i : i + 2] in finder._pairs or text[i : i + 3] in finder._triples
                 or text[i] in finder._lone_chars or text[i] in finder._chars and text[i + 1 : i + 2] in finder._chars]
    starts = finder.starts(text)
    assert starts == sorted(set(starts))
    assert set(needed) <= set(may_start) <= set(starts)
    assert len(starts) - len(may_start) <= len(text) // 10
    assert needed or text in ("", "平")


@pytest.mark.parametrize("text", [
    "美德与中美关系：18日美乌会谈，德国和法国，来京赴沪，美。",  # abbreviations alone, in runs, after a verb, a date
    "沪嘉湖和杭嘉湖一带，美日韩三国，日",
])
def test_matches_are_those_of_every_position(gazetteer, text, monkeypatch):
    """Scanning only the positions the starts finder gives (not an abbreviation that counts only in a run when
    it stands alone: 美 in 美。) finds what scanning every position finds."""
    found = gazetteer._matches(text)
    monkeypatch.setattr(gazetteer._starts_finder, "starts", lambda text: list(range(len(text))))
    assert found == gazetteer._matches(text)
    assert found


def test_scan_reads_overlapping_tokens_alike(gazetteer, segmenter):
    """Tokens in text order, not overlapping, are read by bisection; others whole, token by token: the same
    places either way (王沪宁/nr hides 沪 and 宁, 在平湖 makes 平湖 count, 贺兰山/东麓 holds no 山东, 闽江/ns no 闽)."""
    text = "王沪宁在平湖会见了贺兰山东麓的客人，闽江流经福建"
    tokens = segmenter.tokenize(text)
    overlapping = [*tokens, Token("王沪宁在", "x", 0, 4)]  # one more word, over others: no longer in order
    ordered = [(m.start, m.end, m.region.name) for m in gazetteer.scan(text, tokens=tokens)]
    assert ordered == [(m.start, m.end, m.region.name) for m in gazetteer.scan(text, tokens=overlapping)]
    assert ordered == [(4, 6, "平湖市"), (22, 24, "福建省")]


def test_packaged_index_is_made_from_the_packaged_table():
    """The index `load_gazetteer` reads is `index_text` of the table beside it (rebuilt by
    tools/build_gazetteer.py), and reads back as the table says: names, short forms, aliases and ordinary words."""
    import gzip
    from importlib import resources

    from jiegui.analyses.regions import _Index, index_text

    data = resources.files("jiegui") / "data"
    table = gzip.decompress((data / "gazetteer.tsv.gz").read_bytes()).decode("utf-8")
    text = gzip.decompress((data / "gazetteer.index.gz").read_bytes()).decode("utf-8")
    assert text == index_text(table)
    index = _Index.of(text)
    rows = [line.split("\t") for line in table.splitlines() if line and line[0] != "#"]
    assert len(index.parents) == len(rows) == len(index.names)
    assert index.names[10] == rows[10][3] and index.parents[0] == -1
    surfaces = dict(zip(index.surfaces, index.candidates))
    assert surfaces["美德"] == "" and surfaces["长三角"] and index.abroad and index.abbreviations
    assert all(len(s) < 3 or s[:3] in index.long_lengths for s in index.surfaces)


def test_index_of_a_small_table_keeps_its_names_and_their_order():
    """`index_text` groups each surface's candidates in the table's order, with their required closeness (a
    county's short form needs its province), and a Gazetteer read from it scans and resolves by it."""
    from jiegui.analyses.regions import Gazetteer, _Index, index_text

    table = "\n".join([
        "#abbr\t浙\t33\talways",
        "#word\t浙浙",
        "\t".join(["33", "", "province", "浙江省", "浙江", "", "SS"]),
        "\t".join(["3301", "33", "city", "杭州市", "杭州", "", "SS"]),
        "\t".join(["330110", "3301", "county", "余杭区", "余杭", "", "SS"]),
        "\t".join(["O0", "", "other", "鼓楼", "", "旧楼,鼓楼", "S-"]),
    ])
    index = _Index.of(index_text(table))
    assert index.parents == [-1, 0, 1, -1] and index.codes == ["33", "3301", "330110", ""]
    candidates = dict(zip(index.surfaces, index.candidates))
    assert candidates["余杭"] == "2,1" and candidates["鼓楼"] == "3,0,3,0" and candidates["浙浙"] == ""
    assert index.long_lengths["浙江省"] == bytes([3]) and index.abbreviations == {"浙": (0, "always")}
    gazetteer = Gazetteer(index)
    assert [(m.text, m.region.name) for m in gazetteer.scan("余杭在浙江，杭州余杭区，浙。")] == [
        ("余杭", "余杭区"), ("浙江", "浙江省"), ("杭州", "杭州市"), ("余杭区", "余杭区"), ("浙", "浙江省")]
    assert gazetteer.resolve("旧楼").name == "鼓楼" and gazetteer.is_ordinary_word("浙浙")


def test_scanning_leaves_the_collector_as_it_was(gazetteer):
    import gc

    enabled = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            gazetteer.scan("嘉兴平湖市新埭镇")
            assert gc.isenabled() is state
    finally:
        (gc.enable if enabled else gc.disable)()
