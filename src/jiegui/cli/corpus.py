"""`jiegui corpus`, `show`, `segment` and `cache`: what the analyses see, and the cache."""
from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Annotated, Optional

import typer

from jiegui.cli.shared import (
    CommonOptions,
    cache_app,
    corpus_command,
    error_console,
    run_guarded,
)
from jiegui.output.render import Format, render


@corpus_command("corpus")
def corpus_command_list(
    opts: CommonOptions,
    furniture: Annotated[bool, typer.Option("--furniture", help="List the lead-ins, labels and sign-offs that open or close many documents, with their counts.")] = False,
) -> None:
    """List the corpus's documents (articles): id, title, source, date, characters, sentences."""
    from jiegui.models import DocumentSummary, FurniturePattern
    from jiegui.text.boilerplate import find_boilerplate, with_named_metadata

    # Only the documents' summaries and edges (a few hundred characters) are kept until the corpus's
    # furniture is known, since it may fill their source and date.
    kept = opts.summaries()
    boilerplate = find_boilerplate(edges for _, edges in kept)
    if furniture:
        opts.emit(boilerplate.patterns(), columns=["pattern", "where", "documents", "share", "example"], record_type=FurniturePattern)
        return
    rows = (with_named_metadata(summary, boilerplate.furniture(edges)) for summary, edges in kept)
    opts.emit(rows, columns=["id", "title", "source", "date", "chars", "sentences", "duplicates_removed"], record_type=DocumentSummary)


@corpus_command("show")
def show_command(
    opts: CommonOptions,
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document id, as `jiegui corpus` lists it.")],
    raw: Annotated[bool, typer.Option("--raw", help="Print the original file's text instead of the cleaned text.")] = False,
) -> None:
    """Print a document's cleaned text: exactly the string that every start/end offset indexes."""
    from jiegui.corpus import document_view, find_document, raw_text

    if opts.scheduler is not None:  # found and read on the workers: only this document's view travels
        from functools import partial

        from jiegui.distributed import shown_document

        with opts.distributed() as corpus:
            (view,) = corpus.map(partial(shown_document, raw=raw, encoding=opts.encoding), doc=doc_id, prepared=False)
    else:
        document = find_document(opts.documents(), doc_id)
        view = document_view(document, raw_text(document, encoding=opts.encoding) if raw else document.text)
    if opts.json or opts.format in (Format.json, Format.jsonl):
        opts.emit([view])
    else:
        sys.stdout.write(view.text if view.text.endswith("\n") else view.text + "\n")


@corpus_command("segment")
def segment_command(
    opts: CommonOptions,
    doc_id: Annotated[Optional[str], typer.Option("--doc", help="Only this document.")] = None,
    pos: Annotated[bool, typer.Option("--pos", help="Show part-of-speech tags in the table.")] = False,
) -> None:
    """Print each document's tokens (JSON: token, pos, start, end per token)."""
    from jiegui.corpus import select_documents
    from jiegui.models import SegmentedDocument, TokenRecord

    separator = " "

    def tokens_cell(row: SegmentedDocument) -> str:
        return separator.join(f"{t.token}/{t.pos}" if pos else t.token for t in row.tokens)

    def emit(rows: Iterable[SegmentedDocument]) -> None:
        opts.emit(rows, formatters={"tokens": tokens_cell}, record_type=SegmentedDocument)

    if opts.scheduler is not None:  # rows made on the workers, streamed batch by batch in corpus order
        from jiegui.distributed import segmented_document
        from jiegui.errors import UnknownDocumentError

        with opts.distributed() as corpus:
            ids = [summary.id for summary, _ in corpus.load()]  # bad files, an unknown --doc: before any row
            if doc_id is not None and doc_id not in ids:
                raise UnknownDocumentError(doc_id, ids)
            emit(corpus.map(segmented_document, doc=doc_id, prepared=False))
        return
    documents = opts.stream_documents() if doc_id is None else select_documents(opts.documents(), doc_id)
    emit(SegmentedDocument(d.id, [TokenRecord(t.text, t.pos, t.start, t.end) for t in d.tokens]) for d in documents)


@cache_app.command("info")
def cache_info(
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Where the cache is and how big it is."""
    from jiegui import cache

    run_guarded(lambda: render([cache.info()], Format.json if json_ or not sys.stdout.isatty() else Format.table, stream=sys.stdout), debug=False)


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete the files jiegui cached (documents, jieba's dictionary, IDF), and nothing else."""
    from jiegui import cache

    def clear() -> None:
        removed = cache.clear()
        error_console().print(f"removed {removed.entries} cached files ({removed.bytes} bytes) from {removed.path}", highlight=False, markup=False)

    run_guarded(clear, debug=False)
