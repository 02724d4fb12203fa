"""jiegui (接轨): text mining for Chinese corpora.

    from jiegui import load_corpus
    for doc in load_corpus():          # the bundled corpus; or a file, a directory, "-" for stdin
        print(doc.id, doc.title, len(doc.sentences), len(doc.tokens))
"""

__version__ = "0.4.0"

__all__ = ["AnalysedDocument", "Document", "InputError", "JieguiError", "Sentence", "Token", "analyse_corpus", "iter_documents", "load_corpus", "__version__"]

_LAZY = {
    "load_corpus": "jiegui.corpus",
    "analyse_corpus": "jiegui.corpus",
    "AnalysedDocument": "jiegui.analysed",
    "iter_documents": "jiegui.corpus",
    "Document": "jiegui.models",
    "Sentence": "jiegui.models",
    "Token": "jiegui.models",
    "JieguiError": "jiegui.errors",
    "InputError": "jiegui.errors",
}


TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: `import jiegui` stays bare
if TYPE_CHECKING:
    from typing import Any


def __getattr__(name: str) -> "Any":
    """Import on first use, so that `jiegui --help` stays fast."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'jiegui' has no attribute {name!r}")
