"""`jiegui corpus`, `show`, `segment` and `cache`: what the analyses see, and the cache."""
from __future__ import annotations

import sys
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

    document = find_document(opts.documents(), doc_id)
    text = raw_text(document, encoding=opts.encoding) if raw else document.text
    if opts.json or opts.format in (Format.json, Format.jsonl):
        opts.emit([document_view(document, text)])
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


@corpus_command("segment")
def segment_command(
    opts: CommonOptions,
    doc_id: Annotated[Optional[str], typer.Option("--doc", help="Only this document.")] = None,
    pos: Annotated[bool, typer.Option("--pos", help="Show part-of-speech tags in the table.")] = False,
) -> None:
    """Print each document's tokens (JSON: token, pos, start, end per token)."""
    from jiegui.corpus import select_documents
    from jiegui.models import SegmentedDocument, TokenRecord

    documents = opts.stream_documents() if doc_id is None else select_documents(opts.documents(), doc_id)
    rows = (SegmentedDocument(d.id, [TokenRecord(t.text, t.pos, t.start, t.end) for t in d.tokens]) for d in documents)
    separator = " "

    def tokens_cell(row: SegmentedDocument) -> str:
        return separator.join(f"{t.token}/{t.pos}" if pos else t.token for t in row.tokens)

    opts.emit(rows, formatters={"tokens": tokens_cell}, record_type=SegmentedDocument)


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
