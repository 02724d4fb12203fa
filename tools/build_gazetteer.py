"""Regenerate src/jiegui/data/gazetteer.tsv.gz (gzipped TSV, 2 MB unpacked), the packaged gazetteer, and
its index src/jiegui/data/gazetteer.index.gz (`jiegui.analyses.regions.index_text`), what `load_gazetteer` reads.

Sources: the NBS 2023 division tables in ../shared/data/china-divisions (provinces, prefectures,
counties, towns with codes; 香港/澳门/台湾 without codes), plus the hand-kept places in
tools/gazetteer_extra.tsv (regions, rivers, bays, foreign countries; a short form where news writes one)
and the one-character abbreviations in tools/gazetteer_abbreviations.tsv.

Each full name and short form (平湖 for 平湖市) is classified once here, so loading stays a plain table
read: `S` is a name, `C` is also an ordinary word and counts only when the text names a region close to
it (its city or a neighbour), `-` never counts (街道, 经济开发区). A short form is weak when jieba's dictionary knows it as a frequent
ordinary word (长治 n, 大同 d, 海盐 n); town short forms are always weak and are dropped when frequent.

Run: python tools/build_gazetteer.py [path/to/china-divisions]
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
from collections import Counter
from pathlib import Path

import jieba

HERE = Path(__file__).parent
OUT = HERE.parent / "src" / "jiegui" / "data" / "gazetteer.tsv.gz"
INDEX = OUT.with_name("gazetteer.index.gz")
DEFAULT_SOURCE = HERE.parent.parent / "shared" / "data" / "china-divisions"

# The 55 minority nationalities, longest first, to strip from 自治州/自治县/民族乡 names.
ETHNIC = sorted(
    """蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡
    纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯
    鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺""".split(),
    key=len,
    reverse=True,
)
_ETHNIC_TAIL = re.compile("(?:" + "|".join(ETHNIC) + ")族$")
_ETHNIC_NAME_TAIL = re.compile("(?:" + "|".join(ETHNIC) + ")$")
# Division-type suffixes, longest first; a short form keeps at least two characters.
SUFFIXES = {
    "province": ("特别行政区", "自治区", "省", "市"),
    "city": ("自治州", "地区", "盟", "市"),
    "county": ("自治县", "自治旗", "新区", "林区", "特区", "区", "县", "市", "旗"),
    "town": ("民族乡", "街道", "苏木", "镇", "乡"),
}
# jieba tags of names: a short form jieba knows under one of these is a name, not an ordinary word.
NAME_TAGS = {"ns", "nr", "nrt", "nt", "j", "nrfg"}
COMMON_FREQ = 50  # jieba frequency above which an ordinary word is "frequent"
NAME_FREQ = 300  # a county short form jieba knows even as a name this often is also a generic word (南湖, 新城, 朝阳)
TOWN_FREQ = 100  # town short forms jieba knows this often are dropped whatever their tag


def short_form(name: str, level: str) -> str:
    for suffix in SUFFIXES.get(level, ()):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            while (m := _ETHNIC_TAIL.search(stem)) and m.start() >= 2:
                stem = stem[: m.start()]
            if suffix == "自治区" and (m := _ETHNIC_NAME_TAIL.search(stem)) and m.start() >= 2:
                stem = stem[: m.start()]  # 新疆维吾尔自治区 -> 新疆 (the nationality without 族)
            return stem
    return name


def jieba_words() -> dict[str, tuple[int, str]]:
    path = Path(jieba.__file__).parent / "dict.txt"
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


def short_flag(short: str, name: str, level: str, words: dict[str, tuple[int, str]]) -> str:
    if short == name or len(short) < 2:
        return "-"
    freq, tag = words.get(short, (0, ""))
    if level == "town":
        return "-" if freq >= TOWN_FREQ else "C"
    if freq >= COMMON_FREQ and tag not in NAME_TAGS:
        return "C"
    if level == "county" and freq >= NAME_FREQ:
        return "C"
    return "S"


def full_flag(name: str, level: str, words: dict[str, tuple[int, str]], counts: dict[str, int]) -> str:
    if level == "town":
        freq, tag = words.get(name, (0, ""))
        if freq >= COMMON_FREQ and tag != "ns":
            return "-"  # 街道, 小城镇: an ordinary word that happens to name a unit somewhere
        if not name.endswith(SUFFIXES["town"]):
            # 经济开发区, 农场: NBS's town-like units; one name shared by many is a category, not a name.
            return "-" if counts[name] >= 3 else "C"
    # 城区, 郊区, 东区: a two-character full name below the province is an ordinary word as often as not.
    return "C" if len(name) <= 2 and level in ("county", "town") else "S"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    words = jieba_words()
    rows: list[tuple[str, str, str, str, str, str, str]] = []  # id parent level name short aliases flags
    by_name: dict[str, str] = {}  # first id of each full name (for the hand lists' parents)

    counts = Counter(r["name"] for r in read_csv(source / "streets.csv"))

    def add(id_: str, parent: str, level: str, name: str, aliases: str = "") -> None:
        short = short_form(name, level)
        flags = full_flag(name, level, words, counts) + short_flag(short, name, level, words)
        if level == "town" and set(short) <= abbreviation_chars:
            flags = flags[0] + "-"  # 沪嘉 (沪嘉乡, 黑龙江) is read as 上海 + 嘉兴
        rows.append((id_, parent, level, name, short if short != name else "", aliases, flags))
        by_name.setdefault(name, id_)

    abbreviations = []
    ordinary_words = []
    abbreviation_chars = set()
    for line in (HERE / "gazetteer_abbreviations.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        char, name, cls = line.split("\t")
        if cls == "word":
            ordinary_words.append(char)
            continue
        abbreviations.append((char, name, cls))
        abbreviation_chars.add(char)

    skipped_cities = set()
    for r in read_csv(source / "provinces.csv"):
        add(r["code"], "", "province", r["name"])
    for r in read_csv(source / "cities.csv"):
        if r["name"] in ("市辖区", "县") or "直辖" in r["name"]:
            skipped_cities.add(r["code"])  # municipalities' and provinces' direct counties hang on the province
            continue
        add(r["code"], r["provinceCode"], "city", r["name"])
    for r in read_csv(source / "areas.csv"):
        parent = r["provinceCode"] if r["cityCode"] in skipped_cities else r["cityCode"]
        add(r["code"], parent, "county", r["name"])
    for r in read_csv(source / "streets.csv"):
        add(r["code"], r["areaCode"], "town", r["name"])

    sar = json.loads((source / "HK-MO-TW.json").read_text(encoding="utf-8"))
    for i, (province, cities) in enumerate(sar.items()):
        pid = f"X{i}"
        add(pid, "", "province", province)
        for j, (city, counties) in enumerate(cities.items()):
            cid = f"{pid}.{j}"
            add(cid, pid, "city", city)
            for k, county in enumerate(counties):
                add(f"{cid}.{k}", cid, "county", county)

    n = 0
    for line in (HERE / "gazetteer_extra.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, parent, aliases, short = (line.split("\t") + ["", "", ""])[:4]
        parent_id = by_name[parent.strip()] if parent.strip() else ""
        # The short form is printed, never scanned (flag -): scanning finds it among the aliases.
        rows.append((f"O{n}", parent_id, "other", name.strip(), short.strip(), aliases.strip(), "S-"))
        by_name.setdefault(name.strip(), f"O{n}")
        n += 1


    f = io.StringIO()
    f.write("# generated by tools/build_gazetteer.py from NBS 2023 divisions (china-divisions); do not edit\n")
    f.write("# id\tparent\tlevel\tname\tshort\taliases\tflags (full name, short form: S anywhere, C with context, - never)\n")
    for char, name, cls in abbreviations:
        f.write(f"#abbr\t{char}\t{by_name[name]}\t{cls}\n")
    for word in ordinary_words:
        f.write(f"#word\t{word}\n")
    for row in rows:
        f.write("\t".join(row) + "\n")
    # mtime=0: the same input gives the same bytes, so a rebuild only shows in git when the data changed.
    OUT.write_bytes(gzip.compress(f.getvalue().encode("utf-8"), compresslevel=9, mtime=0))
    sys.path.insert(0, str(HERE.parent / "src"))  # this checkout's jiegui, whatever is installed
    from jiegui.analyses.regions import index_text

    INDEX.write_bytes(gzip.compress(index_text(f.getvalue()).encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{len(rows)} places, {len(abbreviations)} abbreviations -> {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
