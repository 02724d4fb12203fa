"""What every `jiegui` command shares: the app, the corpus/output options, errors, progress.

Only the `jiegui.cli` package prints, exits or imports typer/rich. Every failure is one `jiegui: error:` line on stderr
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
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, Protocol, TypeVar

import typer

from jiegui import __version__
from jiegui.errors import InputError, JieguiError
from jiegui.output.render import Format, printable, render

if TYPE_CHECKING:
    from rich.console import Console

    from jiegui.distributed import DistributedCorpus, Summary
    from jiegui.models import Document

# jieba's invalid escape sequences (SyntaxWarning, DeprecationWarning before Python 3.12, raised while its
# modules compile) are not the user's business; every other warning is.
for _category in (SyntaxWarning, DeprecationWarning):
    warnings.filterwarnings("ignore", category=_category, module=r"(.*[\\/])?jieba([\\/.]|$)")

# click's base error class, wherever this typer takes click from (typer ≥ 0.26 vendors it).
_CLICK_ERROR: Any = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
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
        written: int = self._call("write", text)
        return written

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
    sys.stdout = None


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
            return super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]  # not in args
        stdout, handler = sys.stdout, None
        if stdout is None:  # `jiegui facts >&-`: keep descriptor 1 taken, so that no file opened later lands on it
            _devnull_on_descriptor_1()
        sys.stdout = _Stdout(stdout)
        try:
            handler = signal.signal(signal.SIGTERM, _terminate)
        except ValueError:  # not the main thread (an embedding application): leave signals alone
            pass
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]  # not in args
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
            raise fail(error_message(exc)) from None
        except Exception as exc:  # a bug: one line here, the traceback with --debug (corpus_command prints it)
            raise fail(f"unexpected {type(exc).__name__}: {exc} (a bug; run with --debug for the traceback)") from None


# The library names the parameter that would fix an error (JieguiError.parameter); the CLI its option.
_OPTIONS = {"encoding": "--encoding", "top_n": "--top", "min_count": "--min-count"}


def error_message(exc: JieguiError) -> str:
    """A library error as the CLI says it: its message, then the option that would fix it."""
    option = _OPTIONS.get(exc.parameter or "")
    return f"{exc} ({option})" if option else str(exc)


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
def error_console() -> Console:
    """rich on stderr, made on first use: a command that prints JSON and no message never imports rich."""
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)  # one message, one line, however long


def stderr_is_terminal() -> bool:
    """Checked without rich first: a piped run never imports it just to learn that it is piped."""
    return sys.stderr.isatty() and error_console().is_terminal


def table_console(fmt: Format) -> Console | None:
    """The stdout console a table is drawn on; None for the data formats."""
    if fmt is not Format.table:
        return None
    from rich.console import Console

    return Console(highlight=False)


class _InSentence(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def sentence(self) -> str: ...


def sentence_context_cell(record: _InSentence, width: int = 18) -> str:
    """A table cell: the record's sentence trimmed to `width` characters either side of its text, the text in 【】."""
    sentence = record.sentence
    at = sentence.find(record.text)
    if at < 0:
        return sentence[: 2 * width]
    before = sentence[max(0, at - width):at]
    after = sentence[at + len(record.text):at + len(record.text) + width]
    return ("…" if at > width else "") + before + "【" + record.text + "】" + after + ("…" if at + len(record.text) + width < len(sentence) else "")


def finite(value: float | None) -> float | None:
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


def _scheduler(value: Optional[str]) -> Optional[str]:
    if value is not None and not value.strip():
        raise typer.BadParameter("the scheduler address is empty; use tcp://HOST:8786 or local", param_hint="--scheduler / JIEGUI_SCHEDULER")
    return value


def _text_encoding(value: Optional[str]) -> Optional[str]:
    from jiegui.text.decode import text_codec

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
JobsOpt = Annotated[
    Optional[int],
    typer.Option("--jobs", "-j", min=1, show_default=False,
                 help="Process files in N parallel processes. Default: 1, except that entities, facts and similar analyse a "
                      "loaded corpus of 1 M characters or more in one process per CPU core (on Linux)."),
]
SchedulerOpt = Annotated[
    Optional[str],
    typer.Option("--scheduler", envvar="JIEGUI_SCHEDULER", show_envvar=True, metavar="ADDRESS", callback=_scheduler,
                 help="Run on the Dask cluster at ADDRESS (tcp://host:8786), or on a new local one (local; --jobs workers). Needs jiegui[dask]."),
]
FormatOpt = Annotated[
    Optional[Format],
    typer.Option("--format", "-f", case_sensitive=False, help="Output format. Default: table on a terminal, json when piped."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
LimitOpt = Annotated[Optional[int], typer.Option("--limit", "-n", min=0, help="Show at most N rows.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback on errors, and what was skipped (an unreadable number) as warnings.")]


T = TypeVar("T")


def _kept_for_the_run(loaded: T) -> T:
    """`loaded` (the corpus) moved out of the cyclic garbage collector's sight: a command holds its
    documents until it exits, and their millions of tokens (tuples of a subclass, never untracked) would
    otherwise be walked by every full collection the analyses trigger — 1–2 s of CPU per warm command
    on a 10 MB corpus. `gc.freeze` only skips them: they are still freed by reference counting (they
    hold no cycles), and the process ends with the command anyway. So are the tokens an analysis makes
    later (documents read from the cache make them when first walked)."""
    from jiegui.collector import keep_what_is_made

    keep_what_is_made()
    return loaded


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
    jobs: int | None = None  # None: not given (see `map_documents`)
    scheduler: str | None = None
    format: Format | None = None
    json: bool = False
    limit: int | None = None
    debug: bool = False

    @property
    def processes(self) -> int:
        """--jobs, 1 when not given (where the run does not choose for itself: `map_documents`)."""
        return self.jobs or 1

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
            "jobs": self.processes,
            "include": tuple(self.include or ()),
            "exclude": tuple(self.exclude or ()),
            "warn": warn,
        }

    def documents(self) -> list[Document]:
        """Load the corpus, with a progress bar on stderr once loading takes more than a second."""
        from jiegui.corpus import load_corpus

        if self.scheduler is not None:  # loaded on the cluster, analysed here
            from jiegui.distributed import identity

            with self.distributed() as corpus:
                return list(corpus.map(identity, prepared=False))
        from jiegui.collector import collector_paused

        # frozen before the collector runs again: re-enabled first, it walked the millions of objects
        # just loaded once (10 MB corpus: a 0.2 s generation-0 collection)
        with _Progress() as progress, collector_paused():
            return _kept_for_the_run(load_corpus(self.corpus, progress=progress, **self.corpus_options()))

    def settings(self) -> Any:
        """The segmenter settings of the run (user dictionaries and stopword files): a SegmenterSettings."""
        from jiegui.corpus import segmenter_settings

        return segmenter_settings(userdicts=self.userdict or (), stopwords=self.stopwords or ())

    def analysed_documents(self, documents: list[Document] | None = None) -> list[Any]:
        """The corpus (or `documents` of it, already loaded) prepared once for the analyses
        (AnalysedDocument: Simplified text, sentences, the run's stopwords)."""
        from jiegui.corpus import analyse_corpus

        loaded = self.documents() if documents is None else documents
        return _kept_for_the_run(analyse_corpus(loaded, userdicts=self.userdict or (), stopwords=self.stopwords or ()))

    def on_workers(self) -> bool:
        """Whether the analyses run on worker processes: a --scheduler cluster, or a local pool for
        --jobs N (N > 1; standard input is read in this process)."""
        if self.scheduler is not None:
            return True
        corpus = self.corpus if self.corpus is not None else os.environ.get("JIEGUI_CORPUS")
        return self.processes > 1 and corpus != "-"

    @contextlib.contextmanager
    def distributed(self) -> Iterator[DistributedCorpus]:
        """The corpus on worker processes (a `jiegui.distributed.DistributedCorpus`): the --scheduler
        cluster, else a local pool of --jobs processes; with a progress bar. On leaving (Ctrl-C, an
        error) the pending tasks are cancelled and the workers stopped."""
        from jiegui import distributed

        workers: distributed.Workers
        if self.scheduler is not None:
            workers = distributed.DaskWorkers(distributed.connect(self.scheduler, workers=self.jobs if self.processes > 1 else None))
        else:
            workers = distributed.PoolWorkers(self.processes)
        try:
            with _Progress() as progress:
                yield distributed.DistributedCorpus(workers, self.corpus, progress=progress, **self.corpus_options())
        finally:
            workers.close()

    def map_documents(self, function: Callable[[Any], Any], *, doc: str | None = None) -> Iterator[Any]:
        """`function` of every analysed document (AnalysedDocument; or of document `doc` only), in corpus
        order: the one place that chooses where the analyses run — in this process, in a local pool
        (--jobs N) or on a Dask cluster (--scheduler). `function` must be a module's function or a
        functools.partial of one, so that worker processes can receive it.

        Without --jobs, a corpus of AUTOMATIC_JOBS_MIN_CHARS characters or more is analysed in one process
        per core (forked: the output is the same): below that, starting the workers costs more than it saves."""
        from jiegui.corpus import can_fork, select_documents

        if self.on_workers() and (self.scheduler is not None or not can_fork()):
            with self.distributed() as corpus:
                yield from corpus.map(function, doc=doc)
            return
        documents = select_documents(self.documents(), doc)
        jobs = self.jobs or (automatic_jobs(documents) if can_fork() else 1)
        if jobs > 1:  # forked from the loaded corpus
            from jiegui.distributed import forked_map

            yield from forked_map(documents, function, settings=self.settings(), jobs=jobs)
            return
        for document in self.analysed_documents(documents):
            yield function(document)

    def summaries(self) -> list[Summary]:
        """Every document's summary and edges (what `jiegui corpus` prints and looks for furniture in),
        made by the workers when there are (only these travel back), else here as the documents stream."""
        if self.on_workers():
            with self.distributed() as corpus:
                return corpus.load(keep=False)
        from jiegui.distributed import summarise

        return [summarise(d) for d in self.stream_documents()]

    def stream_documents(self) -> Iterator[Document]:
        """The corpus's documents one file at a time, for commands that need not hold them all."""
        from jiegui.corpus import iter_documents

        if self.scheduler is not None:
            yield from self.documents()
            return

        count = 0
        with _Progress() as progress:
            for count, document in enumerate(iter_documents(self.corpus, progress=progress, **self.corpus_options()), 1):
                yield document
        if not count:
            raise InputError(f"empty corpus: no documents in {self.corpus or 'the bundled corpus'}")

    def limited(self, records: Iterable[Any]) -> Iterable[Any]:
        return records if self.limit is None else itertools.islice(records, self.limit)

    def emit(self, records: Iterable[Any], **render_options: Any) -> None:
        """Render records to stdout in the chosen format (after --limit)."""
        fmt = self.output_format
        render(self.limited(records), fmt, stream=sys.stdout, console=table_console(fmt), **render_options)


# Below this, the fixed costs that a pool does not share (loading, the gazetteer, merging, printing) and
# starting the workers outweigh what they save: on 2 cores, warm facts/entities on 0.3 M characters took
# the same time with 2 processes, on 1.0 M 15–30 % less (docs/performance.md, "Processes without --jobs").
AUTOMATIC_JOBS_MIN_CHARS = 1_000_000


def automatic_jobs(documents: Iterable[Document]) -> int:
    """How many processes analyse `documents` without --jobs: one per core this process may use for a
    corpus of AUTOMATIC_JOBS_MIN_CHARS characters or more, else one."""
    if sum(len(d.text) for d in documents) < AUTOMATIC_JOBS_MIN_CHARS:
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


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
        ("jobs", JobsOpt, None),
        ("scheduler", SchedulerOpt, None),
        ("format", FormatOpt, None),
        ("json", JsonOpt, False),
        ("limit", LimitOpt, None),
        ("debug", DebugOpt, False),
    ]
]


def corpus_command(name: str | None = None, **command_options: Any) -> Callable[[Callable[..., None]], Any]:
    """Register a command that takes the shared corpus/output options as `opts: CommonOptions`.

    The shared options are added to the command's signature here, once, instead of being repeated in
    every command; errors are turned into one stderr line here too.
    """

    def decorate(func: Callable[..., None]) -> Any:
        own = [p for p in inspect.signature(func, eval_str=True).parameters.values() if p.name != "opts"]

        @functools.wraps(func)
        def wrapper(**kwargs: Any) -> None:
            opts = CommonOptions(**{p.name: kwargs.pop(p.name) for p in _COMMON_PARAMETERS})
            run_guarded(lambda: func(opts, **kwargs), debug=opts.debug)

        wrapper.__signature__ = inspect.Signature(own + _COMMON_PARAMETERS)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in wrapper.__signature__.parameters.values()}  # type: ignore[attr-defined]
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
