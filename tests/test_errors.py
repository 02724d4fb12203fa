"""Errors belong to their layer: the library names its parameters, only the CLI names options."""
from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import jiegui
from jiegui.cli import app
from jiegui.errors import (
    InputError,
    JieguiError,
    MatrixTooLargeError,
    UnknownDocumentError,
)

from .conftest import CORPUS_DIR

runner = CliRunner()
PACKAGE = Path(jiegui.__file__).parent
OPTION = re.compile(r"(?<![\w-])--[a-z]")


def _raised_strings(path: Path) -> list[tuple[int, str]]:
    """The string literals inside every `raise` statement of a module (f-strings included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            found += [(c.lineno, c.value) for c in ast.walk(node.exc)
                      if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    return found


@pytest.mark.parametrize("module", sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if "cli" not in p.parts))
def test_library_errors_never_name_a_command_line_option(module):
    offending = [(line, text) for line, text in _raised_strings(PACKAGE / module) if OPTION.search(text)]
    assert offending == []


def test_an_errors_parameter_survives_the_trip_from_a_worker_process():
    error = pickle.loads(pickle.dumps(InputError("x.txt: cannot decode; give its encoding", parameter="encoding")))
    assert (type(error), str(error), error.parameter) == (InputError, "x.txt: cannot decode; give its encoding", "encoding")
    unknown = pickle.loads(pickle.dumps(UnknownDocumentError("haining", ["haining-rong-hang-jie-hu"])))
    assert str(unknown) == "no document with id 'haining'; did you mean haining-rong-hang-jie-hu?"


def test_the_cli_names_the_option_for_the_parameter(monkeypatch):
    from jiegui.analyses import facts

    def undecodable(document, **_):
        raise InputError("a.txt: cannot decode (not UTF-8, UTF-16, GB18030 or Big5); give its encoding", parameter="encoding")

    monkeypatch.setattr(facts, "document_facts", undecodable)  # what the command maps over the documents
    result = runner.invoke(app, ["facts", "-c", str(CORPUS_DIR)])
    assert result.exit_code == 1
    assert result.stderr == ("jiegui: error: a.txt: cannot decode (not UTF-8, UTF-16, GB18030 or Big5); give its encoding "
                             "(--encoding)\n")


def test_a_matrix_too_large_is_said_in_the_librarys_terms_and_the_clis(monkeypatch):
    from jiegui.analyses import similarity

    index = similarity.build_index(jiegui.load_corpus(CORPUS_DIR))
    with pytest.raises(MatrixTooLargeError) as raised:
        similarity.similarity_matrix(index, max_docs=4)
    assert (str(raised.value), raised.value.parameter) == (
        f"the corpus has {len(index.ids)} documents; the matrix is shown for at most 4", "max_docs")

    def too_large(index, **_):
        raise MatrixTooLargeError("the corpus has 40 documents; the matrix is shown for at most 30", parameter="max_docs")

    monkeypatch.setattr(similarity, "similarity_matrix", too_large)
    result = runner.invoke(app, ["similar", "--matrix", "-c", str(CORPUS_DIR)])
    assert result.exit_code == 1
    assert result.stderr == ("jiegui: error: the corpus has 40 documents; the matrix is shown for at most 30; "
                             "use --top K for the most similar pairs, or ID for one document's neighbours\n")


def test_a_library_error_without_parameter_is_its_message_alone():
    from jiegui.cli.shared import error_message

    assert error_message(JieguiError("no documents to rank keywords in")) == "no documents to rank keywords in"
    assert error_message(InputError("top_n must be at least 1, not 0", parameter="top_n")) == \
        "top_n must be at least 1, not 0 (--top)"
