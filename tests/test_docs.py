"""The documentation stays true: the CLI reference is what the commands print, every relative link lands."""
from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def _build_cli_reference():
    spec = importlib.util.spec_from_file_location("build_cli_reference", REPO / "tools" / "build_cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current():
    """docs/commands.md is generated from every command's --help; regenerate it after changing a command."""
    builder = _build_cli_reference()
    committed = builder.REFERENCE.read_text(encoding="utf-8")
    assert committed == builder.reference(), "docs/commands.md is stale: run python tools/build_cli_reference.py"


def test_cli_reference_covers_every_command():
    builder = _build_cli_reference()
    committed = builder.REFERENCE.read_text(encoding="utf-8")
    paths = [path for path, _ in builder.command_paths()]
    assert len(paths) > 10  # the app, its commands and the cache sub-commands
    for path in paths:
        assert f"\n## {' '.join(['jiegui', *path])}\n" in committed
        assert f"Usage: {' '.join(['jiegui', *path])} " in committed


_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped (CJK kept), spaces to hyphens."""
    text = heading.strip().lower()
    text = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    result = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", text, re.MULTILINE):
        base = github_anchor(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        result.add(base if n == 0 else f"{base}-{n}")
    result |= set(re.findall(r'<a (?:name|id)="([^"]+)"', text))
    return result


def links(path: Path) -> list[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    text = re.sub(r"`[^`\n]*`", "", text)  # code spans are not links
    return [a or b for a, b in _LINK.findall(text)]


def test_github_anchor_matches_githubs_rule():
    assert github_anchor("`jiegui facts`: numeric facts") == "jiegui-facts-numeric-facts"
    assert github_anchor("Facts & owners") == "facts--owners"
    assert github_anchor("关键词 Keywords") == "关键词-keywords"


def broken_links(document: Path) -> list[str]:
    """The relative links of a Markdown file whose file or heading anchor does not exist."""
    broken = []
    for target in links(document):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, fragment = target.partition("#")
        linked = (document.parent / file_part).resolve() if file_part else document
        if not linked.exists():
            broken.append(f"{target}: no file {linked}")
        elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            broken.append(f"{target}: no heading with anchor #{fragment} in {linked.name}")
    return broken


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_points_to_an_existing_file_and_anchor(document):
    broken = broken_links(document)
    assert not broken, "\n".join(broken)


def test_the_link_check_sees_a_missing_file_and_a_missing_anchor(tmp_path):
    (tmp_path / "b.md").write_text("## `jiegui b`: the other\n", encoding="utf-8")
    document = tmp_path / "a.md"
    document.write_text(
        "# Title\n\n[ok](#title) [ok](b.md#jiegui-b-the-other) [gone](c.md) [bad](#nowhere) [bad](b.md#x)\n"
        "`[code](not-a-link.md)` [web](https://example.com)\n",
        encoding="utf-8",
    )
    assert [line.split(":")[0] for line in broken_links(document)] == ["c.md", "#nowhere", "b.md#x"]


_EXAMPLE = re.compile(r"^```console\n\$ jiegui (.+?)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def readme_examples() -> list[tuple[str, str]]:
    return _EXAMPLE.findall((REPO / "README.md").read_text(encoding="utf-8"))


def test_the_readme_has_an_example_of_each_question():
    commands = [line.split()[0] for line, _ in readme_examples()]
    assert commands == ["keywords", "entities", "facts", "similar"]


@pytest.mark.parametrize("line, output", readme_examples(), ids=[line.split()[0] for line, _ in readme_examples()])
def test_readme_examples_print_what_the_readme_shows(line, output):
    """The README's examples are real output on the bundled corpus; an intended output change updates them."""
    import shlex

    from typer.testing import CliRunner

    from jiegui.cli import app

    args = shlex.split(line)
    if not {"-f", "--format", "--json"} & set(args):
        args += ["--format", "table"]  # a terminal's default
    result = CliRunner().invoke(app, args, terminal_width=100, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert result.stdout == output
