"""`jiegui similar`: related pairs, one document or text against the corpus, the matrix, duplicates."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from jiegui.cli.shared import CommonOptions, corpus_command, finite, table_console
from jiegui.errors import JieguiError, MatrixTooLargeError


@corpus_command("similar")
def similar_command(
    opts: CommonOptions,
    doc_id: Annotated[Optional[str], typer.Argument(metavar="[ID]", help="List the documents nearest to this one.")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Rank the corpus against this text.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="Rank the corpus against this file's text.")] = None,
    matrix: Annotated[bool, typer.Option("--matrix", help="Every document against every other, shaded (at most 30 documents).")] = False,
    duplicates: Annotated[bool, typer.Option("--duplicates", help="Groups of near-duplicate documents.")] = False,
    threshold: Annotated[float, typer.Option("--threshold", callback=finite, min=0.0, max=1.0, help="--duplicates: lowest score that makes two documents duplicates.")] = 0.9,
    top: Annotated[int, typer.Option("--top", "-k", min=1, help="Show the K best pairs or neighbours.")] = 10,
    min_score: Annotated[float, typer.Option("--min-score", callback=finite, min=0.0, max=1.0, help="Drop pairs scoring below X.")] = 0.0,
    ngrams: Annotated[int, typer.Option("--ngrams", min=1, max=2, help="1: words; 2: words and word bigrams.")] = 1,
    max_terms: Annotated[int, typer.Option("--max-terms", min=0, help="Represent each document by its N highest-weighted terms; 0: all.")] = 100,
) -> None:
    """Similar documents by TF-IDF cosine (0–1, higher = more alike): the most similar pairs, one document's
    neighbours (ID), a query's best matches (--text/--file), the --matrix, or --duplicates."""
    from functools import partial

    from jiegui.analyses import similarity
    from jiegui.text.segment import Segmenter

    modes = [name for name, used in [("ID", doc_id is not None), ("--text", text is not None),
                                     ("--file", file is not None), ("--matrix", matrix), ("--duplicates", duplicates)] if used]
    if len(modes) > 1:
        raise typer.BadParameter(f"use one of ID, --text, --file, --matrix, --duplicates, not {' and '.join(modes)}")
    if duplicates and threshold <= 0:
        raise typer.BadParameter("must be above 0", param_hint="--threshold")
    segmenter = Segmenter(opts.settings())
    query = similarity.read_query(str(file)) if file is not None else text
    if opts.scheduler is not None:  # the index and the pair search stay on the cluster's workers
        _on_cluster(opts, segmenter.stopwords, doc_id=doc_id, query=query, label=str(file) if file is not None else None,
                    matrix=matrix, duplicates=duplicates, threshold=threshold, top=top, min_score=min_score,
                    ngrams=ngrams, max_terms=max_terms or None)
        return
    # each document's terms extracted where opts runs the analyses, vectorised here
    terms = list(opts.map_documents(partial(similarity.document_terms, stopwords=segmenter.stopwords, ngrams=ngrams)))
    index = similarity.index_terms([doc for doc, _ in terms], (t for _, t in terms), ngrams=ngrams,
                                   stopwords=segmenter.stopwords, max_terms=max_terms or None)
    if matrix:
        _emit_matrix(opts, lambda: similarity.similarity_matrix(index))
    elif duplicates:
        _emit_groups(opts, similarity.duplicate_groups(index, threshold=threshold, jobs=opts.processes))
    elif query is not None:
        label = str(file) if file is not None else similarity.QUERY_LABEL
        _emit_pairs(opts, similarity.rank_text(index, query, segmenter=segmenter, top=top, min_score=min_score, label=label))
    elif doc_id is not None:
        _emit_pairs(opts, similarity.nearest(index, doc_id, top=top, min_score=min_score))
    else:
        _emit_pairs(opts, similarity.most_similar_pairs(index, top=top, min_score=min_score, jobs=opts.processes))


def _on_cluster(opts: CommonOptions, stopwords: frozenset[str], *, doc_id: str | None, query: str | None, label: str | None,
                matrix: bool, duplicates: bool, threshold: float, top: int, min_score: float, ngrams: int, max_terms: int | None) -> None:
    """`similar` on the --scheduler cluster: each document's terms extracted on the workers, the index built
    there (document frequencies by tree reduction), the pair search in blocks there; only pairs come back."""
    from functools import partial

    from jiegui import distributed
    from jiegui.analyses import similarity
    from jiegui.errors import UnknownDocumentError

    with opts.distributed() as corpus:
        terms = corpus.submit(partial(similarity.document_terms, stopwords=stopwords, ngrams=ngrams))
        corpus.wait(terms)
        ids = [summary.id for summary, _ in corpus.summaries]
        if doc_id is not None and doc_id not in ids:
            raise UnknownDocumentError(doc_id, ids)
        client = corpus.client
        index = distributed.similarity_index(client, terms, len(ids), ngrams=ngrams, stopwords=stopwords, max_terms=max_terms)
        if matrix:
            _emit_matrix(opts, lambda: client.submit(similarity.similarity_matrix, index, pure=False).result())
        elif duplicates:
            _emit_groups(opts, distributed.duplicate_groups(client, index, ids, threshold=threshold))
        elif query is not None:
            _emit_pairs(opts, client.submit(distributed.ranked_query, index, query, opts.settings(), top=top, min_score=min_score,
                                            label=label or similarity.QUERY_LABEL, pure=False).result())
        elif doc_id is not None:
            _emit_pairs(opts, client.submit(similarity.nearest, index, doc_id, top=top, min_score=min_score, pure=False).result())
        else:
            _emit_pairs(opts, distributed.most_similar_pairs(client, index, len(ids), top=top, min_score=min_score))


def _emit_matrix(opts: CommonOptions, scores: Callable[[], Any]) -> None:
    from jiegui.output.render import render_matrix

    try:
        matrix = scores()
    except MatrixTooLargeError as exc:
        raise JieguiError(f"{exc}; use --top K for the most similar pairs, or ID for one document's neighbours") from None
    fmt = opts.output_format
    rows = matrix.scores if opts.limit is None else matrix.scores[: opts.limit]  # each against every document
    render_matrix(matrix.ids, rows, fmt, stream=sys.stdout, console=table_console(fmt))


def _emit_groups(opts: CommonOptions, groups: list[Any]) -> None:
    from jiegui.models import DuplicateGroup

    opts.emit(groups, formatters={"documents": lambda g: ", ".join(g.documents)}, record_type=DuplicateGroup)


def _emit_pairs(opts: CommonOptions, pairs: list[Any]) -> None:
    from jiegui.models import Pair

    opts.emit(
        pairs,
        formatters={"score": lambda p: f"{p.score:.4f}", "shared_terms": lambda p: " ".join(p.shared_terms)},
        record_type=Pair,
    )
