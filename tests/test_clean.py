import statistics
import unicodedata
from pathlib import Path

import pytest
import regex

from jiegui.text.clean import (
    _80th_percentile,
    clean_text,
    close_cjk_spaces,
    display_width,
    drop_duplicate_paragraphs,
    drop_furniture,
    is_furniture,
    join_wrapped_lines,
    normalize_newlines,
    normalize_spaces,
    normalize_width,
    remove_invisible,
    strip_lines,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize(
    "text_in, text_out",
    [
        ("第一段\r\n第二段\r第三段", "第一段\n第二段\n第三段"),
        ("上一页的末行\f下一页", "上一页的末行\n下一页"),
        ("甲\u2028乙", "甲\n乙"),
    ],
)
def test_normalize_newlines(text_in, text_out):
    assert normalize_newlines(text_in) == text_out


@pytest.mark.parametrize(
    "text_in, text_out",
    [
        ("\ufeff小嘉兴有大野心", "小嘉兴有大野心"),
        ("接轨\u200b上海", "接轨上海"),
        ("长三\u00ad角\x07", "长三角"),
        ("保留\t制表符\n和换行", "保留\t制表符\n和换行"),
    ],
)
def test_remove_invisible(text_in, text_out):
    assert remove_invisible(text_in) == text_out


def test_remove_invisible_removes_exactly_the_control_characters_and_zero_widths():
    """The removed set is written as code points (the standard library's `re`, faster): it must be
    \\p{Cc} but tab and newline, and the zero-width characters, on every code point."""
    expected = regex.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]|[^\P{Cc}\n\t]")
    every = "".join(map(chr, range(0x110000)))
    assert remove_invisible(every) == expected.sub("", every)


@pytest.mark.parametrize(
    "text_in, text_out",
    [
        # seed jiaxing-qiaotoubao: no-break spaces in the breadcrumb
        ("浙江在线 \xa0>\xa0 住在杭州网", "浙江在线  >  住在杭州网"),
        # seed haining: ideographic indentation
        ("\u3000\u3000“飞地”起飞。", "  “飞地”起飞。"),
        ("陶\t明", "陶 明"),
    ],
)
def test_normalize_spaces(text_in, text_out):
    assert normalize_spaces(text_in) == text_out


@pytest.mark.parametrize(
    "text_in, text_out",
    [
        ("２０１７年增长１２．５％", "2017年增长12.5%"),
        ("ＩＴ产业与Ｇ６０科创走廊", "IT产业与G60科创走廊"),
        # Chinese punctuation stays, a numbering point is not a decimal point
        ("１．民间自发阶段（１９９２年以前）：", "1．民间自发阶段（1992年以前）："),
        ("时间：６：２０", "时间：6：20"),
    ],
)
def test_normalize_width(text_in, text_out):
    assert normalize_width(text_in) == text_out


@pytest.mark.parametrize(
    "text_in, text_out",
    [
        # seed haining: Markdown bold around indented sub-headings
        ("  **发挥平台效应**", "发挥平台效应"),
        ("**  搭起“两海”之间一座桥**", "搭起“两海”之间一座桥"),
        ("## 接轨上海综述 ", "接轨上海综述"),
        (" 成共识，纷纷提出接轨上海 \n  ", "成共识，纷纷提出接轨上海\n"),
        # emphasis inside a sentence is text, not furniture
        ("这是**重点**内容", "这是**重点**内容"),
    ],
)
def test_strip_lines(text_in, text_out):
    assert strip_lines(text_in) == text_out


@pytest.mark.parametrize(
    "line",
    [
        # seed xiao-jiaxing and jiaxing-qiaotoubao breadcrumbs
        "首页 > 新闻资讯 > 媒体报道 > 小嘉兴有大野心:全面接轨上海",
        "您当前的位置 : 浙江在线  >  住在杭州网 > 新闻网 > 楼市快报 > 杭州  正文",
        "当前位置：首页 » 要闻 » 正文",
        # nav rows
        "网站简介 | 网站合作 | 刊登广告 | 联系方式 | 主持人介绍 | 法律顾问",
        "网站介绍 | 广告服务 | 联系方式 | 法律声明",
        # copyright, licences, contacts
        "浙江南湖新闻网版权所有,保留所有的权利 浙江在线新闻网站平台支持",
        "版权和免责声明",
        "本网未注明\"来源:住在杭州网\"的图文等稿件均为转载稿,本网转载出于传递更多信息之目的。",
        "Copyright © 2017 Jiaxing Daily. All rights reserved.",
        "浙江省人民政府新闻办公室 批准文号: 浙新办[2008]16号 浙ICP备09040541号",
        "增值电信业务经营许可证: 浙B2-20080242 互联网新闻信息服务许可证:国新网3312006001",
        "联系电话:0571-85399729。",
        "举报电话：12377",
        # widgets and images
        "分享按钮",
        "分享到：微信 微博 QQ空间",
        "【打印】",
        "rB4AiVl-LL6AIwWUAAF-hg5WG88204.jpg",
        "/uploads/2017/07/photo_01.PNG",
        "![嘉兴南湖](images/nanhu.jpg)",
        # page numbers
        "43",
        "- 12 -",
        "第 3 页",
        "第3页 共10页",
        "7 / 120",
        "Page 4 of 9",
        # a PDF running header: two parts pushed to the page edges (seed compilation)
        "2017“两会”专题信息                           接轨大上海 融入都市圈",
    ],
)
def test_furniture_lines(line):
    assert is_furniture(line)
    assert is_furniture(line)  # remembered


def test_a_navigation_row_or_breadcrumb_needs_its_separators():
    """A line without two separators skips the breadcrumb and navigation-row patterns: with them, it
    is furniture; the same words without them are not."""
    for line in ["首页 > 新闻资讯 > 媒体报道", "首页 » 新闻 › 本地", "网站简介 | 网站合作 | 刊登广告", "网站简介｜网站合作｜刊登广告"]:
        assert is_furniture(line)
        assert not is_furniture(regex.sub(r"[>»›|｜]", "", line))


@pytest.mark.parametrize(
    "line",
    [
        "来源: 杭州网  记者 陆烨 张世新   编辑:卢一",
        "（来源：《嘉兴日报》2016-7-3）",
        "2017-07-31 08:16:36 杭州网",
        "发挥平台效应",
        "2016年",
        "企业取得了营业许可证，版图继续扩大。" * 12,  # too long to be furniture
        "海宁和上海，相隔120余公里。",
        "接轨大上海 融入都市圈",
        "G60科创走廊 > 长三角其他走廊",
    ],
)
def test_text_lines_are_not_furniture(line):
    assert not is_furniture(line)


@pytest.mark.parametrize(
    "text_in, text_out",
    [
        # seed nanhu: the short labels above the copyright lines belong to the footer
        (
            "推动南湖高质量发展。\n南湖新闻\n镇街部门\n嘉兴市南湖区新闻信息中心\n"
            "浙江南湖新闻网版权所有,保留所有的权利\n网站介绍 | 广告服务 | 联系方式 | 法律声明",
            "推动南湖高质量发展。",
        ),
        # seed jiaxing-qiaotoubao: the source line above the footer stays
        (
            "有望在环杭州湾破解。\n\n来源: 杭州网  记者 陆烨\n版权和免责声明\n分享按钮",
            "有望在环杭州湾破解。\n\n来源: 杭州网  记者 陆烨",
        ),
        # a Traditional page's footer, judged in Simplified (版權所有, ICP備)
        (
            "推動南湖高質量發展。\n南湖新聞\n鎮街部門\n浙江南湖新聞網版權所有,保留所有的權利\n浙ICP備09040541號",
            "推動南湖高質量發展。",
        ),
        # a scraped paragraph ending with the site's disclaimer, or opening with its phone line, keeps its text
        ("嘉兴与上海合作密切。本网转载出于传递更多信息之目的，并不代表本网观点。", "嘉兴与上海合作密切。"),
        ("联系电话：0571-12345678。记者从市发改委获悉，项目已开工。", "记者从市发改委获悉，项目已开工。"),
        # short labels without furniture are text (sub-headings)
        ("接轨上海\n民生融合\n高端要素", "接轨上海\n民生融合\n高端要素"),
        # a running header repeated on every page
        (
            "嘉兴年鉴\n第一页正文。\n嘉兴年鉴\n第二页正文。\n嘉兴年鉴\n第三页正文。",
            "第一页正文。\n第二页正文。\n第三页正文。",
        ),
    ],
)
def test_drop_furniture(text_in, text_out):
    assert drop_furniture(text_in) == text_out


@pytest.mark.parametrize(
    "text_in, text_out",
    [
        # seed compilation (PDF extraction)
        ("贯彻落实 2008 年 9 月《国务院关于", "贯彻落实2008年9月《国务院关于"),
        ("探索长三角地区联动发展的新路子， 推进长三角地区一体化发展， ", "探索长三角地区联动发展的新路子，推进长三角地区一体化发展，"),
        ("学习江苏主动“贴上去” ， 根据江苏", "学习江苏主动“贴上去”，根据江苏"),
        ("在全国 2.2%的国土空间上集聚 11.8%", "在全国2.2%的国土空间上集聚11.8%"),
        ("我国逐步进入 WTO 后过渡期", "我国逐步进入WTO后过渡期"),
        ("（来源：《嘉兴日报》 2016-7-3） ", "（来源：《嘉兴日报》2016-7-3）"),
        ("南湖区 IT 产业", "南湖区IT产业"),
        # Latin words keep their spaces; two Han words keep one space
        ("Yangtze River Delta 长三角", "Yangtze River Delta长三角"),
        ("接轨大上海 融入都市圈", "接轨大上海 融入都市圈"),
        ("陶  明 市人大代表", "陶 明 市人大代表"),
        # spaces inside numbers (seed compilation #5): before %, around a split decimal point
        ("分别只占全国的1 %和6 %，而大三角", "分别只占全国的1%和6%，而大三角"),
        ("分别占全国的2 .2 %和10.4 %", "分别占全国的2.2%和10.4%"),
        ("外资银行有80 %在上海", "外资银行有80%在上海"),
        ("增长 12. 5%", "增长12.5%"),
        ("达 97 % ，内源", "达97%，内源"),
        # but not a list of numbers, nor a sentence's full stop before a number
        ("1 2 3", "1 2 3"),
        ("第 1. 2 号", "第1. 2号"),
        ("version 1 .x", "version 1 .x"),
    ],
)
def test_close_cjk_spaces(text_in, text_out):
    assert close_cjk_spaces(text_in) == text_out


# the opening of seed 001 as extracted from the PDF: every line padded by a blank line
PDF_WRAPPED = """接轨大上海 融入都市圈

随着全球化和信息化发展到一个新的阶段，经济活动越来越突破

单一地理区域的限制，加强区域合作，实施区域一体化战略已成为国

家发展和民族复兴的必由之路。我国目前初步形成了长三角、珠三角

和环渤海这三大最具活力的经济区，其中长三角的一体化进程起步最

早、水平最高，无论是经济总量，还是产业结构，都处于领先水平。

因此长江三角洲一体化发展在我国区域发展格局中有着重要意义，

以进一步提高对外对内开放水平，推动浙江经济更快更好地发展。

接轨上海综述

基本理论

日前，国务院正式批准实施《长江三角洲地区区域规划》。这是

贯彻落实2008年9月《国务院关于进一步推进长江三角洲地区改革

开放和经济社会发展的指导意见》，进一步提升长三角整体实力和国

际竞争力的重大举措。

1、接轨上海形成共识，区域接轨战略全面实施

面对世界级的竞争，面对长三角区域经济快速增长及区域产业结

构迅速升级带来的大好发展机遇。"""


def test_close_cjk_spaces_on_the_text_is_close_cjk_spaces_on_each_line():
    """The patterns run over the whole text: a newline beside the spaces must act as a line's edge."""
    lines = ["2003 ", " 年", "1 ", " %", "2.", " 2%", "意义， ", " 推进", "IT ", " 产业", "  接轨  上海  "]
    text = "\n".join(lines)
    assert close_cjk_spaces(text) == "\n".join(close_cjk_spaces(line) for line in lines)
    assert close_cjk_spaces(text) == "2003\n年\n1\n%\n2.\n2%\n意义，\n推进\nIT\n产业\n接轨 上海"


def test_join_wrapped_lines_rebuilds_pdf_paragraphs():
    assert join_wrapped_lines(PDF_WRAPPED).split("\n") == [
        "接轨大上海 融入都市圈",
        "随着全球化和信息化发展到一个新的阶段，经济活动越来越突破单一地理区域的限制，加强区域合作，"
        "实施区域一体化战略已成为国家发展和民族复兴的必由之路。我国目前初步形成了长三角、珠三角和环渤海"
        "这三大最具活力的经济区，其中长三角的一体化进程起步最早、水平最高，无论是经济总量，还是产业结构，"
        "都处于领先水平。因此长江三角洲一体化发展在我国区域发展格局中有着重要意义，以进一步提高对外对内"
        "开放水平，推动浙江经济更快更好地发展。",
        "接轨上海综述",
        "基本理论",
        "日前，国务院正式批准实施《长江三角洲地区区域规划》。这是贯彻落实2008年9月《国务院关于进一步推进"
        "长江三角洲地区改革开放和经济社会发展的指导意见》，进一步提升长三角整体实力和国际竞争力的重大举措。",
        "1、接轨上海形成共识，区域接轨战略全面实施",
        "面对世界级的竞争，面对长三角区域经济快速增长及区域产业结构迅速升级带来的大好发展机遇。",
    ]


@pytest.mark.parametrize(
    "text_in, text_out",
    [
        # web text: one paragraph per line, blank lines between them; nothing is joined
        (
            "小嘉兴有大野心:全面接轨上海\n\n“几乎每天都有交流会”\n\n这一年来,郁晓凡往上海跑的次数不少。",
            "小嘉兴有大野心:全面接轨上海\n“几乎每天都有交流会”\n这一年来,郁晓凡往上海跑的次数不少。",
        ),
        # plain text wrapped at a fixed width with blank lines as real paragraph breaks
        (
            "嘉兴地处长三角的地理中心，如何发挥区位优势，打开思路\n"
            "谋发展，是当前的重要课题。政府工作报告也提出要全力推\n"
            "进对接上海。\n"
            "\n"
            "交通对接方面，高速公路形成了三横三纵的公路网络，嘉兴\n"
            "机场获批了，正在争取成为上海的配套机场，港口也在对接\n"
            "洋山港。",
            "嘉兴地处长三角的地理中心，如何发挥区位优势，打开思路谋发展，是当前的重要课题。"
            "政府工作报告也提出要全力推进对接上海。\n"
            "交通对接方面，高速公路形成了三横三纵的公路网络，嘉兴机场获批了，正在争取成为上海的配套机场，"
            "港口也在对接洋山港。",
        ),
        # wrapped English joins with a space
        (
            "The Yangtze River Delta is the most dynamic region of\n"
            "China, and Jiaxing lies at the centre of it between the\n"
            "two cities of Shanghai and Hangzhou in the delta plain.",
            "The Yangtze River Delta is the most dynamic region of China, and Jiaxing lies at the centre of it "
            "between the two cities of Shanghai and Hangzhou in the delta plain.",
        ),
    ],
)
def test_join_wrapped_lines(text_in, text_out):
    assert join_wrapped_lines(text_in) == text_out


def test_a_source_statement_ends_its_paragraph_even_on_a_full_line():
    text = (
        "海盐与上海地域相连、人缘相亲、经济相融、文化相通，一直\n"
        "是海盐招才引智的主阵地。（来源：《嘉兴日报》2016-5-17）\n"
        "近日，来往于嘉善经济技术开发区与上海松江地铁南站的通勤\n"
        "车开始试运行，实现了嘉善与上海松江的无缝对接，方便职工\n"
        "上下班，也拉近了两地距离，企业负责人对此表示非常满意。"
    )
    assert join_wrapped_lines(text).split("\n") == [
        "海盐与上海地域相连、人缘相亲、经济相融、文化相通，一直是海盐招才引智的主阵地。（来源：《嘉兴日报》2016-5-17）",
        "近日，来往于嘉善经济技术开发区与上海松江地铁南站的通勤车开始试运行，实现了嘉善与上海松江的无缝对接，"
        "方便职工上下班，也拉近了两地距离，企业负责人对此表示非常满意。",
    ]


def test_display_width_counts_chinese_as_two_columns():
    assert display_width("IT产业，2016年") == 2 + 4 + 2 + 4 + 2


@pytest.mark.parametrize(
    "line",
    ["", "plain ASCII line", "IT产业，2016年", "“引号”…—·「」", "ｉＰｈｏｎｅ　全角", "한국어 ｶﾀｶﾅ Ελληνικά ①②", "𠀀𪚥 emoji 😀", "〿〾㐀"],
)
def test_display_width_is_east_asian_width_per_character(line):
    # the shortcut over whole blocks of wide characters must give what unicodedata gives each character
    assert display_width(line) == sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in line)


@pytest.mark.parametrize("widths", [[3, 1, 2], [40, 40, 41, 80, 12], list(range(30, 55)), [7] * 25, [200, 31, 90, 66, 66, 5]])
def test_wrap_reference_width_is_the_80th_percentile(widths):
    assert _80th_percentile(widths) == statistics.quantiles(widths, n=5, method="inclusive")[-1]


def test_normalize_width_leaves_text_without_full_width_forms_alone():
    assert normalize_width("２．５％，Ａ４，2．5") == "2.5%，A4，2.5"
    assert normalize_width("增长2.5%，第一．二") == "增长2.5%，第一．二"


@pytest.mark.parametrize(
    "text_in, text_out",
    [
        (
            "\ufeff首页 > 新闻资讯 > 媒体报道\r\n\r\n\u3000\u3000嘉兴在２０１６年引进 IT 产业项目。\r\n\r\n分享按钮\r\n",
            "嘉兴在2016年引进IT产业项目。",
        ),
        ("  \n\n \u3000 \n", ""),
        ("单独一行没有标点", "单独一行没有标点"),
    ],
)
def test_clean_text(text_in, text_out):
    assert clean_text(text_in) == text_out


@pytest.fixture(scope="module")
def cleaned_corpus():
    return {path.stem: clean_text(path.read_text(encoding="utf-8")) for path in sorted(CORPUS.glob("*.txt"))}


def test_cleaned_corpus_has_one_paragraph_per_line(cleaned_corpus):
    for text in cleaned_corpus.values():
        lines = text.split("\n")
        assert all(line and line == line.strip() for line in lines)
        assert "\u3000" not in text and "\xa0" not in text


def test_clean_text_is_idempotent(cleaned_corpus):
    for text in cleaned_corpus.values():
        assert clean_text(text) == text


def test_clean_text_is_idempotent_on_fragments_of_the_pdf_extraction():
    raw = (CORPUS / "jiegui-da-shanghai-compilation.txt").read_text(encoding="utf-8").split("\n")
    for start in range(0, len(raw), 97):
        once = clean_text("\n".join(raw[start : start + 61]))
        assert clean_text(once) == once


def test_compilation_has_no_hard_wraps_or_pdf_gaps(cleaned_corpus):
    text = cleaned_corpus["jiegui-da-shanghai-compilation"]
    assert not regex.search(r"\d \p{Han}|\p{Han} \d|[，。] ", text)
    assert "2003年" in text
    assert "化。\n" in text and "\n化。" not in text
    assert "2017“两会”专题信息" not in text and "\n43\n" not in text
    # the PDF wrapped the compilation at ~30 characters; its paragraphs are now much longer
    paragraphs = text.split("\n")
    assert sum(len(p) for p in paragraphs) / len(paragraphs) > 100


# the raw lines each seed loses as furniture (0-based line numbers of the raw files)
FURNITURE_LINES = {
    "haining-rong-hang-jie-hu": [],
    "jiaxing-qiaotoubao": [0, 5, *range(73, 83)],
    "jiegui-da-shanghai-compilation": [2328, 2331],
    "nanhu-jiegui-shanghai": list(range(22, 28)),
    "xiao-jiaxing-da-yexin": [0],
}


def test_cleaning_drops_only_furniture(cleaned_corpus):
    """Every Han character of a raw file survives cleaning, in order, except those of its furniture lines."""
    for stem, text in cleaned_corpus.items():
        raw = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8").split("\n")
        kept = "".join(line for number, line in enumerate(raw) if number not in FURNITURE_LINES[stem])
        assert regex.findall(r"\p{Han}", text) == regex.findall(r"\p{Han}", kept), stem


@pytest.mark.parametrize(
    "text_in, text_out, removed",
    [
        ("甲段。\n乙段。\n甲段。\n丙段。\n乙段。", "甲段。\n乙段。\n丙段。", 2),
        ("甲段。\n乙段。", "甲段。\n乙段。", 0),
        ("", "", 0),
    ],
)
def test_drop_duplicate_paragraphs(text_in, text_out, removed):
    assert drop_duplicate_paragraphs(text_in) == (text_out, removed)


def test_seed_with_a_repeated_paragraph(cleaned_corpus):
    text, removed = drop_duplicate_paragraphs(cleaned_corpus["jiaxing-qiaotoubao"])
    assert removed == 1
    assert text.count("嘉兴接轨上海的战略渐次深入,格局层层提升。") == 1


def test_no_pdf_space_is_left_inside_the_compilations_percentages(docs_by_id):
    text = docs_by_id["jiegui-da-shanghai-compilation#5"].text
    assert "全国的1%和6%，而大三角（沪苏浙）则分别占全国的2.2%和10.4%" in text
    assert " %" not in text and "80%" in text and "97%" in text
