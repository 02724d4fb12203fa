"""Errors a user can cause. `jiegui.cli` turns them into one stderr line and exit code 1."""
from __future__ import annotations

from collections.abc import Iterable


class JieguiError(Exception):
    """Base class: the message must tell the user what to do, in the library's terms.

    `parameter` names the argument of the library call that would fix the error (`encoding`, `top_n`):
    the library never names a command-line option; `jiegui.cli` turns the parameter into its own.
    """

    def __init__(self, message: str = "", *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter

    def __reduce__(self) -> tuple[object, ...]:
        # Errors travel from --jobs worker processes; rebuilt from their state, not through __init__.
        return _rebuild, (type(self), self.args, self.__dict__)


def _rebuild(cls: type[JieguiError], args: tuple[object, ...], state: dict[str, object]) -> JieguiError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class InputError(JieguiError):
    """A path, file or text the user gave cannot be used (missing, empty, binary, undecodable)."""


class EmptyInputError(InputError):
    """A file with no text (or none left after cleaning): skipped with a warning inside a larger corpus."""


class UnknownRegionError(JieguiError):
    """A region name the gazetteer does not know."""


class MatrixTooLargeError(JieguiError):
    """A similarity matrix asked for more documents than it is shown for."""


class UnknownDocumentError(InputError):
    """No document has the id asked for (`--doc`, `show ID`, `similar ID`): the message names the closest
    ids, those the id starts, then those containing it, then those spelt alike."""

    def __init__(self, doc_id: str, known_ids: Iterable[str]) -> None:
        import difflib

        known = list(dict.fromkeys(known_ids))
        close = [i for i in known if i.startswith(doc_id)] + [i for i in known if doc_id in i]
        close += difflib.get_close_matches(doc_id, known, n=5, cutoff=0.6)
        close = list(dict.fromkeys(close))[:5] if doc_id else []
        hint = f"; did you mean {', '.join(close)}?" if close else "; `jiegui corpus` lists the ids"
        super().__init__(f"no document with id {doc_id!r}{hint}")


class NotSegmentedError(JieguiError, ValueError):
    """A document given to an analysis has text but no tokens (built by hand, not by `load_corpus`): an
    analysis never re-segments it behind the user's back, with dictionaries other than theirs."""


class CacheUnavailableError(JieguiError):
    """The cache directory cannot be used (a file, not writable, under a file): runs go on without it."""


class NumberError(JieguiError):
    """A string given as one number or quantity (`parse_number`, `parse_quantity`) is not one.

    Extraction never raises it: a candidate in a text that cannot be read is skipped."""
