"""Errors a user can cause. `cli.py` turns them into one stderr line and exit code 1."""


class JieguiError(Exception):
    """Base class: the message must tell the user what to do."""


class InputError(JieguiError):
    """A path, file or text the user gave cannot be used (missing, empty, binary, undecodable)."""


class EmptyInputError(InputError):
    """A file with no text (or none left after cleaning): skipped with a warning inside a larger corpus."""


class UnknownRegionError(JieguiError):
    """A region name the gazetteer does not know."""


class NumberError(JieguiError):
    """A string given as one number or quantity (`parse_number`, `parse_quantity`) is not one.

    Extraction never raises it: a candidate in a text that cannot be read is skipped."""
