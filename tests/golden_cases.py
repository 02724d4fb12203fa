"""The commands whose JSON output on the bundled corpus is kept in `tests/golden/` (see test_golden.py).

`tools/update_golden.py` rewrites the files from these cases; review the diff before committing it.
"""
from __future__ import annotations

from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"

# name -> arguments after `jiegui` (every case adds `--format json`)
CASES: dict[str, list[str]] = {
    "corpus": ["corpus"],
    "corpus-furniture": ["corpus", "--furniture"],
    "show": ["show", "nanhu-jiegui-shanghai"],
    "segment": ["segment", "--doc", "xiao-jiaxing-da-yexin"],
    "keywords": ["keywords"],
    "keywords-by-doc": ["keywords", "--by-doc", "--top", "10"],
    "keywords-doc": ["keywords", "--doc", "haining-rong-hang-jie-hu"],
    "phrases": ["phrases"],
    "entities": ["entities"],
    "entities-mentions": ["entities", "--mentions", "--doc", "nanhu-jiegui-shanghai"],
    "facts": ["facts"],
    "facts-region": ["facts", "--region", "平湖"],
    "similar": ["similar"],
    "similar-duplicates": ["similar", "--duplicates", "--threshold", "0.2"],
    "similar-matrix": ["similar", "--matrix"],
    "similar-text": ["similar", "--text", "嘉兴全面接轨上海，打造长三角一体化的桥头堡"],
}


def run_case(args: list[str]) -> str:
    """The command's stdout, run in-process through typer's CliRunner; raises if it fails. The bundled
    corpus's folder is written `<corpus>`: it lies in the checkout or in site-packages, wherever installed."""
    import json

    from typer.testing import CliRunner

    from jiegui.cli import app
    from jiegui.corpus import bundled_corpus

    result = CliRunner().invoke(app, [*args, "--format", "json"])
    if result.exit_code != 0:
        raise RuntimeError(f"jiegui {' '.join(args)} exited {result.exit_code}: {result.output}")
    folder = json.dumps(str(bundled_corpus()), ensure_ascii=False)[1:-1]
    return result.stdout.replace(folder, "<corpus>")
