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


def write_generated_corpus(root: Path, *, files: int, seed: int, dated: bool) -> Path:
    """`files` news files in nested folders under `root`, made of the bundled corpus's sentences, and one
    compilation of several articles: most end with the same sign-off (furniture, which only the whole
    corpus reveals) and, when `dated`, a date line (the document's date, which facts take the year of).
    The multi-file corpus of the --jobs and --scheduler tests."""
    import random

    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS_DIR.glob("*.txt")))
    sentences = [s + "。" for s in text.replace("\n", "").split("。") if len(s) >= 12]
    rng = random.Random(seed)
    for number in range(files):
        folder = root / f"part{number % 3}" / ("sub" if number % 5 == 0 else "")
        folder.mkdir(parents=True, exist_ok=True)
        paragraphs = ["".join(rng.choice(sentences) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(2, 4))]
        sign_off = ["（责任编辑：王小明）", *([f"2016年{number % 12 + 1}月{number % 28 + 1}日"] if dated else [])] if number % 4 else []
        body = "\n\n".join([f"嘉兴新闻第{number}期"] + paragraphs + sign_off)
        (folder / f"news{number:02d}.txt").write_text(body + "\n", encoding="utf-8")
    (root / "part1" / "compilation.txt").write_bytes((CORPUS_DIR / "jiegui-da-shanghai-compilation.txt").read_bytes())
    return root
