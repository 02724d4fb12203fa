"""The corpus at a glance: one self-contained HTML page of charts and the tables behind them.

`report_inputs` gathers each section's inputs by calling the same library functions the commands call
(so every number equals the JSON of the matching command; on a Dask cluster `jiegui.distributed.
cluster_report` computes the same inputs on the workers and sends only them); `build_report` makes the
tables from them; `render_report` draws them with Vega-Lite (charts specified with altair, the vega /
vega-lite / vega-embed JavaScript inlined from vl-convert-python's bundle, cached in the cache dir after
the first run) and `write_report` writes the page. altair and vl-convert-python are an optional extra
(`pip install 'jiegui[report]'`, ~106 MB): they are imported only here, only when the page is drawn.
"""
from __future__ import annotations

import dataclasses
import html
import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiegui import __version__
from jiegui.errors import InputError, JieguiError
from jiegui.models import (
    Document,
    DocumentSummary,
    DuplicateGroup,
    Entity,
    Fact,
    Keyword,
    Pair,
    Phrase,
    SimilarityMatrix,
)
from jiegui.output.render import as_dict

if TYPE_CHECKING:
    from jiegui.analyses.similarity import SimilarityIndex

TOP_N = 20
DOC_TERMS = 5  # terms per document in the document × rank heat map (`jiegui keywords --by-doc --top 5`)
NEIGHBOURS = 3  # nearest neighbours listed per document (`jiegui similar ID --top 3`)
MATRIX_DOCS = 60  # the similarity heat map shows at most this many documents
HEATMAP_DOCS = 60  # the keyword heat map shows the first this many documents (the table has them all)
PLACE_ROWS = 40  # the places hierarchy keeps at most this many rows (the most mentioned, with their parents)
NO_YEAR = "(no year)"
NO_REGION = "(no region)"
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
COUNT_AXIS: dict[str, Any] = {"format": "d", "tickMinStep": 1}  # counts: whole ticks
INSTALL_HINT = "pip install 'jiegui[report]'"


class ReportUnavailable(JieguiError):
    """The optional charting packages are not installed."""


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the page shows. `tables` maps a name to its rows (plain JSON values); the charts and
    the HTML tables are drawn from these same rows, and the page embeds them as JSON."""

    title: str
    generated: str
    top_n: int
    summary: dict[str, int]
    tables: dict[str, list[dict[str, Any]]]
    notes: dict[str, str]


# ---------------------------------------------------------------- gathering the data
@dataclass(frozen=True, slots=True)
class Cleaning:
    """A file's cleaning figures: the characters read, and its furniture lines (see `file_cleaning`)."""

    raw_chars: int
    furniture_lines: int


@dataclass(frozen=True, slots=True)
class SimilaritySection:
    """The similarity section's inputs: every document's id (corpus order), the heat map's matrix (the
    documents `heat_map_ids` chooses), each document's nearest neighbours, the duplicate groups."""

    ids: tuple[str, ...]
    matrix: SimilarityMatrix
    neighbours: Sequence[Sequence[Pair]]
    duplicates: Sequence[DuplicateGroup]


@dataclass(frozen=True, slots=True)
class ReportInputs:
    """What the sections are built from: the commands' own results, small beside the documents (computed
    here by `report_inputs`, or on a Dask cluster by `jiegui.distributed.cluster_report`, which sends the
    client only these). `cleaning` maps each file that can be re-read (not standard input), by its path as
    the summaries give it, to its figures; `phrases` are all of `discover_phrases`'s rows; `keywords` and
    `document_keywords` are `jiegui keywords --top N` and `--by-doc --top DOC_TERMS`."""

    summaries: Sequence[DocumentSummary]
    cleaning: dict[str, Cleaning]
    phrases: Sequence[Phrase]
    keywords: Sequence[Keyword]
    document_keywords: Sequence[Keyword]
    entities: Sequence[Entity]
    facts: Sequence[Fact]
    similarity: SimilaritySection


def report_inputs(
    documents: Sequence[Document],
    *,
    top_n: int = TOP_N,
    segmenter: Any = None,
    encoding: str | None = None,
) -> ReportInputs:
    """Every section's inputs from `documents`, with the commands' own functions and defaults.

    `segmenter` carries the user's dictionaries and stopwords (None: the packaged ones); `encoding` is
    the one the files were read with (for the cleaning figures, which re-read each file).
    """
    from jiegui.analysed import analyse
    from jiegui.analyses import similarity
    from jiegui.analyses.entities import extract_entities
    from jiegui.analyses.facts import extract_facts
    from jiegui.analyses.phrases import discover_phrases
    from jiegui.corpus import STDIN, raw_text
    from jiegui.text.segment import Segmenter

    _check(len(documents), top_n)
    segmenter = segmenter or Segmenter()
    cleaning: dict[str, Cleaning] = {}
    for document in documents:
        if document.path != STDIN and document.path not in cleaning:
            cleaning[document.path] = file_cleaning(raw_text(document, encoding=encoding))
    keywords, by_doc = _keywords(documents, top_n=top_n, stopwords=segmenter.stopwords)
    index = similarity.build_index([analyse(d, segmenter.settings) for d in documents])
    strongest = similarity.most_similar_pairs(index, top=4 * MATRIX_DOCS) if len(index.ids) > MATRIX_DOCS else []
    return ReportInputs(
        summaries=[DocumentSummary(d.id, d.title, d.source, d.date, d.chars, len(d.sentences), d.duplicates_removed, d.path)
                   for d in documents],
        cleaning=cleaning,
        phrases=discover_phrases(documents, stopwords=segmenter.stopwords),
        keywords=keywords,
        document_keywords=by_doc,
        entities=extract_entities(documents),
        facts=extract_facts(documents),
        similarity=SimilaritySection(index.ids, heat_map(index, heat_map_ids(index.ids, strongest)), all_neighbours(index),
                                     similarity.duplicate_groups(index)),
    )


def _check(documents: int, top_n: int) -> None:
    if not documents:
        raise InputError("empty corpus: no documents")
    if top_n < 1:
        raise InputError(f"top_n must be at least 1 (got {top_n})")


def _keywords(documents: Sequence[Document], *, top_n: int, stopwords: frozenset[str]) -> tuple[list[Keyword], list[Keyword]]:
    """`jiegui keywords --top N` and `--by-doc --top DOC_TERMS`, the phrases found once for both (as each
    ranking would find them, in Simplified: the phrases table shows what `jiegui phrases` prints, which
    reads the documents as written)."""
    from jiegui.analyses import keywords
    from jiegui.analyses.phrases import discover_phrases

    phrases = discover_phrases(keywords.ranked_documents(documents), stopwords=stopwords)
    return (keywords.corpus_keywords(documents, top_n=top_n, stopwords=stopwords, phrases=phrases),
            keywords.document_keywords(documents, top_n=DOC_TERMS, stopwords=stopwords, phrases=phrases))


def file_cleaning(raw: str) -> Cleaning:
    """A file's figures from its decoded text: characters read, and furniture lines. The text is run
    through the cleaning steps up to the furniture step; the lines that step removes whole are its
    furniture lines (a line whose prose is kept does not count)."""
    from jiegui.text.clean import STEPS, drop_furniture

    text = raw
    for step in STEPS[: STEPS.index(drop_furniture)]:
        text = step(text)
    lines = sum(1 for line in text.split("\n") if line)
    kept_lines = sum(1 for line in drop_furniture(text).split("\n") if line)
    return Cleaning(len(raw), lines - kept_lines)


def heat_map_ids(ids: Sequence[str], strongest: Sequence[Pair]) -> list[str]:
    """The documents of the similarity heat map: all of them up to MATRIX_DOCS, else those of the
    strongest pairs (`most_similar_pairs`, top 4 × MATRIX_DOCS: those that belong together), in corpus
    order, completed by the first others."""
    if len(ids) <= MATRIX_DOCS:
        return list(ids)
    chosen: dict[str, None] = {}
    for pair in strongest:
        chosen.update({pair.a: None, pair.b: None})
    shown = [i for i in ids if i in chosen][:MATRIX_DOCS]
    return shown + [i for i in ids if i not in chosen][: MATRIX_DOCS - len(shown)]


def heat_map(index: SimilarityIndex, ids: Sequence[str]) -> SimilarityMatrix:
    """The similarity matrix of the documents `ids` (`heat_map_ids`) of the index."""
    from jiegui.analyses import similarity

    sub = index
    if list(ids) != list(index.ids):
        sub = dataclasses.replace(index, ids=tuple(ids), matrix=index.matrix[[index.position(i) for i in ids]])
    return similarity.similarity_matrix(sub, max_docs=MATRIX_DOCS)


def all_neighbours(index: SimilarityIndex) -> list[list[Pair]]:
    """Each document's NEIGHBOURS nearest documents (`jiegui similar ID --top 3`), in corpus order."""
    from jiegui.analyses.similarity import nearest

    return [nearest(index, doc, top=NEIGHBOURS) for doc in index.ids]


def build_report(inputs: ReportInputs, *, top_n: int = TOP_N, title: str = "corpus") -> Report:
    """Every section's tables from its inputs (`report_inputs`, or a cluster's `cluster_report`)."""
    _check(len(inputs.summaries), top_n)
    tables: dict[str, list[dict[str, Any]]] = {}
    notes: dict[str, str] = {}
    summary = _corpus_tables(inputs.summaries, inputs.cleaning, tables, notes, top_n=top_n)
    tables["phrases"] = [as_dict(p) for p in inputs.phrases[:top_n]]
    tables["keywords"] = [as_dict(k) for k in inputs.keywords]
    tables["document_keywords"] = [as_dict(k) for k in inputs.document_keywords]
    if len(inputs.summaries) > HEATMAP_DOCS:
        notes["document_keywords"] = f"The heat map shows the first {HEATMAP_DOCS} of {len(inputs.summaries)} documents; the table has them all."
    _entity_tables(inputs.entities, tables, top_n=top_n)
    _fact_tables(inputs.facts, tables, top_n=top_n)
    _similarity_tables(inputs.similarity, tables, notes)
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return Report(title, generated, top_n, summary, tables, notes)


def _corpus_tables(summaries: Sequence[DocumentSummary], cleaning: dict[str, Cleaning], tables: dict[str, list[dict[str, Any]]],
                   notes: dict[str, str], *, top_n: int) -> dict[str, int]:
    rows = [as_dict(s) for s in summaries]
    tables["documents"] = rows
    years = Counter(r["date"][:4] for r in rows if r["date"])
    tables["articles_by_year"] = [{"year": y, "articles": n} for y, n in sorted(years.items())]
    undated = sum(1 for r in rows if not r["date"])
    if undated:
        notes["articles_by_year"] = f"{undated} of {len(rows)} documents state no date."
    sources: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        if r["source"]:
            sources[r["source"]][0] += 1
            sources[r["source"]][1] += r["chars"]
    tables["sources"] = [
        {"source": s, "articles": n, "chars": c} for s, (n, c) in sorted(sources.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]
    if len(tables["sources"]) > top_n:
        notes["sources"] = f"The chart shows the {top_n} sources with most articles; the table has all {len(sources)}."
    tables["cleaning"] = _cleaning_rows(summaries, cleaning)
    if len(tables["cleaning"]) > top_n:
        notes["cleaning"] = (f"The chart shows the {top_n} files of which cleaning dropped most; "
                             f"the table has all {len(tables['cleaning'])}.")
    return {
        "documents": len(rows),
        "characters": sum(r["chars"] for r in rows),
        "sentences": sum(r["sentences"] for r in rows),
        "files": len({r["path"] for r in rows}),
        "sources": len(sources),
        "dated": len(rows) - undated,
        "duplicates_removed": sum(r["duplicates_removed"] for r in rows),
    }


def _cleaning_rows(summaries: Sequence[DocumentSummary], cleaning: dict[str, Cleaning]) -> list[dict[str, Any]]:
    """Per file: characters read and kept, furniture lines dropped, duplicate paragraphs removed."""
    by_file: dict[str, list[DocumentSummary]] = {}
    for summary in summaries:
        by_file.setdefault(summary.path, []).append(summary)
    rows = []
    for path, docs in by_file.items():
        if (figures := cleaning.get(path)) is None:  # standard input: read once
            continue
        kept = sum(d.chars for d in docs)
        rows.append({
            "file": docs[0].id.split("#")[0] + Path(path).suffix, "articles": len(docs), "raw_chars": figures.raw_chars,
            "kept_chars": kept, "dropped_chars": max(0, figures.raw_chars - kept), "furniture_lines": figures.furniture_lines,
            "duplicates_removed": sum(d.duplicates_removed for d in docs),
        })
    return rows


def _entity_tables(found: Sequence[Entity], tables: dict[str, list[dict[str, Any]]], *, top_n: int) -> None:
    top: list[dict[str, Any]] = []
    taken: Counter[str] = Counter()
    for entity in found:  # most mentioned first
        if taken[entity.type] < top_n:
            taken[entity.type] += 1
            top.append({
                "name": entity.name, "type": entity.type, "count": entity.count, "documents": len(entity.docs),
                "aliases": list(entity.aliases), "region_path": list(entity.region_path),
            })
    tables["entities"] = top
    tables["entity_bars"] = [
        {"name": e["name"], "type": e["type"], "measure": measure, "value": e[field]}
        for e in top
        for measure, field in (("mentions", "count"), ("documents", "documents"))
    ]
    tables["places"] = _place_tree([e for e in found if e.type == "PLACE" and e.region_path])


def _place_tree(places: Sequence[Any], rows: int = PLACE_ROWS) -> list[dict[str, Any]]:
    """Places grouped along their region_path (province → city → county), in tree order.

    `mentions` of a region counts its own mentions and those of every place inside it; `documents` is
    the number of documents naming it or a place inside it. The least mentioned regions are left out to
    keep at most `rows` rows; a region's parents always have at least its mentions, so they stay.
    """
    mentions: Counter[tuple[str, ...]] = Counter()
    own: Counter[tuple[str, ...]] = Counter()
    docs: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for place in places:
        path = tuple(place.region_path)
        own[path] += place.count
        for depth in range(1, len(path) + 1):
            mentions[path[:depth]] += place.count
            docs[path[:depth]].update(place.docs)
    if not mentions:
        return []
    ranked = sorted(mentions.values(), reverse=True)
    floor = ranked[min(rows, len(ranked)) - 1]
    if len(ranked) > rows and ranked[rows] == floor:  # a tie at the cut: drop the whole tie
        floor += 1
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for path in mentions:
        if mentions[path] >= floor:
            children[path[:-1]].append(path)
    ordered: list[tuple[str, ...]] = []

    def visit(parent: tuple[str, ...]) -> None:
        for path in sorted(children.get(parent, ()), key=lambda p: (-mentions[p], p)):
            ordered.append(path)
            visit(path)

    visit(())
    return [
        {"path": "/".join(p), "name": p[-1], "level": len(p), "mentions": mentions[p], "own_mentions": own[p],
         "documents": len(docs[p])}
        for p in ordered
    ]


def _fact_tables(found: Sequence[Fact], tables: dict[str, list[dict[str, Any]]], *, top_n: int) -> None:
    from jiegui.analyses import facts

    rows = [as_dict(f) for f in found]
    tables["facts"] = rows
    by_kind = Counter(r["kind"] for r in rows)
    tables["facts_by_kind"] = [{"kind": k, "facts": n} for k, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))]
    by_region = Counter(r["region"] or NO_REGION for r in rows)
    tables["facts_by_region"] = [
        {"region": k, "facts": n} for k, n in sorted(by_region.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    by_year = Counter(NO_YEAR if r["year"] is None else str(r["year"]) for r in rows)
    tables["facts_by_year"] = [{"year": k, "facts": n} for k, n in sorted(by_year.items())]
    money = facts.sort_facts(facts.filter_facts(found, kind="money"), facts.SortOrder.value)[:top_n]
    tables["money"] = [
        {**as_dict(f), "rank": rank, "label": f"{rank}. {f.text}", "yi_yuan": f.value / 1e8}
        for rank, f in enumerate(money, start=1)
    ]


def _similarity_tables(section: SimilaritySection, tables: dict[str, list[dict[str, Any]]], notes: dict[str, str]) -> None:
    matrix = section.matrix
    if len(section.ids) > MATRIX_DOCS:
        notes["similarity"] = (
            f"The heat map shows the {len(matrix.ids)} of {len(section.ids)} documents that take part in the strongest pairs."
        )
    order = _clustered_order(matrix.scores)
    ordered = [matrix.ids[i] for i in order]
    tables["similarity_order"] = [{"doc": doc, "position": p} for p, doc in enumerate(ordered, start=1)]
    tables["similarity"] = [
        {"a": matrix.ids[i], "b": matrix.ids[j], "score": matrix.scores[i][j]} for i in order for j in order
    ]
    tables["neighbours"] = [
        {**as_dict(pair), "rank": rank} for pairs in section.neighbours for rank, pair in enumerate(pairs, start=1)
    ]
    tables["duplicates"] = [as_dict(g) for g in section.duplicates]


def _clustered_order(scores: Sequence[Sequence[float]]) -> list[int]:
    """Rows in the leaf order of an average-linkage clustering on 1 − cosine (optimal leaf ordering),
    so that documents that are alike sit next to each other in the heat map."""
    n = len(scores)
    if n < 3:
        return list(range(n))
    import numpy as np
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    distance = 1.0 - np.asarray(scores, dtype=float)
    distance = np.clip((distance + distance.T) / 2, 0.0, 1.0)
    np.fill_diagonal(distance, 0.0)
    return [int(i) for i in leaves_list(linkage(squareform(distance, checks=False), "average", optimal_ordering=True))]


# ---------------------------------------------------------------- drawing the page
def _charting() -> tuple[Any, Any]:
    """altair and vl_convert, or ReportUnavailable saying how to install them."""
    try:
        import altair
        import vl_convert
    except ImportError as exc:
        raise ReportUnavailable(f"the report needs the optional packages altair and vl-convert-python ({exc.name} is missing): {INSTALL_HINT}") from None
    return altair, vl_convert


def check_available() -> None:
    """Raise ReportUnavailable now, before any slow work, if the charting packages are missing."""
    _charting()


def javascript_bundle() -> str:
    """vega, vega-lite and vega-embed as one script, made by vl-convert (~4 s) once per version and
    kept in the cache dir."""
    from jiegui import cache

    alt, vlc = _charting()
    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    vl_version = version if version in vlc.get_vegalite_versions() else None
    name = f"vega-bundle-{vlc.get_vega_embed_version()}-{vl_version or 'latest'}.js"
    bundle = cache.read_file(name)
    if bundle is None:
        bundle = vlc.javascript_bundle(vl_version=vl_version)
        cache.write_file(name, bundle)  # atomic, owner-only; `jiegui cache clear` removes it
    return bundle


@dataclass(frozen=True)
class _Chart:
    id: str
    spec: dict[str, Any]
    datasets: tuple[str, ...]


def _charts(report: Report) -> dict[str, _Chart]:
    """Every chart of the page as a Vega-Lite spec reading named datasets (the report's tables)."""
    alt, _ = _charting()
    t = report.tables
    charts: dict[str, Any] = {}

    def data(name: str) -> Any:
        return alt.Data(name=name)

    def first(chart: Any, n: int) -> Any:
        """Only the first n rows (tables come sorted)."""
        return chart.transform_window(row="row_number()").transform_filter(f"datum.row <= {n}")

    charts["articles_by_year"] = alt.Chart(data("articles_by_year"), width=420, height=180).mark_bar().encode(
        x=alt.X("year:O", title="year", axis=alt.Axis(labelAngle=0)), y=alt.Y("articles:Q", title="articles", axis=COUNT_AXIS),
        tooltip=["year:O", "articles:Q"])
    charts["sources"] = first(alt.Chart(data("sources"), width=420), report.top_n).mark_bar().encode(
        y=alt.Y("source:N", sort=None, title=None), x=alt.X("articles:Q", title="articles", axis=COUNT_AXIS),
        tooltip=["source:N", "articles:Q", "chars:Q"])
    charts["cleaning"] = alt.Chart(data("cleaning"), width=420).transform_window(
        row="row_number()", sort=[alt.SortField("dropped_chars", order="descending")]).transform_filter(
        f"datum.row <= {report.top_n}").transform_fold(
        ["kept_chars", "dropped_chars"], as_=["part", "characters"]).mark_bar().encode(
        y=alt.Y("file:N", sort=alt.EncodingSortField("row", op="min"), title=None),  # most dropped first
        x=alt.X("characters:Q", stack="zero", title="characters"),
        color=alt.Color("part:N", title=None, scale=alt.Scale(domain=["kept_chars", "dropped_chars"], range=["#4c78a8", "#e45756"]),
                        legend=alt.Legend(labelExpr="datum.label == 'kept_chars' ? 'kept' : 'dropped by cleaning'")),
        tooltip=["file:N", "raw_chars:Q", "kept_chars:Q", "furniture_lines:Q", "duplicates_removed:Q"])
    charts["keywords"] = alt.Chart(data("keywords"), width=420).mark_bar().encode(
        y=alt.Y("term:N", sort=None, title=None), x=alt.X("score:Q", title="score"),
        tooltip=["rank:Q", "term:N", alt.Tooltip("score:Q", format=".4f"), "count:Q", "df:Q"])
    shown = list(dict.fromkeys(k["doc"] for k in t["document_keywords"]))[:HEATMAP_DOCS]
    base = alt.Chart(data("document_keywords"), width=DOC_TERMS * 90).transform_filter(
        alt.FieldOneOfPredicate(field="doc", oneOf=shown)).encode(
        x=alt.X("rank:O", title="rank", axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("doc:N", sort=None, title=None))
    charts["document_keywords"] = alt.layer(
        base.mark_rect().encode(color=alt.Color("score:Q", scale=alt.Scale(range=["#f2f7fc", "#7fb2dc"]), legend=None),
                                tooltip=["doc:N", "rank:Q", "term:N", alt.Tooltip("score:Q", format=".4f"), "count:Q", "df:Q"]),
        base.mark_text(fontSize=11, limit=86).encode(text="term:N"),
    )
    charts["phrases"] = alt.Chart(data("phrases"), width=420).mark_bar().encode(
        y=alt.Y("term:N", sort=None, title=None), x=alt.X("count:Q", title="occurrences"),
        tooltip=["term:N", "count:Q", "df:Q", alt.Tooltip("pmi:Q", format=".2f"), alt.Tooltip("score:Q", format=".2f")])
    charts["entities"] = alt.Chart(data("entity_bars"), width=230).mark_bar().encode(
        y=alt.Y("name:N", sort=None, title=None), x=alt.X("value:Q", title=None, axis=COUNT_AXIS),
        color=alt.Color("measure:N", title=None, sort=["mentions", "documents"], legend=None),
        tooltip=["name:N", "type:N", "measure:N", "value:Q"],
    ).facet(row=alt.Row("type:N", title=None, sort=["PLACE", "ORG", "PERSON"], header=alt.Header(labelAngle=0, labelAlign="left")),
            column=alt.Column("measure:N", title=None, sort=["mentions", "documents"]),
    ).resolve_scale(y="independent", x="independent")
    charts["places"] = alt.Chart(data("places"), width=420).mark_bar().encode(
        y=alt.Y("path:N", sort=None, title=None,
                axis=alt.Axis(labelExpr="replace(datum.label, /[^/]*\\//g, '› ')", labelAlign="left", labelPadding=120)),
        x=alt.X("mentions:Q", title="mentions (with the places inside)"),
        color=alt.Color("level:O", title="level", scale=alt.Scale(scheme="tealblues", reverse=True),
                        legend=alt.Legend(labelExpr="['', 'province, region', 'city', 'county, district', 'township'][datum.value] || datum.label")),
        tooltip=["path:N", "mentions:Q", "own_mentions:Q", "documents:Q"])
    small = {"width": 200, "height": 160}
    charts["facts_counts"] = alt.hconcat(
        alt.Chart(data("facts_by_kind"), title="by kind", **small).mark_bar().encode(
            x=alt.X("kind:N", sort=None, title=None), y=alt.Y("facts:Q"), tooltip=["kind:N", "facts:Q"]),
        first(alt.Chart(data("facts_by_region"), title=f"by region (top {report.top_n})", width=200), report.top_n).mark_bar().encode(
            y=alt.Y("region:N", sort=None, title=None), x=alt.X("facts:Q"), tooltip=["region:N", "facts:Q"]),
        alt.Chart(data("facts_by_year"), title="by year", **small).mark_bar().encode(
            x=alt.X("year:O", title=None), y=alt.Y("facts:Q"), tooltip=["year:O", "facts:Q"]),
    )
    charts["money"] = alt.Chart(data("money"), width=420).mark_bar(color="#f58518").encode(
        y=alt.Y("label:N", sort=None, title=None), x=alt.X("yi_yuan:Q", title="亿元 (100 million yuan)"),
        tooltip=["text:N", alt.Tooltip("yi_yuan:Q", title="亿元", format=",.4~f"), "metric:N", "region:N", "year:Q", "doc:N", "sentence:N"])
    order = [r["doc"] for r in t["similarity_order"]]
    side = max(240, min(720, 14 * len(order)))
    charts["similarity"] = alt.Chart(data("similarity"), width=side, height=side).mark_rect().encode(
        x=alt.X("b:N", sort=order, title=None, axis=alt.Axis(labelAngle=-60, labelLimit=160)),
        y=alt.Y("a:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
        color=alt.Color("score:Q", scale=alt.Scale(scheme="greens", domain=[0, _off_diagonal_max(t["similarity"])], clamp=True), title="cosine"),
        tooltip=["a:N", "b:N", alt.Tooltip("score:Q", format=".4f")])
    result = {}
    for name, chart in charts.items():
        spec = chart.configure(font=FONT).configure_view(stroke=None).to_dict(validate=False)
        result[name] = _Chart(f"chart-{name}", spec, tuple(sorted(_dataset_names(spec))))
    return result


def _off_diagonal_max(cells: list[dict[str, Any]]) -> float:
    return max((c["score"] for c in cells if c["a"] != c["b"]), default=1.0) or 1.0


def _dataset_names(spec: Any) -> set[str]:
    if isinstance(spec, dict):
        found = {spec["data"]["name"]} if isinstance(spec.get("data"), dict) and "name" in spec["data"] else set()
        return found.union(*(_dataset_names(v) for v in spec.values()))
    if isinstance(spec, list):
        return set().union(*(_dataset_names(v) for v in spec))
    return set()


# ---------------------------------------------------------------- HTML
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, (list, tuple)):
        return " / ".join(map(str, value)) if all(isinstance(v, str) for v in value) else ", ".join(map(_cell, value))
    return str(value)


def _table(rows: list[dict[str, Any]], columns: Sequence[str], *, cls: str = "") -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            value = row.get(c)
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            attr = f' class="num" data-v="{value}"' if number else ""
            cells.append(f"<td{attr}>{html.escape(_cell(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _none(what: str) -> str:
    return f'<p class="none">None found: {html.escape(what)}.</p>'


class _Page:
    """Builds the sections: each block is a chart (or "none found"), its notes, the command that prints
    the same data, and the tables behind it."""

    def __init__(self, report: Report, charts: dict[str, _Chart]) -> None:
        self.used: list[_Chart] = []
        self.report, self.charts = report, charts

    def block(self, title: str, chart: str, command: str, tables: Sequence[tuple[str, Sequence[str]]], *,
              empty: str, notes: Sequence[str] = ()) -> str:
        first = self.report.tables[tables[0][0]]
        parts = [f"<h3>{html.escape(title)}</h3>"]
        if first:
            self.used.append(self.charts[chart])
            parts.append(f'<div class="chart" id="{self.charts[chart].id}"></div>')
        else:
            parts.append(_none(empty))
        parts += [f'<p class="note">{html.escape(self.report.notes[n])}</p>' for n in notes if n in self.report.notes]
        parts.append(f'<p class="cmd">Same data: <code>{html.escape(command)}</code></p>')
        for name, columns in tables if first else ():
            rows = self.report.tables[name]
            parts.append(f'<details><summary>table {html.escape(name)}: {len(rows)} rows</summary>'
                         f'<div class="scroll">{_table(rows, columns, cls="sortable")}</div></details>')
        return '<div class="block">' + "".join(parts) + "</div>"


def render_report(report: Report) -> str:
    """The page: HTML with the charts' JavaScript, the specs and the data inlined (no network needed)."""
    charts = _charts(report)
    page = _Page(report, charts)
    top, s = report.top_n, report.summary
    sections = [
        ("corpus", "Corpus", _summary_html(s), [
            page.block("Articles per year", "articles_by_year", "jiegui corpus --json",
                       [("articles_by_year", ["year", "articles"])], empty="no document states a date",
                       notes=["articles_by_year"]),
            page.block("Articles per source", "sources", "jiegui corpus --json", [("sources", ["source", "articles", "chars"])],
                       empty="no document states a source", notes=["sources"]),
            page.block("Cleaning, per file: characters kept and dropped (most dropped first)", "cleaning",
                       "jiegui corpus --json (chars, duplicates_removed); jiegui show ID --raw (the file as read)",
                       [("cleaning", ["file", "articles", "raw_chars", "kept_chars", "furniture_lines", "duplicates_removed"])],
                       empty="no file to re-read (standard input is read once)", notes=["cleaning"]),
            _plain_block("Documents", "jiegui corpus --json", report.tables["documents"],
                         ["id", "title", "source", "date", "chars", "sentences", "duplicates_removed"], "no document",
                         folded=True),
        ]),
        ("keywords", "Keywords", "", [
            page.block(f"Corpus top {top}", "keywords", f"jiegui keywords --top {top} --json",
                       [("keywords", ["rank", "term", "score", "count", "df"])], empty="no keyword"),
            page.block(f"Each document's top {DOC_TERMS} terms", "document_keywords",
                       f"jiegui keywords --by-doc --top {DOC_TERMS} --json",
                       [("document_keywords", ["doc", "rank", "term", "score", "count", "df"])], empty="no keyword",
                       notes=["document_keywords"]),
            page.block(f"Keyphrases (top {top})", "phrases", f"jiegui phrases --top {top} --json",
                       [("phrases", ["term", "count", "df", "pmi", "left_entropy", "right_entropy", "score"])], empty="no phrase"),
        ]),
        ("entities", "Entities", "", [
            page.block(f"Top {top} places, organisations and people: mentions and documents", "entities",
                       "jiegui entities --json (mentions: count; documents: the length of docs)",
                       [("entities", ["type", "name", "count", "documents", "aliases", "region_path"])], empty="no entity"),
            page.block("Places along their region path (province → city → county)", "places",
                       "jiegui entities --type PLACE --json (mentions: the count of the region and of the places inside it)",
                       [("places", ["path", "mentions", "own_mentions", "documents"])], empty="no place of the gazetteer"),
        ]),
        ("facts", "Facts", "", [
            page.block("Facts by kind, region and year", "facts_counts", "jiegui facts --json",
                       [("facts_by_kind", ["kind", "facts"]), ("facts_by_region", ["region", "facts"]),
                        ("facts_by_year", ["year", "facts"])], empty="no numeric fact"),
            page.block(f"Largest money figures (top {top})", "money", f"jiegui facts --kind money --sort value --limit {top} --json",
                       [("money", ["rank", "text", "value", "unit", "metric", "region", "year", "doc", "sentence"])],
                       empty="no money figure"),
            _facts_table(report),
        ]),
        ("similarity", "Similarity", "", [
            page.block("Document similarity (cosine of TF-IDF; clustered order)", "similarity",
                       "jiegui similar --matrix --json", [("similarity_order", ["position", "doc"])], empty="no document",
                       notes=["similarity"]),
            _plain_block(f"Nearest {NEIGHBOURS} neighbours of each document", f"jiegui similar ID --top {NEIGHBOURS} --json",
                         report.tables["neighbours"], ["a", "rank", "b", "score", "shared_terms"], "no neighbour with a word in common"),
            _plain_block("Duplicate groups (score ≥ 0.9)", "jiegui similar --duplicates --json",
                         report.tables["duplicates"], ["group", "documents", "min_score", "max_score"], "no near-duplicates"),
        ]),
    ]
    body = []
    for anchor, title, intro, blocks in sections:
        body.append(f'<section id="{anchor}"><h2>{title}</h2>{intro}{"".join(blocks)}</section>')
    nav = " · ".join(f'<a href="#{a}">{t}</a>' for a, t, _, _ in sections)
    template = (resources.files("jiegui.output") / "report_page.html").read_text(encoding="utf-8")
    replacements = {
        "TITLE": html.escape(f"jiegui report: {report.title}"),
        "HEADING": html.escape(report.title),
        "META": html.escape(f"jiegui {__version__} · {report.generated} · top {report.top_n}"),
        "NAV": nav,
        "BODY": "".join(body),
        "DATA": _script_json({"summary": report.summary, "tables": report.tables}),
        "CHARTS": _script_json([{"id": c.id, "spec": c.spec, "datasets": list(c.datasets)} for c in page.used]),
        "BUNDLE": javascript_bundle().replace("</script", "<\\/script"),
    }
    # one pass, so that text of the corpus that happens to read {{DATA}} is never replaced
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: replacements[m.group(1)], template)


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element (`</` escaped as `<\\/`, still valid JSON)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False).replace("</", "<\\/").replace("<!--", "<\\!--")


def _summary_html(s: dict[str, int]) -> str:
    items = [
        ("documents", s["documents"]), ("characters", f"{s['characters']:,}"), ("sentences", f"{s['sentences']:,}"),
        ("files", s["files"]), ("sources", s["sources"]), ("dated documents", s["dated"]),
        ("duplicate paragraphs removed", s["duplicates_removed"]),
    ]
    cells = "".join(f'<div class="stat"><b>{v}</b><span>{k}</span></div>' for k, v in items)
    return f'<div class="stats">{cells}</div><p class="cmd">Same data: <code>jiegui corpus --json</code></p>'


def _plain_block(title: str, command: str, rows: list[dict[str, Any]], columns: Sequence[str], empty: str, *,
                 folded: bool = False) -> str:
    content = _table(rows, columns, cls="sortable") if rows else _none(empty)
    if folded and rows:
        content = f"<details><summary>table: {len(rows)} rows</summary>{content}</details>"
    return (f'<div class="block"><h3>{html.escape(title)}</h3><p class="cmd">Same data: <code>{html.escape(command)}</code></p>'
            f'<div class="scroll">{content}</div></div>')


def _facts_table(report: Report) -> str:
    rows = report.tables["facts"]
    if not rows:
        return ""
    columns = ["doc", "text", "value", "value_max", "unit", "kind", "metric", "region", "year", "sentence"]
    return (f'<div class="block wide"><h3>All {len(rows)} facts (click a header to sort)</h3>'
            f'<p class="cmd">Same data: <code>jiegui facts --json</code></p>'
            f'<input type="search" placeholder="filter facts…" class="filter">'
            f'<div class="scroll tall">{_table(rows, columns, cls="sortable")}</div></div>')


def check_writable(path: str | Path) -> None:
    """Raise InputError now if the page clearly cannot be written there (a directory, a missing folder)."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"cannot write the report to {target}: it is a directory")
    if not target.parent.is_dir():
        raise InputError(f"cannot write the report to {target}: no directory {target.parent}")


def write_report(page: str, path: str | Path) -> Path:
    """Write the page; a path that cannot be written raises InputError naming it."""
    target = Path(path)
    check_writable(target)
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the report to {target}: {exc.strerror or exc}") from None
    return target
