"""The `jiegui` command: thin commands that parse options, call the library and render the result.

Only this module prints, exits or imports typer/rich. Every failure is one `jiegui: error:` line on stderr
(`_OneLineErrors` maps them all to exit codes): a JieguiError exit 1, usage errors exit 2, Ctrl-C 130,
SIGTERM 143, output that cannot be written exit 1; anything else is a bug, its traceback shown only with
--debug. A reader that goes away (`| head -1`) ends the run quietly with exit 0.
"""
from __future__ import annotations

import contextlib
import functools
import inspect
import itertools
import math
import os
import signal
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from jiegui import __version__
from jiegui.errors import InputError, JieguiError
from jiegui.models import QuantityKind
from jiegui.output import Format, printable, render

# jieba's invalid escape sequences (SyntaxWarning, DeprecationWarning before Python 3.12, raised while its
# modules compile) are not the user's business; every other warning is.
for _category in (SyntaxWarning, DeprecationWarning):
    warnings.filterwarnings("ignore", category=_category, module=r"(.*[\\/])?jieba([\\/.]|$)")

# click's base error class, wherever this typer takes click from (typer ≥ 0.26 vendors it).
_CLICK_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, as a shell reports a process that SIGTERM ended


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that it unwinds as after Ctrl-C (worker pools stopped)."""


def _terminate(signum: int, frame: Any) -> None:
    raise _Terminated()


class _StdoutError(Exception):
    """Standard output cannot be written (closed, disk full); not a broken pipe, which ends quietly."""


class _Stdout:
    """sys.stdout while a command runs: a failed write or flush raises _StdoutError with the reason, so it
    is told apart from every other OSError. `stream` None: Python found descriptor 1 closed (`>&-`)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._call("write", text)

    def flush(self) -> None:
        if self._stream is not None:
            self._call("flush")

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def _call(self, name: str, *args: Any) -> Any:
        if self._stream is None:
            raise _StdoutError("standard output is closed")
        try:
            return getattr(self._stream, name)(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _StdoutError(exc.strerror or str(exc)) from exc

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


def _devnull_on_descriptor_1() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        if devnull != 1:
            os.dup2(devnull, 1)
            os.close(devnull)
    except OSError:
        pass


def _discard_stdout() -> None:
    """Point descriptor 1 at /dev/null and drop what is buffered, so that Python's flush at exit does not
    fail a second time."""
    _devnull_on_descriptor_1()
    sys.stdout = None  # type: ignore[assignment]


def _output_failed(exc: BrokenPipeError | _StdoutError) -> typer.Exit:
    """A reader that went away (`| head -1`) ends the run quietly: what it did not read is not wanted.
    Output that cannot be written (closed, disk full) is an error. Either way what is still buffered is
    dropped, so that Python's flush at exit does not fail a second time."""
    _discard_stdout()
    if isinstance(exc, BrokenPipeError):
        return typer.Exit(0)
    return fail(f"cannot write the output: {exc}")


class _OneLineErrors(typer.core.TyperGroup):
    """Every failure as one `jiegui: error:` line and its exit code: the one place that maps them."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        stdout, handler = sys.stdout, None
        if stdout is None:  # `jiegui facts >&-`: keep descriptor 1 taken, so that no file opened later lands on it
            _devnull_on_descriptor_1()
        sys.stdout = _Stdout(stdout)  # type: ignore[assignment]
        try:
            handler = signal.signal(signal.SIGTERM, _terminate)
        except ValueError:  # not the main thread (an embedding application): leave signals alone
            pass
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except _CLICK_ERROR as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # `jiegui` alone: the help
                exc.show()
                sys.exit(EXIT_USAGE)
            message = " ".join(exc.format_message().split())
            command = getattr(getattr(exc, "ctx", None), "command_path", "jiegui")
            fail(f"{message} (see {command} --help)")
            sys.exit(getattr(exc, "exit_code", EXIT_USAGE))
        except (BrokenPipeError, _StdoutError) as exc:  # from --help or --version, before any command
            code = _output_failed(exc).exit_code
        finally:
            if handler is not None:
                signal.signal(signal.SIGTERM, handler)
            if isinstance(sys.stdout, _Stdout):
                sys.stdout = stdout
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        """Run the command; map what it raises to a line and an exit code before click sees it (click would
        turn a broken pipe into exit 1 and Ctrl-C into a silent 130)."""
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except (_CLICK_ERROR, typer.Exit, typer.Abort):
            raise
        except (BrokenPipeError, _StdoutError) as exc:
            raise _output_failed(exc) from None
        except _Terminated:
            raise fail("terminated", EXIT_TERMINATED) from None
        except KeyboardInterrupt:
            raise fail("interrupted", EXIT_INTERRUPTED) from None
        except JieguiError as exc:
            raise fail(str(exc)) from None
        except Exception as exc:  # a bug: one line here, the traceback with --debug (corpus_command prints it)
            raise fail(f"unexpected {type(exc).__name__}: {exc} (a bug; run with --debug for the traceback)") from None


app = typer.Typer(
    cls=_OneLineErrors,
    name="jiegui",
    help="Text mining for Chinese corpora: keywords, entities, numeric facts, similar documents.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
cache_app = typer.Typer(help="Inspect or clear the cache of processed documents.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@functools.lru_cache(maxsize=1)
def error_console():
    """rich on stderr, made on first use: a command that prints JSON and no message never imports rich."""
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)  # one message, one line, however long


def stderr_is_terminal() -> bool:
    """Checked without rich first: a piped run never imports it just to learn that it is piped."""
    return sys.stderr.isatty() and error_console().is_terminal


def table_console(fmt: Format):
    """The stdout console a table is drawn on; None for the data formats."""
    if fmt is not Format.table:
        return None
    from rich.console import Console

    return Console(highlight=False)


def _finite(value: float | None) -> float | None:
    """Every float option: nan would turn a filter off or empty it silently, inf is no threshold either."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"must be a finite number, not {value}")
    return value


def _version(value: bool) -> None:
    if value:
        print(f"jiegui {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Text mining for Chinese corpora."""


# ---------------------------------------------------------------- options shared by every corpus command
def _corpus_path(value: Optional[str]) -> Optional[str]:
    """An empty path is almost always an unset shell variable: an error, from -c and JIEGUI_CORPUS alike."""
    if value == "" or (value is None and os.environ.get("JIEGUI_CORPUS") == ""):
        raise typer.BadParameter("the corpus path is empty; use . for the current folder, or leave it out for the bundled corpus", param_hint="--corpus / JIEGUI_CORPUS")
    return value


def _text_encoding(value: Optional[str]) -> Optional[str]:
    from jiegui.decode import text_codec

    if value is not None:
        try:
            text_codec(value)
        except JieguiError as exc:
            raise typer.BadParameter(f"{exc} (use one such as utf-8, gbk, big5, utf-16)", param_hint="--encoding") from None
    return value


CorpusOpt = Annotated[
    Optional[str],
    typer.Option("--corpus", "-c", envvar="JIEGUI_CORPUS", show_envvar=True, callback=_corpus_path,
                 help="A file, a directory (searched recursively for .txt, .md, .text) or - for stdin. Default: the bundled corpus."),
]
EncodingOpt = Annotated[Optional[str], typer.Option(callback=_text_encoding, help="Force an encoding (utf-8, gbk, big5, …) instead of detecting it.")]
IncludeOpt = Annotated[Optional[list[str]], typer.Option("--include", metavar="GLOB", help="In a directory, read only files matching GLOB (path relative to it, or the file name when GLOB has no /); repeatable.")]
ExcludeOpt = Annotated[Optional[list[str]], typer.Option("--exclude", metavar="GLOB", help="In a directory, skip files and folders matching GLOB (such as SOURCE.md); repeatable.")]
SkipBadOpt = Annotated[bool, typer.Option("--skip-bad", help="Warn about and skip files that cannot be read, instead of stopping.")]
UserdictOpt = Annotated[Optional[list[Path]], typer.Option("--userdict", help="Extra jieba dictionary (jieba's format); repeatable.")]
StopwordsOpt = Annotated[Optional[list[Path]], typer.Option("--stopwords", help="Extra stopword file, one word a line; repeatable.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Process files in N parallel processes.")]
FormatOpt = Annotated[
    Optional[Format],
    typer.Option("--format", "-f", case_sensitive=False, help="Output format. Default: table on a terminal, json when piped."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
LimitOpt = Annotated[Optional[int], typer.Option("--limit", "-n", min=0, help="Show at most N rows.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback on errors, and what was skipped (an unreadable number) as warnings.")]


@dataclass(frozen=True)
class CommonOptions:
    """What every corpus command accepts: where the corpus is, how to read it, how to print."""

    corpus: str | None = None
    encoding: str | None = None
    include: list[str] | None = None
    exclude: list[str] | None = None
    skip_bad: bool = False
    userdict: list[Path] | None = None
    stopwords: list[Path] | None = None
    no_cache: bool = False
    jobs: int = 1
    format: Format | None = None
    json: bool = False
    limit: int | None = None
    debug: bool = False

    @property
    def output_format(self) -> Format:
        if self.json:
            return Format.json
        if self.format is not None:
            return self.format
        return Format.table if sys.stdout.isatty() else Format.json

    def corpus_options(self) -> dict[str, Any]:
        return {
            "encoding": self.encoding,
            "skip_bad": self.skip_bad,
            "userdicts": tuple(map(str, self.userdict or ())),
            "stopwords": tuple(map(str, self.stopwords or ())),
            "use_cache": not self.no_cache,
            "jobs": self.jobs,
            "include": tuple(self.include or ()),
            "exclude": tuple(self.exclude or ()),
            "warn": warn,
        }

    def documents(self):
        """Load the corpus, with a progress bar on stderr once loading takes more than a second."""
        from jiegui.corpus import load_corpus

        with _Progress() as progress:
            return load_corpus(self.corpus, progress=progress, **self.corpus_options())

    def stream_documents(self) -> Iterator:
        """The corpus's documents one file at a time, for commands that need not hold them all."""
        from jiegui.corpus import iter_documents

        count = 0
        with _Progress() as progress:
            for count, document in enumerate(iter_documents(self.corpus, progress=progress, **self.corpus_options()), 1):
                yield document
        if not count:
            raise InputError(f"empty corpus: no documents in {self.corpus or 'the bundled corpus'}")

    def limited(self, records: Iterable) -> Iterable:
        return records if self.limit is None else itertools.islice(records, self.limit)

    def emit(self, records: Iterable, **render_options: Any) -> None:
        """Render records to stdout in the chosen format (after --limit)."""
        fmt = self.output_format
        render(self.limited(records), fmt, stream=sys.stdout, console=table_console(fmt), **render_options)


_COMMON_PARAMETERS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
    for name, annotation, default in [
        ("corpus", CorpusOpt, None),
        ("encoding", EncodingOpt, None),
        ("include", IncludeOpt, None),
        ("exclude", ExcludeOpt, None),
        ("skip_bad", SkipBadOpt, False),
        ("userdict", UserdictOpt, None),
        ("stopwords", StopwordsOpt, None),
        ("no_cache", NoCacheOpt, False),
        ("jobs", JobsOpt, 1),
        ("format", FormatOpt, None),
        ("json", JsonOpt, False),
        ("limit", LimitOpt, None),
        ("debug", DebugOpt, False),
    ]
]


def corpus_command(name: str | None = None, **command_options: Any) -> Callable:
    """Register a command that takes the shared corpus/output options as `opts: CommonOptions`.

    The shared options are added to the command's signature here, once, instead of being repeated in
    every command; errors are turned into one stderr line here too.
    """

    def decorate(func: Callable) -> Callable:
        own = [p for p in inspect.signature(func, eval_str=True).parameters.values() if p.name != "opts"]

        @functools.wraps(func)
        def wrapper(**kwargs: Any) -> None:
            opts = CommonOptions(**{p.name: kwargs.pop(p.name) for p in _COMMON_PARAMETERS})
            run_guarded(lambda: func(opts, **kwargs), debug=opts.debug)

        wrapper.__signature__ = inspect.Signature(own + _COMMON_PARAMETERS)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in wrapper.__signature__.parameters.values()}
        del wrapper.__wrapped__
        return app.command(name, **command_options)(wrapper)

    return decorate


def warn(message: str) -> None:
    error_console().print(f"jiegui: warning: {printable(message)}", highlight=False, markup=False)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    """Print the error line (a file name's control characters escaped); the caller raises what it returns."""
    error_console().print(f"jiegui: error: {printable(message)}", highlight=False, markup=False)
    return typer.Exit(code)


def run_guarded(action: Callable[[], None], *, debug: bool) -> None:
    """Run a command body; with --debug, print the traceback of an error or a bug before
    `_OneLineErrors.invoke` turns it into its one line."""
    try:
        with _debug_log(debug):
            action()
        sys.stdout.flush()
    except (_CLICK_ERROR, typer.Exit, typer.Abort, BrokenPipeError, _StdoutError):
        raise
    except Exception:
        if debug:
            import traceback

            traceback.print_exc()
        raise


@contextlib.contextmanager
def _debug_log(debug: bool) -> Iterator[None]:
    """With --debug, the library's log on stderr: what it skipped (a number it could not read) as
    `jiegui: warning:` lines, what it redid (a cache entry rejected and rebuilt) as `jiegui: debug:` lines."""
    if not debug:
        yield
        return
    import logging  # only here: a run without --debug does not pay for it

    class LogLine(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                warn(record.getMessage())
            else:
                error_console().print(f"jiegui: debug: {printable(record.getMessage())}", highlight=False, markup=False)

    logger = logging.getLogger("jiegui")
    handler = LogLine(logging.DEBUG)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


class _Progress:
    """A progress callback that shows a rich bar on stderr only once the work has lasted over a second."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> _Progress:
        return self

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < 1.0 or done >= total or not stderr_is_terminal():
                return
            from rich.progress import Progress

            self.bar = Progress(console=error_console(), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("processing files", total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


# ---------------------------------------------------------------- foundation commands
@corpus_command("corpus")
def corpus_command_list(
    opts: CommonOptions,
    furniture: Annotated[bool, typer.Option("--furniture", help="List the lead-ins, labels and sign-offs that open or close many documents, with their counts.")] = False,
) -> None:
    """List the corpus's documents (articles): id, title, source, date, characters, sentences."""
    from jiegui.boilerplate import document_edges, find_boilerplate, with_named_metadata
    from jiegui.decode import printable_path
    from jiegui.models import DocumentSummary, FurniturePattern

    # Documents are streamed; only their summaries and edges (a few hundred characters) are kept until
    # the corpus's furniture is known, since it may fill their source and date.
    kept = [(DocumentSummary(d.id, d.title, d.source, d.date, d.chars, len(d.sentences), d.duplicates_removed, printable_path(d.path)), document_edges(d))
            for d in opts.stream_documents()]
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
    from jiegui.corpus import find_document
    from jiegui.models import SegmentedDocument, TokenRecord

    documents = opts.stream_documents() if doc_id is None else [find_document(opts.documents(), doc_id)]
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


# ---------------------------------------------------------------- keywords and phrases (issue 5)
class KeywordMethod(str, Enum):
    tfidf = "tfidf"
    textrank = "textrank"


TopOpt = Annotated[Optional[int], typer.Option("--top", min=1, help="Keep the N best terms of each ranking.")]


def _pos_tags(value: Optional[str]) -> Optional[tuple[str, ...]]:
    """--pos 'n,ns,vn' → tags; 'all' → no restriction. Unknown tags are a usage error."""
    from jiegui.keywords import DEFAULT_POS, POS_TAGS

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
    from jiegui import keywords
    from jiegui.models import Keyword

    tags = _pos_tags(pos)
    documents = opts.documents()
    stopwords = _stopwords(opts)
    algorithm = keywords.Method(method.value)
    if doc_id is not None or by_doc:
        rows = keywords.document_keywords(
            documents, doc_ids=None if doc_id is None else [doc_id], method=algorithm, top_n=top, pos=tags, stopwords=stopwords
        )
        columns = ["doc", "rank", "term", "score", "count", "df"]
    else:
        rows = keywords.corpus_keywords(documents, method=algorithm, top_n=top, pos=tags, stopwords=stopwords)
        columns = ["rank", "term", "score", "count", "df"]
    opts.emit(rows, columns=columns, formatters={"score": lambda k: f"{k.score:.4f}"}, record_type=Keyword)


def _stopwords(opts: CommonOptions) -> frozenset[str]:
    from jiegui.segment import Segmenter, SegmenterSettings

    return Segmenter(SegmenterSettings((), tuple(map(str, opts.stopwords or ())))).stopwords


@corpus_command("phrases")
def phrases_command(
    opts: CommonOptions,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="Minimum occurrences in the corpus.")] = 3,
    min_pmi: Annotated[float, typer.Option("--min-pmi", callback=_finite, help="Minimum cohesion: lowest PMI (bits) over the ways to cut the phrase in two.")] = 3.0,
    min_entropy: Annotated[float, typer.Option("--min-entropy", callback=_finite, min=0.0, help="Minimum left and right branching entropy (bits).")] = 1.0,
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="Keep the N best phrases.")] = None,
    export_userdict: Annotated[Optional[Path], typer.Option("--export-userdict", help="Also write the phrases to FILE as a jieba user dictionary (word pos).")] = None,
) -> None:
    """Multi-word terms the corpus uses as units, with their statistics (count, df, PMI, branching entropy)."""
    from jiegui.models import Phrase
    from jiegui.phrases import discover_phrases, write_userdict

    documents = opts.documents()
    found = discover_phrases(
        documents, stopwords=_stopwords(opts), min_count=min_count, min_pmi=min_pmi, min_entropy=min_entropy
    )
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


# ---------------------------------------------------------------- similar documents (issue 6)
@corpus_command("similar")
def similar_command(
    opts: CommonOptions,
    doc_id: Annotated[Optional[str], typer.Argument(metavar="[ID]", help="List the documents nearest to this one.")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Rank the corpus against this text.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="Rank the corpus against this file's text.")] = None,
    matrix: Annotated[bool, typer.Option("--matrix", help="Every document against every other, shaded (at most 30 documents).")] = False,
    duplicates: Annotated[bool, typer.Option("--duplicates", help="Groups of near-duplicate documents.")] = False,
    threshold: Annotated[float, typer.Option("--threshold", callback=_finite, min=0.0, max=1.0, help="--duplicates: lowest score that makes two documents duplicates.")] = 0.9,
    top: Annotated[int, typer.Option("--top", "-k", min=1, help="Show the K best pairs or neighbours.")] = 10,
    min_score: Annotated[float, typer.Option("--min-score", callback=_finite, min=0.0, max=1.0, help="Drop pairs scoring below X.")] = 0.0,
    ngrams: Annotated[int, typer.Option("--ngrams", min=1, max=2, help="1: words; 2: words and word bigrams.")] = 1,
    max_terms: Annotated[int, typer.Option("--max-terms", min=0, help="Represent each document by its N highest-weighted terms; 0: all.")] = 100,
) -> None:
    """Similar documents by TF-IDF cosine (0–1, higher = more alike): the most similar pairs, one document's
    neighbours (ID), a query's best matches (--text/--file), the --matrix, or --duplicates."""
    from jiegui import similarity
    from jiegui.models import DuplicateGroup, Pair
    from jiegui.output import render_matrix
    from jiegui.segment import Segmenter, SegmenterSettings

    modes = [name for name, used in [("ID", doc_id is not None), ("--text", text is not None),
                                     ("--file", file is not None), ("--matrix", matrix), ("--duplicates", duplicates)] if used]
    if len(modes) > 1:
        raise typer.BadParameter(f"use one of ID, --text, --file, --matrix, --duplicates, not {' and '.join(modes)}")
    if duplicates and threshold <= 0:
        raise typer.BadParameter("must be above 0", param_hint="--threshold")
    segmenter = Segmenter(SegmenterSettings(tuple(map(str, opts.userdict or ())), tuple(map(str, opts.stopwords or ()))))
    query = similarity.read_query(str(file)) if file is not None else text
    index = similarity.build_index(opts.documents(), segmenter=segmenter, ngrams=ngrams, max_terms=max_terms or None)
    if matrix:
        scores = similarity.similarity_matrix(index)
        fmt = opts.output_format
        rows = scores.scores if opts.limit is None else scores.scores[: opts.limit]  # each against every document
        render_matrix(scores.ids, rows, fmt, stream=sys.stdout, console=table_console(fmt))
        return
    if duplicates:
        groups = similarity.duplicate_groups(index, threshold=threshold, jobs=opts.jobs)
        opts.emit(groups, formatters={"documents": lambda g: ", ".join(g.documents)}, record_type=DuplicateGroup)
        return
    if query is not None:
        label = str(file) if file is not None else similarity.QUERY_LABEL
        rows = similarity.rank_text(index, query, segmenter=segmenter, top=top, min_score=min_score, label=label)
    elif doc_id is not None:
        rows = similarity.nearest(index, doc_id, top=top, min_score=min_score)
    else:
        rows = similarity.most_similar_pairs(index, top=top, min_score=min_score, jobs=opts.jobs)
    opts.emit(
        rows,
        formatters={"score": lambda p: f"{p.score:.4f}", "shared_terms": lambda p: " ".join(p.shared_terms)},
        record_type=Pair,
    )


# ---------------------------------------------------------------- numeric facts (issue 3)
class FactSort(str, Enum):
    doc = "doc"
    value = "value"


def _readable_number(value: float) -> str:
    """183.9亿 rather than 18390000000: the way the number is written in Chinese prose."""
    for factor, name in ((10**8, "亿"), (10**4, "万")):
        if abs(value) >= factor:
            return f"{value / factor:.6g}{name}"
    return f"{value:.6g}"


def _fact_value_cell(fact: Any) -> str:
    value = _readable_number(fact.value)
    if fact.value_max is not None:
        value += "–" + _readable_number(fact.value_max)
    return value + ("" if fact.unit in ("%", "") else " ") + fact.unit


def _fact_context_cell(fact: Any, width: int = 18) -> str:
    """The sentence trimmed to `width` characters either side of the number, the number in 【】."""
    sentence = fact.sentence
    at = sentence.find(fact.text)
    if at < 0:
        return sentence[: 2 * width]
    before = sentence[max(0, at - width):at]
    after = sentence[at + len(fact.text):at + len(fact.text) + width]
    return ("…" if at > width else "") + before + "【" + fact.text + "】" + after + ("…" if at + len(fact.text) + width < len(sentence) else "")


@corpus_command("facts")
def facts_command(
    opts: CommonOptions,
    region: Annotated[Optional[str], typer.Option("--region", "-r", help="Only facts of this region and the regions inside it (平湖, 嘉兴市).")] = None,
    kind: Annotated[Optional[QuantityKind], typer.Option("--kind", "-k", case_sensitive=False, help="Only facts of this kind.")] = None,
    year: Annotated[Optional[int], typer.Option("--year", "-y", help="Only facts that refer to this year.")] = None,
    doc_id: Annotated[Optional[str], typer.Option("--doc", help="Only this document.")] = None,
    metric: Annotated[Optional[str], typer.Option("--metric", "-m", help="Only facts whose metric contains WORD.", metavar="WORD")] = None,
    min_value: Annotated[Optional[float], typer.Option("--min-value", callback=_finite, help="Only facts whose value (in the base unit) is at least X.", metavar="X")] = None,
    sort: Annotated[FactSort, typer.Option("--sort", case_sensitive=False, help="doc: text order; value: largest first.")] = FactSort.doc,
) -> None:
    """Numeric facts: every quantity stated, normalised, with its metric, year and region."""
    from jiegui import facts
    from jiegui.corpus import find_document
    from jiegui.models import Fact

    wanted_region = facts.resolve_region(region) if region is not None else None  # before the slow part
    if wanted_region is not None and (namesakes := facts.region_namesakes(region)):
        listed = ", ".join("".join(r.path) for r in namesakes[:5]) + (" …" if len(namesakes) > 5 else "")
        warn(f"{region} also names {listed}; using {''.join(wanted_region.path)}, the largest "
             f"(write {''.join(namesakes[0].path[-2:])} for another)")
    documents = opts.documents()
    if doc_id is not None:
        documents = [find_document(documents, doc_id)]
    found = facts.filter_facts(
        facts.extract_facts(documents), region=wanted_region, kind=None if kind is None else kind.value,
        year=year, metric=metric, min_value=min_value,
    )
    found = facts.sort_facts(found, facts.SortOrder(sort.value))
    opts.emit(
        found,
        columns=["text", "value", "metric", "region", "year", "doc", "sentence"],
        formatters={"value": _fact_value_cell, "sentence": _fact_context_cell, "year": lambda f: "" if f.year is None else str(f.year)},
        record_type=Fact,
    )


class EntityTypeChoice(str, Enum):
    PLACE = "PLACE"
    ORG = "ORG"
    PERSON = "PERSON"


def _mention_context_cell(mention: Any, width: int = 14) -> str:
    """The sentence trimmed to `width` characters either side of the mention, the mention in 【】."""
    return _fact_context_cell(mention, width)


@corpus_command("entities")
def entities_command(
    opts: CommonOptions,
    entity_type: Annotated[Optional[EntityTypeChoice], typer.Option("--type", "-t", case_sensitive=False, help="Only entities of this type.")] = None,
    doc_id: Annotated[Optional[str], typer.Option("--doc", help="Only this document.")] = None,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="Only entities mentioned at least N times.", metavar="N")] = 1,
    mentions: Annotated[bool, typer.Option("--mentions", help="One row per mention (doc, offsets, sentence) instead of per entity.")] = False,
) -> None:
    """Places, organisations and people: one row per entity (aliases merged), most mentioned first."""
    from collections import Counter

    from jiegui import entities
    from jiegui.models import Entity, Mention

    documents = opts.documents()
    types = None if entity_type is None else [entity_type.value]
    if mentions:
        found = entities.extract_mentions(documents, types=types, doc=doc_id)
        if min_count > 1:
            counts = Counter((m.name, m.type) for m in found)
            found = [m for m in found if counts[m.name, m.type] >= min_count]
        opts.emit(
            found,
            columns=["name", "type", "text", "doc", "start", "sentence"],
            formatters={"sentence": _mention_context_cell},
            record_type=Mention,
        )
        return
    opts.emit(
        entities.extract_entities(documents, types=types, doc=doc_id, min_count=min_count),
        columns=["name", "type", "count", "aliases", "docs", "region_path"],
        formatters={
            "aliases": lambda e: "、".join(e.aliases),
            "docs": lambda e: ", ".join(e.docs[:3]) + (f" … (+{len(e.docs) - 3})" if len(e.docs) > 3 else ""),
            "region_path": lambda e: "/".join(e.region_path),
        },
        record_type=Entity,
    )


# ---------------------------------------------------------------- the corpus at a glance (issue 13)
@corpus_command("report")
def report_command(
    opts: CommonOptions,
    output: Annotated[Path, typer.Option("--output", "-o", help="Write the page to FILE.", metavar="FILE")] = Path("report.html"),
    top: Annotated[int, typer.Option("--top", min=1, help="Show the N best keywords, entities, phrases and money figures.")] = 20,
) -> None:
    """Write the corpus at a glance as one self-contained HTML page of charts and tables; print its path."""
    from jiegui import report
    from jiegui.segment import Segmenter, SegmenterSettings

    report.check_available()  # both before the slow part
    report.check_writable(output)
    segmenter = Segmenter(SegmenterSettings(tuple(map(str, opts.userdict or ())), tuple(map(str, opts.stopwords or ()))))
    data = report.build_report(opts.documents(), top_n=top, segmenter=segmenter, encoding=opts.encoding,
                               title=opts.corpus or "the bundled corpus")
    path = report.write_report(report.render_report(data), output)
    print(path.resolve())
