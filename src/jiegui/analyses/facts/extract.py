"""The facts pipeline: each quantity of a document with its owner, metric, year and sentence; and the
filters and orders the `facts` command offers."""
from __future__ import annotations

import bisect
from collections.abc import Iterable

from jiegui.analysed import AnalysedDocument, as_analysed
from jiegui.analyses.facts.metric import MetricResolver
from jiegui.analyses.facts.owner import OwnerResolver
from jiegui.analyses.facts.places import default_gazetteer
from jiegui.analyses.facts.spans import CLAUSE_STOPS, SENTENCE_STOPS, Spans
from jiegui.analyses.facts.year import YearResolver
from jiegui.analyses.numbers import find_quantities
from jiegui.analyses.regions import Gazetteer, Region
from jiegui.models import Document, Fact, FactOrder, QuantityKind
from jiegui.text.sentences import sentence_context

SortOrder = FactOrder  # the name this module has always exported


def _region_fields(region: Region | None) -> tuple[str | None, tuple[str, ...]]:
    if region is None:
        return None, ()
    return region.short or region.name, tuple(region.path)


def document_facts(document: AnalysedDocument | Document, *, gazetteer: Gazetteer | None = None) -> list[Fact]:
    """The numeric facts of one document, in text order."""
    gazetteer = gazetteer or default_gazetteer()
    (document,) = as_analysed([document])
    # Traditional text is read in Simplified; what is printed is the original.
    original, text = document.original, document.text
    quantities = find_quantities(text, source=document.id)
    if not quantities:
        return []
    clauses = Spans(text, CLAUSE_STOPS)
    owners = OwnerResolver(document, gazetteer, clauses, [q.start for q in quantities])
    metrics = MetricResolver(text, original, document.stored_tokens, owners.region_spans)
    years = YearResolver(text, document.document.date)
    # A quantity outside the document's sentences (a hand-built document without them) has for sentence
    # the span between sentence-ending characters around it (found only then: most documents need none).
    sentence_spans: Spans | None = None
    facts = []
    doc_id = document.id
    sentence_starts, sentence_ends = document.sentence_spans()
    for match in quantities:
        i = bisect.bisect_right(sentence_starts, match.start) - 1  # the sentence holding it (sentence_at)
        if i >= 0 and sentence_ends[i] > match.start:
            sentence = (sentence_starts[i], sentence_ends[i])
        else:
            sentence_spans = sentence_spans or Spans(text, SENTENCE_STOPS)
            sentence = sentence_spans.around(match.start)
        clause = clauses.around(match.start)
        clause = (max(clause[0], sentence[0]), min(clause[1], sentence[1]))
        region, region_path = _region_fields(owners.owner_of(match, clause, sentence))
        q = match.quantity
        facts.append(Fact(
            doc=doc_id, start=match.start, end=match.end, text=original[match.start:match.end],
            value=q.value, value_max=q.value_max, unit=q.unit, kind=q.kind, qualifier=q.qualifier,
            metric=metrics.metric_of(match, clause), year=years.year_of(match, clause, sentence),
            region=region, region_path=region_path, sentence=sentence_context(original, *sentence, match.start).strip(),
        ))
    return facts


def extract_facts(documents: Iterable[AnalysedDocument | Document], *, gazetteer: Gazetteer | None = None) -> list[Fact]:
    """Every numeric fact of every document, document by document, in text order."""
    gazetteer = gazetteer or default_gazetteer()
    return [fact for document in as_analysed(documents) for fact in document_facts(document, gazetteer=gazetteer)]


def resolve_region(name: str, gazetteer: Gazetteer | None = None) -> Region:
    """The gazetteer's region for a user-given name (平湖, 平湖市); UnknownRegionError suggests close names.
    A name several places share means the largest (朝阳 → 辽宁省朝阳市); `region_namesakes` lists the others."""
    return (gazetteer or default_gazetteer()).resolve(name)


def region_namesakes(name: str, gazetteer: Gazetteer | None = None) -> list[Region]:
    """The places other than `resolve_region(name)` that `name` names (朝阳: 北京市朝阳区, …)."""
    return (gazetteer or default_gazetteer()).namesakes(name)


def filter_facts(
    facts: Iterable[Fact],
    *,
    region: Region | None = None,
    kind: QuantityKind | str | None = None,
    year: int | None = None,
    doc: str | None = None,
    metric: str | None = None,
    min_value: float | None = None,
) -> list[Fact]:
    """The facts that pass every given filter. `region` (a Region) keeps facts of it and of every region
    inside it; `metric` is a substring of the metric; `min_value` compares `value` in its base unit."""
    prefix = tuple(region.path) if region is not None else None
    kind_value = kind.value if isinstance(kind, QuantityKind) else kind
    kept = []
    for fact in facts:
        if prefix is not None and tuple(fact.region_path[: len(prefix)]) != prefix:
            continue
        if kind_value is not None and fact.kind != kind_value:
            continue
        if year is not None and fact.year != year:
            continue
        if doc is not None and fact.doc != doc:
            continue
        if metric is not None and (fact.metric is None or metric not in fact.metric):
            continue
        if min_value is not None and fact.value < min_value:
            continue
        kept.append(fact)
    return kept


def sort_facts(facts: Iterable[Fact], order: SortOrder = SortOrder.doc) -> list[Fact]:
    """`doc`: documents in corpus order, facts in text order (stable); `value`: largest value first."""
    facts = list(facts)
    if order is SortOrder.value:
        return sorted(facts, key=lambda f: -f.value)
    return facts
