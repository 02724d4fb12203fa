"""`jiegui keywords` and `jiegui phrases`."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from jiegui.cli.shared import CommonOptions, corpus_command, error_console, finite
from jiegui.models import KeywordMethod




TopOpt = Annotated[Optional[int], typer.Option("--top", min=1, help="Keep the N best terms of each ranking.")]


def _pos_tags(value: Optional[str]) -> Optional[tuple[str, ...]]:
    """--pos 'n,ns,vn' → tags; 'all' → no restriction. Unknown tags are a usage error."""
    from jiegui.analyses.keywords import DEFAULT_POS, POS_TAGS

    if value is None:
        return DEFAULT_POS
    tags = tuple(t.strip() for t in value.replace(" ", ",").split(",") if t.strip())
    if tags == ("all",):
        return None
    unknown = [t for t in tags if t not in POS_TAGS]
    if unknown or not tags:
        raise typer.BadParameter(
            f"unknown POS tag {', '.join(unknown) or '(none)'}; use jieba tags such as n,ns,nt,nz,vn or 'all'",
            param_hint="--pos",
        )
    return tags


@corpus_command("keywords")
def keywords_command(
    opts: CommonOptions,
    method: Annotated[KeywordMethod, typer.Option("--method", "-m", case_sensitive=False, help="Ranking method.")] = KeywordMethod.tfidf,
    doc_id: Annotated[Optional[str], typer.Option("--doc", help="Rank this document's terms (against the whole corpus).")] = None,
    by_doc: Annotated[bool, typer.Option("--by-doc", help="Rank each document's terms separately.")] = False,
    top: TopOpt = 20,
    pos: Annotated[Optional[str], typer.Option("--pos", help="Comma-separated jieba POS tags to keep, or 'all'. Default: nouns, names, verbal nouns (n,nr,nrfg,nrt,ns,nt,nz,nl,j,vn); a phrase has its last word's tag.")] = None,
) -> None:
    """What the corpus, or each document, is about: ranked terms and keyphrases (term, score, count, df)."""
    from jiegui.analyses import keywords
    from jiegui.models import Keyword

    tags = _pos_tags(pos)
    if opts.scheduler is not None:  # counted and ranked on the cluster's workers; only the rows come back
        from jiegui.distributed import cluster_keywords

        with opts.distributed() as corpus:
            rows = cluster_keywords(corpus, stopwords=_stopwords(opts), pos=None if tags is None else frozenset(tags), by_doc=doc_id is not None or by_doc,
                                    doc_ids=None if doc_id is None else [doc_id], method=method, top_n=top)
        columns = ["doc", "rank", "term", "score", "count", "df"] if doc_id is not None or by_doc else ["rank", "term", "score", "count", "df"]
        opts.emit(rows, columns=columns, formatters={"score": lambda k: f"{k.score:.4f}"}, record_type=Keyword)
        return
    documents = opts.analysed_documents()  # they carry the run's stopwords
    if doc_id is not None or by_doc:
        rows = keywords.document_keywords(
            documents, doc_ids=None if doc_id is None else [doc_id], method=method, top_n=top, pos=tags
        )
        columns = ["doc", "rank", "term", "score", "count", "df"]
    else:
        rows = keywords.corpus_keywords(documents, method=method, top_n=top, pos=tags)
        columns = ["rank", "term", "score", "count", "df"]
    opts.emit(rows, columns=columns, formatters={"score": lambda k: f"{k.score:.4f}"}, record_type=Keyword)


def _stopwords(opts: CommonOptions) -> frozenset[str]:
    from jiegui.analysed import run_stopwords

    return run_stopwords(opts.settings())


@corpus_command("phrases")
def phrases_command(
    opts: CommonOptions,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="Minimum occurrences in the corpus.")] = 3,
    min_pmi: Annotated[float, typer.Option("--min-pmi", callback=finite, help="Minimum cohesion: lowest PMI (bits) over the ways to cut the phrase in two.")] = 3.0,
    min_entropy: Annotated[float, typer.Option("--min-entropy", callback=finite, min=0.0, help="Minimum left and right branching entropy (bits).")] = 1.0,
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="Keep the N best phrases.")] = None,
    export_userdict: Annotated[Optional[Path], typer.Option("--export-userdict", help="Also write the phrases to FILE as a jieba user dictionary (word pos).")] = None,
) -> None:
    """Multi-word terms the corpus uses as units, with their statistics (count, df, PMI, branching entropy)."""
    from jiegui.analyses.phrases import discover_phrases, write_userdict
    from jiegui.models import Phrase

    thresholds: dict[str, Any] = {"min_count": min_count, "min_pmi": min_pmi, "min_entropy": min_entropy}
    if opts.scheduler is not None:  # counted and scored on the cluster's workers; only the phrase rows come back
        from jiegui.distributed import cluster_phrases
        from jiegui.text.boilerplate import content_tokens

        with opts.distributed() as corpus:
            tokens = corpus.submit(content_tokens, prepared=False)
            corpus.wait(tokens)
            found = cluster_phrases(corpus, tokens, stopwords=_stopwords(opts), **thresholds)
    elif opts.on_workers():  # --jobs N: each batch's columns made in the pool, the phrases found here
        from jiegui.distributed import pool_phrases

        with opts.distributed() as corpus:
            found = pool_phrases(corpus, stopwords=_stopwords(opts), **thresholds)
    else:
        found = discover_phrases(opts.documents(), stopwords=_stopwords(opts), **thresholds)
    if top is not None:
        found = found[:top]
    if export_userdict is not None:
        written = write_userdict(found, export_userdict)
        error_console().print(f"wrote {written} phrases to {export_userdict}", highlight=False, markup=False, soft_wrap=True)
    number = {f: lambda p, f=f: f"{getattr(p, f):.2f}" for f in ("pmi", "left_entropy", "right_entropy", "score")}
    opts.emit(
        found,
        columns=["term", "pos", "count", "df", "pmi", "left_entropy", "right_entropy", "score"],
        formatters=number,
        record_type=Phrase,
    )
