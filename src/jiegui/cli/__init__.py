"""The `jiegui` command: thin commands that parse options, call the library and render the result.

`jiegui.cli.shared` holds `app` and what every command shares: the options, the one-line error mapping, the
progress bar. Each command group is its own module here and registers itself on `app` when imported; every
module of this package is imported below, so a new command module needs no line anywhere else.
"""
import importlib
import pkgutil

from jiegui.cli.shared import app

# `jiegui --help` lists commands in registration order: these groups first, any other module after them.
_HELP_ORDER = ("corpus", "keywords", "similar", "facts", "entities", "report")
_OTHERS = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in _HELP_ORDER and m.name != "shared")
for _module in (*_HELP_ORDER, *_OTHERS):
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["app"]
