"""Keywords benchmark: jiegui's top 10 per document next to jieba.analyse.extract_tags, the checks a
reader applies to them, and the speed.

Usage: python bench/keywords_compare.py [--corpus PATH] [--top 10] [--markdown] [--speed]

For each document it prints jiegui's TF-IDF top N (corpus IDF blended with jieba's background IDF,
keyphrases merged, furniture skipped) and jieba's `extract_tags(text, topK=N)` (background IDF only,
default settings, as a user would call it); then the corpus's top 2N (`jiegui keywords`) next to
`extract_tags` on all the text joined. Every term of the per-document lists goes through the checks
below — written here independently of jiegui's own rules, on the text and on jieba's own segmentation —
and the flagged terms are printed with their reason. `--speed` adds wall-clock times of the real command
in a subprocess, cache warm, median of 5 runs.

Checks (a term is flagged with the first that applies):
- junk: a stopword, a number or date, a single character, a Latin leftover of a web page;
- boilerplate: most of its occurrences lie in the document's furniture (lead-ins, bylines, sign-offs that
  `jiegui.text.boilerplate` marks), or it is the document's source, or most occurrences are followed by
  记者/消息/讯/电/报道 (a source or byline);
- heading: a line of the document, or a paragraph's 【label】 or label before a colon, is the term;
- cut: in most occurrences a boundary falls inside a jieba token of the document, or a common word of
  jieba's dictionary (frequency ≥ 1000 and ten times the term's) crosses a boundary (工业 across
  业增加值, 市场 across 市市, 投资 across 资额); or most occurrences
  follow a numeral (or a numeral and 多/余/个: 5个多小时) or the term starts with 万/亿 (a counter or
  magnitude: 万标箱, 号线, 小时); or every occurrence (two or more) is followed by the same token of two
  characters or more, a noun (人均可支配 + 收入, 头部 + 企业); or the term is no word of jieba's dictionary (2–3 characters its HMM
  made) and the document writes it only as one token right before a noun (规上工业, 国省干线); or, written once and no name, right before a noun a figure measures (高标准 + 农田7580万亩);
  or a phrase that is no name mostly followed by a count of places (粤港澳大湾区内地 + 9市); or every
  occurrence is joined by 与/和/及 to the same rest of an institution's name (中科院上海微系统 +
  与信息技术研究所, and the other half); or a word of at most three characters, no name, that every
  occurrence writes right before the same verb (易地 + 扶贫搬迁 twice, 合理 + 增长), or once between a
  verb (or 了, 在) and a verb (实现了整村 + 搬迁; a word of jieba's dictionary only if the corpus mostly
  writes it before that verb, 3+ times: 推动高质量 + 发展), and that the corpus mostly writes before a verb;
  or every occurrence (2+) is followed by the same non-predicate adjective (创历史 + 同期新高) or the same
  two tokens, no adverb first and a noun last (网络 + 预约 出租汽车; a name only before a verb and an
  organisation's head: 首都国际机场 + 协调 委员会); or most occurrences lie in a quoted
  span of at most ten characters (“科技云贷”); or three occurrences or more follow the same character in a
  token that is that character alone or no word of jieba's dictionary (市卫/计委, 卫/计委); or a two-character
  nr token always before the same character, once then before a speech verb (郑后/nr 成 表示); or a token
  that is no word of jieba's dictionary (no place or organisation) touching, in most occurrences, another
  such token or a one-character nr (普/nr 惠小微/nr, 量质 齐升); or the term is a
  modifier of jiegui's data/modifiers.txt (壮美, 人均, 全自动: adjectives jieba tags as nouns) not
  nominalised (after 的/之 with no noun after it); or a count opens it (两地游客);
- clause: most occurrences follow a one-character adverb (不行文) or a personal pronoun (你能领多少); or half of them or more are a verb
  in use: 了/着/过 follows and the clause goes on (培育了一批, 织密了), or jieba tags the term a verb and an
  adverb, a modal auxiliary or 在 precedes it (积极培育, 大力培育); or it is a verb of jiegui's
  data/verbs.txt (持平, 开园, 投产: verbs jieba tags as nouns) not nominalised; or the term is a verb of going and the
  first character of a place (来平 of 平湖, 赴沪); or jieba.posseg reads the term as
  holding a coverb (落实到生产队), a count after a list it cuts (湖北、重庆两地游客), two verbs, a time
  word or adverb, or a verb after two words one of which is a name (今天预计发送旅客, 梅龙段开通,
  北京市公民具备科学素质);
- variant: a higher-ranked term of the same list is the same place with/without 省市县区镇乡, the same
  set of province abbreviations (沪苏浙/江浙沪), the same term with a generic tail
  (工作 方面 问题 情况 金额 总额) or with 大 before a word (都市圈/大都市圈, 接轨上海/接轨大上海), or
  holds it or lies in it where most occurrences of the shorter are inside the longer (历史性/历史性成就).
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_NUMERAL = re.compile(r"[0-9０-９.%〇零二三四五六七八九十百千万亿两]")
_PROVINCE_CHARS = set("沪苏浙皖江赣闽粤京津冀鲁豫晋湘鄂川渝滇黔桂琼陕甘宁青新藏蒙辽吉黑港澳台")
_TAILS = ("工作", "方面", "问题", "情况", "金额", "总额")
_PROVINCES = set("北京 天津 河北 山西 辽宁 吉林 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 广西 海南 重庆 "
                 "四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 香港 澳门 台湾".split())
_SOURCE_AFTER = ("记者", "消息", "讯", "电", "报道")


def _occurrences(term: str, text: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(term), text)]


def _most(flags: list[bool]) -> bool:
    return bool(flags) and 2 * sum(flags) > len(flags)


def is_junk(term: str, stopwords: frozenset[str]) -> bool:
    return bool(
        term in stopwords
        or len(term) < 2
        or re.fullmatch(r"[\d\W_]+|\d+[年月日号]", term)
        or (re.fullmatch(r"[A-Za-z0-9]+", term) and not re.fullmatch(r"[A-Z]{1,6}\d{0,4}|[A-Za-z][a-z]+", term))
        or term.lower() in {"jpg", "png", "gif", "html", "http", "www", "com", "cn"}
    )


def is_boilerplate(term: str, doc, furniture: tuple[tuple[int, int], ...]) -> bool:
    starts = _occurrences(term, doc.text)
    if _most([any(s <= at < e for s, e in furniture) for at in starts]):
        return True
    if term == doc.source:
        return True
    return _most([doc.text.startswith(_SOURCE_AFTER, at + len(term)) for at in starts])


def is_heading(term: str, text: str) -> bool:
    """Every occurrence is the whole of a line, of a paragraph's 【label】 or of its label before a colon
    (numbering and brackets aside)."""
    starts = _occurrences(term, text)
    if not starts:
        return False
    for at in starts:
        line_start = text.rfind("\n", 0, at) + 1
        line = text[line_start:].split("\n", 1)[0].strip()
        bare = line.strip("【】[]()（）:：0123456789一二三四五六七八九十、.第 ")
        label = re.match(r"^【([^】]{1,12})】|^(?:第[一二三四五六七八九十\d]+)?([^，。:：]{1,8})[:：]", line)
        if not (bare == term or (label and term in {label.group(1), label.group(2)})):
            return False
    return True


def _crossed(text: str, start: int, end: int, words: dict[str, int]) -> bool:
    """A common word of jieba's dictionary (2–4 characters, frequency ≥ 1000 and ten times the term's own)
    starts before the term and ends inside it, or starts inside it and ends after it."""
    floor = max(1000, 10 * words.get(text[start:end], 0))
    for before in range(1, 4):
        for inside in range(1, min(end - start, 4)):
            if start - before >= 0 and words.get(text[start - before : start + inside], 0) >= floor:
                return True
            if end + before <= len(text) and words.get(text[end - inside : end + before], 0) >= floor:
                return True
    return False


def is_cut(term: str, doc, words: dict[str, int], corpus=()) -> bool:
    text = doc.text
    starts = _occurrences(term, text)
    if not starts:
        return False
    inside = set()
    for token in doc.tokens:
        inside.update(range(token.start + 1, token.end))
    if _most([s in inside or s + len(term) in inside for s in starts]):
        return True
    if _most([_after_numeral(text, s) for s in starts]) or term[0] in "万亿":
        return True
    if _bound(term, doc, starts, words):
        return True
    if _recurring(term, doc, starts) or _before_measured_noun(term, doc, starts):
        return True
    if _before_place_count(term, doc, starts) or _half_of_joined_name(term, text, starts):
        return True
    if _before_same_verb(term, doc, starts, words, corpus or [doc]):
        return True
    if _in_short_quote(text, term, starts) or _same_piece_before(term, doc, starts, words):
        return True
    if _cut_name(term, doc, starts) or _in_unknown_run(term, doc, starts, words):
        return True
    if term in _listed_words("modifiers.txt") and not _nominalised(term, doc, starts):
        return True  # 壮美 (画卷), 全自动 (分拣设备): a modifier cut from what it modifies
    if re.match(r"[两二三四五六七八九十]+[地省市国方区县]", term) and len(term) > 2:
        return True  # 两地游客: a count opens it, referring to places named before
    # A word of four characters or more that jieba's segmentation kept whole is a name (乌梁素海 + 水质).
    whole = {(t.start, t.end) for t in doc.tokens if len(t.text) >= 4}
    return _most([(s, s + len(term)) not in whole and _crossed(text, s, s + len(term), words) for s in starts])


def _recurring(term: str, doc, starts: list[int]) -> bool:
    """Two occurrences or more, every one followed by the same jieba token of the document, a noun
    (人均可支配 + 收入 three times, 头部 + 企业): the term is cut from the longer string the text repeats."""
    if len(starts) < 2:
        return False
    by_start = {t.start: t for t in doc.tokens}
    def follower(s: int):
        t = by_start.get(s + len(term))
        # a word a figure follows is a noun, whatever jieba tagged it (收入38612元)
        return None if t is None else (t.text, "n" if re.match(r"\d", doc.text[t.end:t.end + 1]) else t.pos)

    followers = {follower(s) for s in starts}
    if _same_two_after(term, doc, starts, by_start):
        return True
    if len(followers) != 1 or None in followers:
        return False
    word, pos = next(iter(followers))
    # a noun, or a non-predicate adjective (b), which only modifies a noun after it (创历史 + 同期新高)
    return len(word) >= 2 and pos in ("n", "ng", "nz", "vn", "b") and word not in _TAILS  # 资源共享 + 方面 is whole


def _same_two_after(term: str, doc, starts: list[int], by_start: dict) -> bool:
    """Every occurrence (two or more) followed by the same two jieba tokens of two characters or more, no
    adverb or time word first, a noun second (网络 + 预约 出租汽车): the term modifies a compound the text
    repeats. A name stays a name, but not before a verb and an organisation's head word (首都国际机场 +
    协调 委员会)."""
    own = by_start.get(starts[0])
    name = own is not None and own.pos in ("ns", "nr", "nrt", "nrfg", "nt", "nz", "j")
    pairs = set()
    for s in starts:
        first = by_start.get(s + len(term))
        second = by_start.get(first.end) if first is not None else None
        if first is None or second is None or len(first.text) < 2 or len(second.text) < 2:
            return False
        if first.pos in ("d", "ad", "t", "tg") or second.pos not in ("n", "ng", "nz", "vn"):
            return False
        pairs.add((first.text, second.text, first.pos))
    if len(pairs) != 1:
        return False
    _, head, tag = next(iter(pairs))
    return not name or (tag.startswith("v") and head.endswith(_BODIES))


_BODIES = ("委员会", "小组", "办公室", "中心", "协会", "集团", "公司", "总局", "局", "厅", "院", "所")


_QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"'}


def _in_short_quote(text: str, term: str, starts: list[int]) -> bool:
    """Most occurrences lie in a longer quoted span of at most ten characters without punctuation
    (“科技云贷” + 云贷): so short a quotation is a name or a term, one unit."""
    def quoted(s: int) -> bool:
        left = re.match(r"[^\s\W]*", text[max(0, s - 10):s][::-1])
        right = re.match(r"[^\s\W]*", text[s + len(term):])
        opening, closing = s - len(left.group()) - 1, s + len(term) + len(right.group())
        return (
            opening >= 0 and closing < len(text) and _QUOTE_PAIRS.get(text[opening]) == text[closing]
            and len(term) < closing - opening - 1 <= 10
        )
    return _most([quoted(s) for s in starts])


def _same_piece_before(term: str, doc, starts: list[int], words: dict[str, int]) -> bool:
    """Three occurrences or more, each right after the same character, in a jieba token that is that
    character alone or no word of jieba's dictionary (市卫/计委, 卫/计委: 卫计委), not a place's suffix,
    a function word, a verb, a number or a time: the term is a piece of a word the text repeats."""
    if len(starts) < 3:
        return False
    ends = {t.end: t for t in doc.tokens}
    before = [ends.get(s) for s in starts]
    chars = {doc.text[s - 1] if s > 0 else "" for s in starts}
    if None in before or len(chars) != 1 or not re.match(r"[^\W\d_]", char := next(iter(chars))):
        return False
    if char in "省市县区镇乡的了在和与及等是为对把被将从向于以到由并或也都就又还而其这那我该各每个之":
        return False
    return all(
        t is not None and t.pos not in ("v", "vd", "vi", "vg", "m", "mq", "q", "t", "tg", "x")
        and (len(t.text) == 1 or words.get(t.text, 0) == 0)
        for t in before
    )


_SAYS = ("表示", "说", "指出", "认为", "强调", "介绍", "称", "透露", "坦言", "分析")
_SINGLE_FUNCTION = set("的了在和与及等是为对把被将从向于以到由并或也都就又还而其这那我该各每个之说称")


def _cut_name(term: str, doc, starts: list[int]) -> bool:
    """A two-character token jieba tags nr, every occurrence right before the same one character (no
    function word), one of them then before a speech verb (郑后/nr 成/v 表示): a three-character name cut."""
    by_start = {t.start: t for t in doc.tokens}
    followers, spoken = set(), False
    for s in starts:
        own, after = by_start.get(s), by_start.get(s + len(term))
        if own is None or own.text != term or own.pos not in ("nr", "nrfg") or len(term) != 2:
            return False
        if after is None or len(after.text) != 1 or after.text in _SINGLE_FUNCTION:
            return False
        followers.add(after.text)
        spoken = spoken or doc.text.startswith(_SAYS, after.end)
    return len(followers) == 1 and spoken


def _in_unknown_run(term: str, doc, starts: list[int], words: dict[str, int]) -> bool:
    """No word of jieba's dictionary, one token, no place or organisation, and most occurrences touch
    another token jieba's HMM made (no dictionary word) or a one-character token tagged nr (普/nr 惠小微/nr,
    郑后/nr 成): jieba guessed a cut inside one unknown word."""
    if words.get(term, 0) > 0:
        return False
    by_start = {t.start: t for t in doc.tokens}
    by_end = {t.end: t for t in doc.tokens}

    def guessed(t) -> bool:
        if t is None or not re.fullmatch(r"[\u4e00-\u9fff]+", t.text):
            return False
        return t.pos in ("nr", "nrfg") if len(t.text) == 1 else words.get(t.text, 0) == 0

    def in_run(s: int) -> bool:
        own = by_start.get(s)
        if own is None or own.text != term or own.pos in ("ns", "nt", "nz", "j", "nrt"):
            return False
        return guessed(by_end.get(s)) or guessed(by_start.get(s + len(term)))
    return _most([in_run(s) for s in starts])


def _before_measured_noun(term: str, doc, starts: list[int]) -> bool:
    """Written once, no name, right before a noun a figure measures (高标准 + 农田7580万亩): the figure
    measures the compound, the term is its modifier."""
    if len(starts) != 1:
        return False
    by_start = {t.start: t for t in doc.tokens}
    own = [t for t in doc.tokens if starts[0] <= t.start < starts[0] + len(term)]
    after = by_start.get(starts[0] + len(term))
    return (
        after is not None and len(after.text) >= 2 and after.pos in ("n", "ng", "nz") and after.text not in _TAILS
        and re.match(r"(?:为|达|约)?\d", doc.text[after.end:]) is not None
        and not any(t.pos in ("ns", "nr", "nrt", "nrfg", "nt", "nz", "j") for t in own)
    )


_PLACE_COUNT = re.compile(r"[0-9〇零一二三四五六七八九十百两几]+(?:省区市|县市区|省份|[市省区县国城地])")


def _before_place_count(term: str, doc, starts: list[int]) -> bool:
    """A phrase (no single jieba token) that is no name, mostly followed by a count of places
    (粤港澳大湾区内地 + 9市): it tells which places are counted, cut from the name of the whole."""
    if any(t.text == term for t in doc.tokens):
        return False
    last = [t for t in doc.tokens if t.end == starts[0] + len(term)]
    if last and last[0].pos in ("ns", "nr", "nrt", "nrfg", "nt", "nz", "j"):
        return False
    return _most([_PLACE_COUNT.match(doc.text, s + len(term)) is not None for s in starts])


_NAME_HEADS = ("研究所", "研究院", "研究中心", "实验室", "大学", "学院", "委员会", "协会", "学会", "公司", "集团", "医院")


def _half_of_joined_name(term: str, text: str, starts: list[int]) -> bool:
    """Every occurrence (two or more) is joined by the same 与/和/及 to the same text up to the next
    punctuation, and that whole ends an institution's name (中科院上海微系统 + 与信息技术研究所)."""
    if len(starts) < 2:
        return False
    rights = [re.split(r"[\s\W]", text[s + len(term):s + len(term) + 16], maxsplit=1)[0] for s in starts]
    lefts = [re.split(r"[\s\W]", text[max(0, s - 16):s][::-1], maxsplit=1)[0] for s in starts]
    right, left = os.path.commonprefix(rights), os.path.commonprefix(lefts)[::-1]
    if right[:1] in ("与", "和", "及"):
        return any(h in right for h in _NAME_HEADS)
    if left[-1:] in ("与", "和", "及") and len(left) >= 3:
        return any(h in term + right for h in _NAME_HEADS)
    return False


def _verb_after(doc, end: int):
    """The jieba token of `doc` starting at `end` if it is a verb of two characters or more (工作 and the
    other generic tails are a noun's), else None."""
    t = next((t for t in doc.tokens if t.start == end), None)
    return t if t is not None and t.pos in ("v", "vd", "vi", "vn") and len(t.text) >= 2 and t.text not in _TAILS else None


def _before_same_verb(term: str, doc, starts: list[int], words: dict[str, int], corpus) -> bool:
    """A word of at most three characters, one jieba token and no name, that every occurrence writes right
    before the same verb (易地 + 扶贫搬迁 twice, 合理 + 增长 twice), or, written once, right after a verb, 了
    or 在 and before a verb (实现了整村 + 搬迁; a word of jieba's dictionary only where the corpus writes
    it before that verb most of the time, three times or more: 推动高质量 + 发展), and that most
    occurrences in the corpus put before a verb: an adverbial or a modifier cut from the nominalised verb it belongs to."""
    if len(term) > 3 or not starts:
        return False
    by_start = {t.start: t for t in doc.tokens}
    by_end = {t.end: t for t in doc.tokens}
    followers = set()
    for s in starts:
        own, after = by_start.get(s), _verb_after(doc, s + len(term))
        if own is None or own.text != term or own.pos in ("ns", "nr", "nrt", "nrfg", "nt", "nz", "j") or after is None:
            return False
        followers.add(after.text)
    if len(followers) != 1:
        return False
    verbs = [_verb_after(d, s + len(term)) for d in corpus for s in _occurrences(term, d.text)]
    if len(starts) == 1:  # once, in object position
        before = by_end.get(starts[0])
        if before is None or not (before.pos in ("v", "vd", "vi", "vn") or before.text in ("了", "在")):
            return False
        if words.get(term, 0) > 0:  # a word of jieba's dictionary: the corpus writes it before this verb (3+)
            return len(verbs) >= 3 and _most([v is not None and v.text in followers for v in verbs])
    return _most([v is not None for v in verbs])


def _after_numeral(text: str, start: int) -> bool:
    """A numeral right before, or before 多/余/个 (5个多小时, 20余万吨)."""
    at = start
    while at > 0 and text[at - 1] in "多余个几来":
        at -= 1
    return at > 0 and _NUMERAL.match(text[at - 1]) is not None


def _bound(term: str, doc, starts: list[int], words: dict[str, int]) -> bool:
    """A word of 2–3 characters that is no word of jieba's dictionary (jieba's HMM made it) and that the
    document only writes as one token right before a noun: a modifier cut from its head (规上工业, 国省干线)."""
    if words.get(term, 0) > 0 or len(term) > 3:  # a longer word is a compound in its own right
        return False
    by_start = {t.start: t for t in doc.tokens}
    for s in starts:
        own, after = by_start.get(s), by_start.get(s + len(term))
        if own is None or own.text != term or own.pos in ("ns", "nr", "nrt", "nrfg", "j"):
            return False
        if after is None or after.pos not in ("n", "ng", "nz", "nt", "vn"):
            return False
    return True


def is_clause(term: str, doc) -> bool:
    """jieba.posseg reads the term as a clause: two verbs, a time word or adverb, or a verb after two
    words one of which is a name (a subject and its predicate), unless right before an organisation's
    head word (首都国际机场协调委员会). A term jiegui's segmenter keeps as one
    token (a dictionary word such as 融杭接沪) is a word."""
    import jieba.posseg

    starts = _occurrences(term, doc.text)
    ends = {t.end: t for t in doc.tokens}
    after_adverb = [(b := ends.get(s)) is not None and b.pos == "d" and len(b.text) == 1 for s in starts]
    if _most(after_adverb):  # 不行文, 均设置: an adverb modifies a predicate
        return True
    after_pronoun = [(b := ends.get(s)) is not None and b.text in ("我", "你", "您", "他", "她", "我们", "你们", "他们") for s in starts]
    if _most(after_pronoun):  # 你能领多少: a pronoun is the subject, what follows it the predicate
        return True
    if 2 * sum(_verb_in_use(term, doc, s, ends) for s in starts) >= len(starts) > 0:
        return True  # 培育了一批, 积极培育: half the occurrences or more are a verb in use
    if term in _listed_words("verbs.txt") and not _nominalised(term, doc, starts):
        return True  # 持平, 开园, 投产: a verb (jieba's dictionary tags it a noun), not nominalised after 的
    if re.fullmatch("[驻在来赴抵离返留旅援进入回到].", term) and (
        term[1] in _PROVINCE_CHARS or any(t.pos == "ns" and len(t.text) >= 2 and t.text[0] == term[1] for t in doc.tokens)
    ):
        return True  # 来平 (of 平湖), 赴沪: a verb of going and the place it goes to
    if any(t.text == term for t in doc.tokens):
        return False
    pairs = jieba.posseg.lcut(term)
    if any(p.word in ("到", "在", "给", "向", "往", "至", "于") for p in pairs[1:-1]):
        return True  # 落实到生产队: a verb and its goal
    listed = [s > 0 and doc.text[s - 1] in "、和与及" for s in starts]
    if _most(listed) and re.search(r".[两二三四五六七八九十]+[地省市国方区县]", term):
        return True  # 湖北、重庆两地游客: the count sums up a list the term cuts
    tags = [pair.flag for pair in pairs]
    verbs = [k for k, t in enumerate(tags) if t in ("v", "vi", "vd")]
    names = ("nr", "ns", "nt", "nrt", "nrfg", "j")
    return (
        len(verbs) >= 2
        or any(t in ("t", "d", "ad") for t in tags)
        or any(k >= 2 and any(t in names for t in tags[:k]) and not _names_body(pairs, k) for k in verbs)
    )


def _names_body(pairs, k: int) -> bool:
    """The verb at `k` is right before the last word, an organisation's head: it names what the body does
    (首都国际机场 协调 委员会), no predicate."""
    return k == len(pairs) - 2 and pairs[-1].word.endswith(_BODIES)


def _listed_words(name: str) -> frozenset[str]:
    """Verbs and modifiers jieba's dictionary tags otherwise: jiegui's data/verbs.txt and modifiers.txt
    (tools/build_verbs.py makes them from words listed by kind and jieba's tags). The word lists this bench
    shares with jiegui's rules."""
    from jiegui.lexicon import word_set

    return word_set(name)


def _nominalised(term: str, doc, starts: list[int]) -> bool:
    """Most occurrences follow 的/之 or a demonstrative and head their phrase: no noun token after them
    (项目的落地带来就业, not 的创新型企业)."""
    by_start = {t.start: t for t in doc.tokens}
    nouns = ("n", "ng", "nz", "nl", "nt", "ns", "nr", "nrt", "nrfg", "j", "vn")
    return _most([
        s > 0 and doc.text[s - 1] in "的之这该此其" and (
            (after := by_start.get(s + len(term))) is None or after.pos not in nouns
        )
        for s in starts
    ])


_MODALS = ("能", "会", "可", "要", "应", "须", "需", "将", "已", "在", "正在", "可以", "能够", "应该", "需要",
           "争取", "大力", "着力", "全力", "重新")


def _verb_in_use(term: str, doc, start: int, ends: dict) -> bool:
    """An aspect particle (了 着 过) follows and the clause goes on (培育了一批, 织密了“…”); or the term
    is one token jieba tags a verb, after an adverb, a modal auxiliary, an adverbial of effort or the
    progressive 在 (积极培育, 能够培育, 大力培育, 在培育)."""
    end = start + len(term)
    if doc.text[end:end + 1] in ("了", "着", "过") and re.match(r"[^\s\W]|[“‘《(（]", doc.text[end + 1:end + 2]):
        return True
    own = [t for t in doc.tokens if t.start == start and t.end == end]
    before = ends.get(start)
    return bool(own) and own[0].pos in ("v", "vn", "vi", "vd") and before is not None and (
        before.pos in ("d", "ad", "df") or before.text in _MODALS
    )


def is_variant(term: str, higher: list[str], text: str | None = None) -> bool:
    for other in higher:
        short, long = sorted((term, other), key=len)
        if long[:-1] == short and long[-1] in "省市县区镇乡":
            return True
        if long.startswith(short) and long[len(short):] in _TAILS:
            return True
        if len(long) == len(short) + 1 and any(long[k] == "大" and long[:k] + long[k + 1:] == short for k in range(len(long))):
            return True  # 都市圈 / 大都市圈, 接轨上海 / 接轨大上海
        if short != long and short in long and text is not None:
            inside = sum(at >= long.index(short) and text.startswith(long, at - long.index(short)) for at in _occurrences(short, text))
            if 2 * inside > len(_occurrences(short, text)):
                return True  # most occurrences of the shorter lie inside the longer: one term
        same_set = set(term.replace("江", "苏")) == set(other.replace("江", "苏"))
        abbreviations = set(term + other) <= _PROVINCE_CHARS and not {term, other} & _PROVINCES
        if len(term) == len(other) and abbreviations and same_set:
            return True
    return False


def check(
    terms: list[str], doc, stopwords: frozenset[str], words: dict[str, int], furniture: tuple[tuple[int, int], ...],
    corpus=(),
) -> dict[str, str]:
    """term → the reason it is flagged (see the module's docstring); unflagged terms are absent.
    `furniture`: the document's furniture spans (`jiegui.text.boilerplate`); `corpus`: all the documents
    (how the corpus uses a word; the document alone when empty)."""
    flagged: dict[str, str] = {}
    for rank, term in enumerate(terms):
        for reason, failed in (
            ("junk", lambda: is_junk(term, stopwords)),
            ("boilerplate", lambda: is_boilerplate(term, doc, furniture)),
            ("heading", lambda: is_heading(term, doc.text)),
            ("cut", lambda: is_cut(term, doc, words, corpus)),
            ("clause", lambda: is_clause(term, doc)),
            ("variant", lambda: is_variant(term, terms[:rank], doc.text)),
        ):
            if failed():
                flagged[term] = reason
                break
    return flagged


def timed(args: list[str], repeat: int = 5) -> str:
    """Median wall-clock and CPU (user + system) seconds of the command; CPU time does not depend on
    what else the machine is running."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "jiegui", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return f"{statistics.median(walls):.2f} s wall / {statistics.median(cpus):.2f} s CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=None, help="corpus path (default: the bundled corpus)")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--markdown", action="store_true", help="print the side-by-side table as Markdown")
    parser.add_argument("--speed", action="store_true", help="also time the real commands (5 runs each)")
    args = parser.parse_args()

    import jieba
    import jieba.analyse

    from jiegui.corpus import load_corpus
    from jiegui.analyses.keywords import corpus_keywords, document_keywords
    from jiegui.text.segment import Segmenter

    jieba.setLogLevel(logging.WARNING)
    documents = load_corpus(args.corpus)
    stopwords = Segmenter().stopwords
    start = time.perf_counter()
    ours = document_keywords(documents, top_n=args.top)
    ours_seconds = time.perf_counter() - start
    by_doc: dict[str, list[str]] = {}
    for row in ours:
        by_doc.setdefault(row.doc, []).append(row.term)
    jieba.analyse.extract_tags("预热")  # load jieba's dictionary before timing
    start = time.perf_counter()
    theirs = {d.id: jieba.analyse.extract_tags(d.text, topK=args.top) for d in documents}
    theirs_seconds = time.perf_counter() - start

    from collections import Counter

    # The furniture the judge knows, whether or not the ranking used it (an older jiegui did not).
    from jiegui.text.boilerplate import mark_boilerplate

    furniture = {d.id: d.furniture for d in mark_boilerplate(documents)}
    jieba.dt.initialize()
    words = jieba.dt.FREQ  # jieba's dictionary: word → frequency (0 for prefixes only)

    reasons_ours: Counter = Counter()
    reasons_theirs: Counter = Counter()
    lines = [f"| document | jiegui keywords (top {args.top}) | jieba extract_tags (top {args.top}) |", "| --- | --- | --- |"]
    lines = lines if args.markdown else []
    for doc in documents:
        mine, jieba_terms = by_doc.get(doc.id, []), theirs[doc.id]
        flagged_mine = check(mine, doc, stopwords, words, furniture[doc.id], documents)
        flagged_theirs = check(jieba_terms, doc, stopwords, words, furniture[doc.id], documents)
        reasons_ours.update(flagged_mine.values())
        reasons_theirs.update(flagged_theirs.values())

        def cell(terms: list[str], flagged: dict[str, str], markdown: bool) -> str:
            if markdown:
                return " ".join(f"~~{t}~~" if t in flagged else t for t in terms)
            return " ".join(f"[{t}: {flagged[t]}]" if t in flagged else t for t in terms)

        if args.markdown:
            lines.append(f"| `{doc.id}` | {cell(mine, flagged_mine, True)} | {cell(jieba_terms, flagged_theirs, True)} |")
        else:
            lines.append(f"{doc.id}\n  jiegui: {cell(mine, flagged_mine, False)}\n  jieba:  {cell(jieba_terms, flagged_theirs, False)}")
    print("\n".join(lines))
    # The whole corpus: jiegui's corpus ranking next to extract_tags on all the text as one document.
    whole = "\n".join(d.text for d in documents)
    corpus_top = 2 * args.top
    mine = [k.term for k in corpus_keywords(documents, top_n=corpus_top)]
    jieba_terms = jieba.analyse.extract_tags(whole, topK=corpus_top)
    print(f"\ncorpus, top {corpus_top}:\n  jiegui keywords:          {' '.join(mine)}"
          f"\n  jieba extract_tags(all):  {' '.join(jieba_terms)}")
    total = args.top * len(documents)

    def summary(reasons: Counter) -> str:
        return f"{sum(reasons.values())}/{total} ({', '.join(f'{r} {n}' for r, n in sorted(reasons.items())) or 'none'})"

    print(f"\ndocuments: {len(documents)}; flagged terms: jiegui {summary(reasons_ours)}; jieba {summary(reasons_theirs)}")
    print(f"ranking time in-process: jiegui {ours_seconds:.3f} s (phrase discovery included), "
          f"jieba {theirs_seconds:.3f} s")
    if not args.speed:
        return
    corpus = [] if args.corpus is None else ["--corpus", args.corpus]
    subprocess.run([sys.executable, "-m", "jiegui", "keywords", *corpus], check=True, stdout=subprocess.DEVNULL)
    print(f"cache warm, median of 5: `jiegui keywords` {timed(['keywords', *corpus])}; "
          f"`jiegui keywords --by-doc` {timed(['keywords', '--by-doc', *corpus])}; "
          f"`jiegui corpus` (loading only) {timed(['corpus', *corpus])}; machine load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
