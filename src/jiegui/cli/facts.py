"""`jiegui facts`: numeric facts with their owners."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from jiegui.cli.shared import CommonOptions, corpus_command, finite, sentence_context_cell, warn
from jiegui.models import Fact, FactOrder, QuantityKind




def _readable_number(value: float) -> str:
    """183.9亿 rather than 18390000000: the way the number is written in Chinese prose."""
    for factor, name in ((10**8, "亿"), (10**4, "万")):
        if abs(value) >= factor:
            return f"{value / factor:.6g}{name}"
    return f"{value:.6g}"


def _fact_value_cell(fact: Fact) -> str:
    value = _readable_number(fact.value)
    if fact.value_max is not None:
        value += "–" + _readable_number(fact.value_max)
    return value + ("" if fact.unit in ("%", "") else " ") + fact.unit


@corpus_command("facts")
def facts_command(
    opts: CommonOptions,
    region: Annotated[Optional[str], typer.Option("--region", "-r", help="Only facts of this region and the regions inside it (平湖, 嘉兴市).")] = None,
    kind: Annotated[Optional[QuantityKind], typer.Option("--kind", "-k", case_sensitive=False, help="Only facts of this kind.")] = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="Only facts that refer to this year.")] = None,
    doc_id: Annotated[Optional[str], typer.Option("--doc", help="Only this document.")] = None,
    metric: Annotated[Optional[str], typer.Option("--metric", "-m", help="Only facts whose metric contains WORD.", metavar="WORD")] = None,
    min_value: Annotated[Optional[float], typer.Option("--min-value", callback=finite, help="Only facts whose value (in the base unit) is at least X.", metavar="X")] = None,
    sort: Annotated[FactOrder, typer.Option("--sort", case_sensitive=False, help="doc: text order; value: largest first.")] = FactOrder.doc,
) -> None:
    """Numeric facts: every quantity stated, normalised, with its metric, year and region."""
    from jiegui.analyses import facts
    from jiegui.models import Fact

    wanted_region = facts.resolve_region(region) if region is not None else None  # before the slow part
    if region is not None and wanted_region is not None and (namesakes := facts.region_namesakes(region)):
        listed = ", ".join("".join(r.path) for r in namesakes[:5]) + (" …" if len(namesakes) > 5 else "")
        warn(f"{region} also names {listed}; using {''.join(wanted_region.path)}, the largest "
             f"(write {''.join(namesakes[0].path[-2:])} for another)")
    extracted = [fact for found in opts.map_documents(facts.document_facts, doc=doc_id) for fact in found]
    found = facts.filter_facts(
        extracted, region=wanted_region, kind=None if kind is None else kind.value,
        year=year, metric=metric, min_value=min_value,
    )
    found = facts.sort_facts(found, sort)
    opts.emit(
        found,
        columns=["text", "value", "metric", "region", "year", "doc", "sentence"],
        formatters={"value": _fact_value_cell, "sentence": sentence_context_cell, "year": lambda f: "" if f.year is None else str(f.year)},
        record_type=Fact,
    )
