"""The `jiegui` command: thin commands that parse options, call the library and render the result.

`jiegui.cli.shared` holds `app` and what every command shares: the options, the one-line error mapping, the
progress bar. Each command group is its own module here and registers itself on `app` when imported.
"""
from jiegui.cli.shared import app
# Importing a command module registers its commands; this order is the order of `jiegui --help`.
from jiegui.cli import corpus, keywords, similar, facts, entities, report  # noqa: F401, I001

__all__ = ["app"]
