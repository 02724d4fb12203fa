"""Shared fixtures: a private cache dir for the whole session, and the bundled corpus loaded once."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO / "corpus"
DATA_DIR = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Keep the tests' cache out of the user's cache dir (and make every session start cold)."""
    path = tmp_path_factory.mktemp("jiegui-cache")
    os.environ["JIEGUI_CACHE_DIR"] = str(path)
    os.environ.pop("JIEGUI_CORPUS", None)
    return path


@pytest.fixture(scope="session")
def corpus_docs(private_cache_dir: Path):
    """The bundled corpus as documents (articles), loaded once per test session."""
    from jiegui.corpus import load_corpus

    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="session")
def docs_by_id(corpus_docs):
    return {doc.id: doc for doc in corpus_docs}
