from pathlib import Path

import pytest

from jiegui.text.articles import Article, parse_date, parse_source, split_articles
from jiegui.text.clean import clean_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _cleaned(stem: str) -> str:
    return clean_text((CORPUS / f"{stem}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "body, expected",
    [
        ("《嘉兴日报》2016-7-3", ("嘉兴日报", "2016-07-03")),
        ("东方早报2010-05-26", ("东方早报", "2010-05-26")),
        ("《西部论坛》2006", ("西部论坛", "2006")),
        ("钱江晚报（杭州）2016-12-06", ("钱江晚报（杭州）", "2016-12-06")),
        ("浙江省发展规划研究 总第109期2016年", ("浙江省发展规划研究 总第109期", "2016")),
        ("郭占恒：《浙江接轨上海推进长三角一体化发展的几个关系》2003", ("郭占恒：《浙江接轨上海推进长三角一体化发展的几个关系》", "2003")),
        ("新华网 2018年3月", ("新华网", "2018-03")),
        ("新华社", ("新华社", None)),
        ("人民日报2016-13-45", ("人民日报2016-13-45", None)),  # not a date: left in the source
    ],
)
def test_parse_source(body, expected):
    assert parse_source(body) == expected


@pytest.mark.parametrize(
    "text, iso",
    [
        ("2017-07-31", "2017-07-31"),
        ("2016年7月3日", "2016-07-03"),
        ("2016.07", "2016-07"),
        ("2016/2/30", None),
        ("去年", None),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_single_article_file_is_one_article_covering_the_text():
    text = _cleaned("xiao-jiaxing-da-yexin")
    assert split_articles(text) == [Article("小嘉兴有大野心:全面接轨上海", None, None, 0, len(text))]


def test_web_page_headline_dateline_and_source_line():
    text = _cleaned("jiaxing-qiaotoubao")
    assert split_articles(text) == [
        Article("浙沪共谋杭州湾大湾区建设 嘉兴筑牢浙江接轨上海“桥头堡”", "杭州网", "2017-07-31", 0, len(text))
    ]


def test_column_heading_in_brackets_is_the_title():
    [article] = split_articles(_cleaned("nanhu-jiegui-shanghai"))
    assert (article.title, article.source, article.date) == ("“八八战略”航明灯", None, None)


def test_article_without_headline_has_no_title():
    """Seed haining starts with body text: sub-headings inside it are not titles."""
    text = _cleaned("haining-rong-hang-jie-hu")
    assert split_articles(text) == [Article(None, None, None, 0, len(text))]


def test_compilation_splits_into_its_articles():
    text = _cleaned("jiegui-da-shanghai-compilation")
    articles = split_articles(text)
    assert [(a.title, a.source, a.date) for a in articles] == [
        ("接轨大上海 融入都市圈", None, None),  # the compilation's title and preface
        ("基本理论", "东方早报", "2010-05-26"),  # under the section label 接轨上海综述
        (None, "浙江在线", "2016-06-04"),
        ("目前态势", "西部论坛", "2006"),
        ("发展意义", "郭占恒：《浙江接轨上海推进长三角一体化发展的几个关系》", "2003"),
        ("嘉兴接轨上海几个阶段", "中国嘉兴", "2015-12-31"),
        ("主要成效", "中国嘉兴", "2015-12-31"),
        ("接轨上海 融入都市", "加薪在线新闻", "2016-03-30"),
        ("主动推进浙沪协同发展是个大战略", "浙江省发展规划研究 总第109期", "2016"),
        ("嘉兴实施接轨大上海发展战略的调研与思考", "嘉兴日报", "2016-07-03"),
        ("近邻平湖为何推“接轨上海三年行动计划”？听平湖市委书记谈", "上海观察", "2016-05-12"),
        ("嘉兴教育接轨上海做深“融合”文章", "嘉兴日报", "2016-10-19"),
        ("嘉兴旅游接轨上海在行动", "钱江晚报（杭州）", "2016-12-06"),
        ("平湖：一路铿锵向前接轨大上海", None, None),  # ends without a source line
        ("从“接轨”到“融入”，“同城效应”显现", "钱江晚报·今日桐乡", "2016-09-07"),
        ("嘉善：通勤车“对接”大上海", "嘉兴在线—嘉兴日报", "2016-11-17"),
        ("海盐招才引智做好接轨上海大文章", "嘉兴日报", "2016-05-17"),
        ("接轨上海，让百姓就医更有“获得感”", "浙江在线新闻网", "2016-10-20"),
    ]
    # spans are ordered, disjoint, cover every paragraph, and start at a headline or end at a source line
    assert articles[0].start == 0 and articles[-1].end == len(text)
    for before, after in zip(articles, articles[1:]):
        assert text[before.end : after.start] == "\n"
    assert text[articles[9].start : articles[9].end].startswith("嘉兴实施接轨大上海发展战略的调研与思考\n")
    assert text[articles[9].start : articles[9].end].endswith("（来源：《嘉兴日报》2016-7-3）")
    assert text[articles[13].start : articles[13].end].endswith("将平湖接轨上海带入“高铁时代”。")


def test_place_headlined_article_ends_where_its_place_is_no_longer_named():
    pinghu = "平湖：接轨大上海\n平湖的农产品供应上海。\n产业合作\n平湖引进上海项目。"
    tongxiang = "从“接轨”到“融入”\n桐乡提出打造上海产业基地。\n民生融合\n桐乡中医医院与上海合作。\n桐乡文化接轨上海。"
    text = f"{pinghu}\n{tongxiang}\n（来源：《钱江晚报》2016-09-07）"
    assert split_articles(text) == [
        Article("平湖：接轨大上海", None, None, 0, len(pinghu)),
        Article("从“接轨”到“融入”", "钱江晚报", "2016-09-07", len(pinghu) + 1, len(text)),
    ]
    # a short tail (under three body paragraphs) is the article's own ending, not another article
    short = "平湖：接轨大上海\n平湖的农产品供应上海。\n展望\n未来可期。\n（来源：《钱江晚报》2016-09-07）"
    assert len(split_articles(short)) == 1


def test_front_matter_of_a_compilation_is_its_own_article():
    front = "长三角文集\n本书收录各地接轨上海的报道。"
    text = f"{front}\n综述\n规划获批\n国务院批准规划。\n（来源：新华社2010-05-26）\n第二篇\n正文。\n（来源：新华社）"
    assert [(a.title, a.source, a.start) for a in split_articles(text)] == [
        ("长三角文集", None, 0),
        ("规划获批", "新华社", len(front) + 1),
        ("第二篇", "新华社", text.index("第二篇")),
    ]
    # a single article keeps its sub-headings
    single = f"{front}\n综述\n规划获批\n国务院批准规划。\n（来源：新华社2010-05-26）"
    assert len(split_articles(single)) == 1


def test_sub_headings_do_not_start_articles():
    text = "\n".join(
        [
            "嘉兴教育接轨上海做深“融合”文章",
            "教育是第一民生。近年来，嘉兴城乡教育均衡化一直走在全省前列。",
            "区域教育合作拉开序幕",
            "当“红船精神”遇到“长征精神”，会擦出怎样的火花？",
            "（来源：《嘉兴日报》2016-10-19）",
        ]
    )
    assert split_articles(text) == [Article("嘉兴教育接轨上海做深“融合”文章", "嘉兴日报", "2016-10-19", 0, len(text))]


def test_place_headline_starts_an_article_without_a_source_line():
    first = "桐乡：文化接轨大上海\n近日，桐乡与上海签订文化合作协议。\n合作内容\n双方将共建图书馆联盟。"
    second = "海宁：飞地经济结硕果\n漕河泾海宁分区累计引进项目一百余个。"
    text = f"{first}\n{second}"
    assert split_articles(text) == [
        Article("桐乡：文化接轨大上海", None, None, 0, len(first)),
        Article("海宁：飞地经济结硕果", None, None, len(first) + 1, len(text)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # interview turns and bylines look like "name：…" but are not headlines
        "专访平湖市委书记\n记者：平湖交通接轨上海有怎样的新规划？\n盛付祥：接轨先接路，交通是最直观的接轨。",
        "调研报告\n课题主持人：徐伟金\n正文第一段。\n本期嘉宾：徐锦连 市人大代表",
    ],
)
def test_bylines_and_interview_turns_do_not_start_articles(text):
    assert len(split_articles(text)) == 1


def test_source_line_under_a_headline_stays_with_it():
    text = "嘉兴举行接轨上海大会\n来源：新华网 2017-07-28\n7月28日，嘉兴召开大会。\n与会者一千多人。"
    assert split_articles(text) == [Article("嘉兴举行接轨上海大会", "新华网", "2017-07-28", 0, len(text))]


def test_closing_source_line_ends_an_article():
    first = "第一篇标题\n正文一。\n来源：新华社"
    text = f"{first}\n第二篇标题\n正文二。"
    assert split_articles(text) == [
        Article("第一篇标题", "新华社", None, 0, len(first)),
        Article("第二篇标题", None, None, len(first) + 1, len(text)),
    ]


def test_section_label_above_the_headline_is_not_the_title():
    text = "专家视角\n接轨上海 融入都市\n本期嘉宾：徐锦连\n嘉兴地处长三角的地理中心。"
    assert split_articles(text)[0].title == "接轨上海 融入都市"


def test_empty_text_has_no_articles():
    assert split_articles("") == []


def test_traditional_compilation_splits_like_its_simplified_original():
    """Source lines in Traditional characters (（來源：《嘉興日報》…）) end articles and give their metadata."""
    import opencc

    raw = (CORPUS / "jiegui-da-shanghai-compilation.txt").read_text(encoding="utf-8")
    simplified = split_articles(clean_text(raw))
    traditional = split_articles(clean_text(opencc.OpenCC("s2t").convert(raw)))
    to_simplified = opencc.OpenCC("t2s").convert
    assert len(traditional) == len(simplified) == 18
    assert [(a.start, a.end, a.date) for a in traditional] == [(a.start, a.end, a.date) for a in simplified]
    assert [a.source and to_simplified(a.source) for a in traditional] == [a.source for a in simplified]
    assert traditional[9].source == "嘉興日報"
