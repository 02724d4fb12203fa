"""`jiegui report`: the page's numbers equal the commands' JSON, the page works offline in a real browser,
and bad cases give one line (or "none found")."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiegui.cli import app

from .browser import Chromium, find_chromium
from .conftest import CORPUS_DIR

runner = CliRunner()
TOP = 12  # not the default 20, so that the page's top N is seen to follow --top


def run(*args: str):
    return runner.invoke(app, list(args))


def cli_json(*args: str):
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def embedded(page: str, element_id: str):
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', page, re.S)
    assert match, element_id
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    result = run("report", "-c", str(CORPUS_DIR), "-o", str(path), "--top", str(TOP))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{path.resolve()}\n"
    assert result.stderr == ""
    return path


@pytest.fixture(scope="module")
def bundled(bundled_page) -> dict:
    return embedded(bundled_page.read_text(encoding="utf-8"), "report-data")


def test_help():
    result = run("report", "--help")
    assert result.exit_code == 0
    assert "--output" in result.stdout and "--top" in result.stdout and "--corpus" in result.stdout


def test_page_is_self_contained(bundled_page):
    page = bundled_page.read_text(encoding="utf-8")
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "vegaEmbed" in page and len(page) > 500_000  # the libraries are inlined
    for chart in embedded(page, "report-charts"):
        assert '"Noto Sans CJK SC"' in chart["spec"]["config"]["font"]  # Chinese labels get a CJK font


def test_chart_specs_are_valid_vega_lite(bundled_page):
    """The page skips altair's validation (0.4 s); the specs are checked against the schema here."""
    import importlib

    import altair as alt
    from altair.utils.schemapi import validate_jsonschema

    schema = importlib.import_module(f"altair.vegalite.{alt.SCHEMA_VERSION.split('.')[0]}.schema.core").load_schema()
    charts = embedded(bundled_page.read_text(encoding="utf-8"), "report-charts")
    for chart in charts:
        validate_jsonschema(chart["spec"], schema)
        assert chart["datasets"]  # every chart reads the report's tables, by name


def test_corpus_section_equals_corpus_command(bundled):
    rows = cli_json("corpus", "-c", str(CORPUS_DIR))
    tables, summary = bundled["tables"], bundled["summary"]
    assert tables["documents"] == rows
    assert summary["documents"] == len(rows) == 22
    assert summary["characters"] == sum(r["chars"] for r in rows)
    assert summary["sources"] == len({r["source"] for r in rows if r["source"]})
    assert summary["duplicates_removed"] == sum(r["duplicates_removed"] for r in rows)
    years = Counter(r["date"][:4] for r in rows if r["date"])
    assert {r["year"]: r["articles"] for r in tables["articles_by_year"]} == years
    assert {r["source"]: r["articles"] for r in tables["sources"]} == Counter(r["source"] for r in rows if r["source"])
    by_file = defaultdict(list)
    for r in rows:
        by_file[r["id"].split("#")[0] + Path(r["path"]).suffix].append(r)
    cleaning = {r["file"]: r for r in tables["cleaning"]}
    assert set(cleaning) == set(by_file)
    for name, docs in by_file.items():
        assert cleaning[name]["kept_chars"] == sum(d["chars"] for d in docs)
        assert cleaning[name]["articles"] == len(docs)
        assert cleaning[name]["duplicates_removed"] == sum(d["duplicates_removed"] for d in docs)
        raw = cli_json("show", docs[0]["id"], "--raw", "-c", str(CORPUS_DIR))[0]
        assert cleaning[name]["raw_chars"] == raw["chars"]


def test_keyword_section_equals_keyword_commands(bundled):
    tables = bundled["tables"]
    assert tables["keywords"] == cli_json("keywords", "-c", str(CORPUS_DIR), "--top", str(TOP))
    assert len(tables["keywords"]) == TOP
    assert tables["document_keywords"] == cli_json("keywords", "-c", str(CORPUS_DIR), "--by-doc", "--top", "5")
    phrases = cli_json("phrases", "-c", str(CORPUS_DIR), "--top", str(TOP))
    assert tables["phrases"] == phrases and phrases


def test_entity_section_equals_entities_command(bundled):
    entities = cli_json("entities", "-c", str(CORPUS_DIR))
    shown = bundled["tables"]["entities"]
    for kind in ("PLACE", "ORG", "PERSON"):
        expected = [e for e in entities if e["type"] == kind][:TOP]
        got = [e for e in shown if e["type"] == kind]
        assert [(e["name"], e["count"], e["documents"], e["region_path"]) for e in got] == [
            (e["name"], e["count"], len(e["docs"]), e["region_path"]) for e in expected
        ]
    bars = {(b["name"], b["type"], b["measure"]): b["value"] for b in bundled["tables"]["entity_bars"]}
    assert all(bars[e["name"], e["type"], "mentions"] == e["count"] for e in shown)
    assert all(bars[e["name"], e["type"], "documents"] == e["documents"] for e in shown)
    # the places hierarchy: a region's mentions are its own and those of every place inside it
    places = [e for e in cli_json("entities", "-c", str(CORPUS_DIR), "--type", "PLACE") if e["region_path"]]
    tree = bundled["tables"]["places"]
    assert 10 <= len(tree) <= 40
    for node in tree:
        path = node["path"].split("/")
        inside = [p for p in places if p["region_path"][: len(path)] == path]
        assert node["mentions"] == sum(p["count"] for p in inside), node
        assert node["documents"] == len({d for p in inside for d in p["docs"]}), node
    rows = {n["path"]: n for n in tree}
    assert rows["浙江省/嘉兴市"]["mentions"] > rows["浙江省/嘉兴市"]["own_mentions"] > 0
    assert rows["浙江省/嘉兴市/平湖市"]["level"] == 3
    positions = {n["path"]: i for i, n in enumerate(tree)}
    assert all(positions["/".join(n["path"].split("/")[:-1])] < positions[n["path"]] for n in tree if n["level"] > 1)


def test_fact_section_equals_facts_command(bundled):
    facts = cli_json("facts", "-c", str(CORPUS_DIR))
    tables = bundled["tables"]
    assert tables["facts"] == facts and len(facts) > 100
    assert {r["kind"]: r["facts"] for r in tables["facts_by_kind"]} == Counter(f["kind"] for f in facts)
    assert {r["region"]: r["facts"] for r in tables["facts_by_region"]} == Counter(f["region"] or "(no region)" for f in facts)
    assert {r["year"]: r["facts"] for r in tables["facts_by_year"]} == Counter(
        "(no year)" if f["year"] is None else str(f["year"]) for f in facts
    )
    money = cli_json("facts", "-c", str(CORPUS_DIR), "--kind", "money", "--sort", "value", "--limit", str(TOP))
    assert [{k: v for k, v in r.items() if k not in ("rank", "label", "yi_yuan")} for r in tables["money"]] == money
    assert [r["yi_yuan"] for r in tables["money"]] == pytest.approx([f["value"] / 1e8 for f in money])


def test_similarity_section_equals_similar_command(bundled):
    tables = bundled["tables"]
    matrix = cli_json("similar", "-c", str(CORPUS_DIR), "--matrix")
    expected = {(a, b): matrix["scores"][i][j] for i, a in enumerate(matrix["ids"]) for j, b in enumerate(matrix["ids"])}
    assert {(c["a"], c["b"]): c["score"] for c in tables["similarity"]} == expected
    order = [r["doc"] for r in tables["similarity_order"]]
    assert sorted(order) == sorted(matrix["ids"]) and order != matrix["ids"]  # clustered, not corpus order
    # clustered order puts the two reports of the 28 July 2017 conference side by side
    assert abs(order.index("jiaxing-qiaotoubao") - order.index("xiao-jiaxing-da-yexin")) == 1
    neighbours = defaultdict(list)
    for row in tables["neighbours"]:
        neighbours[row["a"]].append({k: row[k] for k in ("a", "b", "score", "shared_terms")})
    assert list(neighbours) == matrix["ids"]
    for doc in matrix["ids"]:
        assert neighbours[doc] == cli_json("similar", doc, "-c", str(CORPUS_DIR), "--top", "3")
    assert tables["duplicates"] == cli_json("similar", "-c", str(CORPUS_DIR), "--duplicates")


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    """Three files, no dates, no numbers; two are copies (a duplicate group); one has furniture lines."""
    root = tmp_path_factory.mktemp("small")
    text = "嘉兴主动接轨上海，推进长三角一体化发展。平湖加快建设产业园区，吸引上海企业落户。\n"
    (root / "a.txt").write_text(text, encoding="utf-8")
    (root / "b.txt").write_text("首页 > 新闻资讯 > 正文\n" + text + "版权所有 浙江在线新闻网\n", encoding="utf-8")
    (root / "c.txt").write_text("杭州西湖风景优美，游客众多。\n", encoding="utf-8")
    return root


def test_no_dates_no_facts_show_none_found(small_corpus, tmp_path):
    out = tmp_path / "small.html"
    result = run("report", "-c", str(small_corpus), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "None found: no document states a date." in page
    assert "None found: no numeric fact." in page and "None found: no money figure." in page
    charts = {c["id"] for c in embedded(page, "report-charts")}
    assert "chart-articles_by_year" not in charts and "chart-facts_counts" not in charts
    assert 'id="chart-articles_by_year"' not in page
    assert {"chart-keywords", "chart-similarity", "chart-cleaning"} <= charts
    data = embedded(page, "report-data")["tables"]
    assert data["facts"] == [] == cli_json("facts", "-c", str(small_corpus))
    cleaning = {r["file"]: r for r in data["cleaning"]}
    assert cleaning["b.txt"]["furniture_lines"] == 2 and cleaning["a.txt"]["furniture_lines"] == 0
    assert data["duplicates"] == cli_json("similar", "-c", str(small_corpus), "--duplicates")
    assert data["duplicates"][0]["documents"] == ["a", "b"]


def test_traditional_corpus_keywords_and_phrases_equal_their_commands(tmp_path):
    """Keywords find phrases in the Simplified form, `jiegui phrases` as written: here they differ."""
    corpus = tmp_path / "trad"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "嘉興推進長三角一體化發展，主動接軌上海。長三角一體化發展需要區域協同。\n"
        "平湖積極參與長三角一體化發展，建設產業園區。長三角一體化發展帶來新機遇。\n"
        "海寧融入長三角一體化發展，加強科技合作。\n", encoding="utf-8")
    (corpus / "b.txt").write_text("桐鄉推動長三角一體化發展，打造產業園區。產業園區吸引上海企業。上海企業落戶產業園區。\n",
                                  encoding="utf-8")
    out = tmp_path / "trad.html"
    assert run("report", "-c", str(corpus), "-o", str(out)).exit_code == 0
    tables = embedded(out.read_text(encoding="utf-8"), "report-data")["tables"]
    assert tables["phrases"] == cli_json("phrases", "-c", str(corpus), "--top", "20")
    assert tables["keywords"] == cli_json("keywords", "-c", str(corpus))
    assert tables["keywords"][0]["term"] == "長三角一體化發展"
    assert "長三角一體化發展" not in [p["term"] for p in tables["phrases"]]


def test_empty_corpus_is_one_line_error(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("report", "-c", str(tmp_path / "empty"), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 1
    assert result.stderr.startswith("jiegui: error: ") and result.stderr.count("\n") == 1
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("target", ["missing-dir/r.html", ".", "file.txt/r.html"])
def test_unwritable_output_is_one_line_error(tmp_path, small_corpus, target):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    result = run("report", "-c", str(small_corpus), "-o", str(tmp_path / target))
    assert result.exit_code == 1
    assert result.stderr.startswith("jiegui: error: cannot write the report to ")
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_without_the_extra_one_line_tells_how_to_install(tmp_path):
    code = (
        "import sys\nsys.modules['vl_convert'] = None\nfrom jiegui.cli import app\n"
        f"app(['report', '-c', {str(CORPUS_DIR)!r}, '-o', {str(tmp_path / 'r.html')!r}])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr == (
        "jiegui: error: the report needs the optional packages altair and vl-convert-python "
        "(vl_convert is missing): pip install 'jiegui[report]'\n"
    )


TABLE_SCRIPT = """(() => {
  const block = Array.from(document.querySelectorAll('.block.wide')).pop();
  const input = block.querySelector('input.filter'), table = block.querySelector('table');
  input.value = '平湖'; input.dispatchEvent(new Event('input'));
  const visible = Array.from(table.tBodies[0].rows).filter(r => r.style.display !== 'none').length;
  input.value = ''; input.dispatchEvent(new Event('input'));
  const column = Array.from(table.tHead.rows[0].cells).findIndex(c => c.textContent === 'value');
  table.tHead.rows[0].cells[column].click();
  const first_values = Array.from(table.tBodies[0].rows).slice(0, 3).map(r => parseFloat(r.cells[column].dataset.v));
  return {visible, first_values};
})()"""


def test_page_renders_in_a_real_browser(bundled_page, tmp_path):
    binary = find_chromium()
    if binary is None:
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    screenshot = tmp_path / "report.png"
    with Chromium(binary) as browser:
        check = browser.check_page(bundled_page, screenshot=screenshot, hover=("chart-keywords", "chart-places"),
                                   script=TABLE_SCRIPT)
    page = bundled_page.read_text(encoding="utf-8")
    expected = [c["id"] for c in embedded(page, "report-charts")]
    assert len(expected) == 11  # every section's charts: none is empty on the bundled corpus
    assert check.console_errors == [] and check.console_warnings == []
    assert check.requests == []  # offline: nothing fetched beyond the file itself
    assert check.done == str(len(expected))
    charts = {c["id"]: c for c in check.charts}
    assert list(charts) == expected
    for chart in charts.values():
        assert chart["error"] is None and chart["svg"] >= 1 and chart["marks"] > 0, chart
    assert charts["chart-keywords"]["marks"] == TOP  # one bar per row of the table
    assert "上海市" in charts["chart-places"]["texts"]  # Chinese labels are drawn as text
    keywords = embedded(page, "report-data")["tables"]["keywords"]
    assert keywords[0]["term"] in check.tooltips["chart-keywords"]  # and shown in tooltips
    assert "上海市" in check.tooltips["chart-places"]
    # the facts table filters as one types and sorts by value on a click (largest first)
    facts = embedded(page, "report-data")["tables"]["facts"]
    assert check.script_result["visible"] == sum(1 for f in facts if "平湖" in " ".join(
        str(v) for k, v in f.items() if k in ("doc", "text", "unit", "kind", "metric", "region", "year", "sentence")))
    assert check.script_result["visible"] < len(facts)
    values = sorted((f["value"] for f in facts), reverse=True)
    assert check.script_result["first_values"] == values[:3]
    assert screenshot.stat().st_size > 100_000 and screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
