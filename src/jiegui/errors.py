"""Errors a user can cause. `cli.py` turns them into one stderr line and exit code 1."""


class JieguiError(Exception):
    """Base class: the message must tell the user what to do."""


class InputError(JieguiError):
    """A path, file or text the user gave cannot be used (missing, empty, binary, undecodable)."""


class EmptyInputError(InputError):
    """A file with no text (or none left after cleaning): skipped with a warning inside a larger corpus."""


class UnknownRegionError(JieguiError):
    """A region name the gazetteer does not know."""


class CacheUnavailableError(JieguiError):
    """The cache directory cannot be used (a file, not writable, under a file): runs go on without it."""
