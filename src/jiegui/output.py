"""The only place that renders data: rich tables for people, JSON / JSONL / CSV / TSV for scripts.

Records are dataclasses; their field names are the column names in every format, so a field added to a
model appears everywhere. JSON keeps non-ASCII text as is (UTF-8). In CSV/TSV a list becomes its items
joined by `|`, and None an empty cell.
"""
from __future__ import annotations

import csv
import dataclasses
import json
import math
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Any, TextIO

LIST_SEPARATOR = "|"


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"


Formatter = Callable[[Any], str]


def as_dict(record: Any) -> dict[str, Any]:
    if isinstance(record, dict):
        return record
    return {f.name: _plain(getattr(record, f.name)) for f in dataclasses.fields(record)}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return as_dict(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def render(
    records: Iterable[Any],
    fmt: Format,
    *,
    stream: TextIO,
    columns: Sequence[str] | None = None,
    formatters: dict[str, Formatter] | None = None,
    title: str | None = None,
    record_type: type | None = None,
    console: Any = None,
) -> None:
    """Write records to `stream`. `columns` and `formatters` shape the table view only; data formats
    always carry every field, unformatted. `record_type` gives CSV its header when there are no records."""
    if fmt is Format.table:
        _render_table(list(records), stream=stream, columns=columns, formatters=formatters or {}, title=title, console=console)
    elif fmt is Format.json:
        separator = "[\n"
        for record in records:
            stream.write(separator + json.dumps(as_dict(record), ensure_ascii=False))
            separator = ",\n"
        stream.write("[]\n" if separator == "[\n" else "\n]\n")
    elif fmt is Format.jsonl:
        for record in records:
            stream.write(json.dumps(as_dict(record), ensure_ascii=False) + "\n")
    else:
        writer = csv.writer(stream, delimiter="," if fmt is Format.csv else "\t", lineterminator="\n")
        header_written = False
        if record_type is not None:
            writer.writerow(f.name for f in dataclasses.fields(record_type))
            header_written = True
        for record in records:
            row = as_dict(record)
            if not header_written:
                writer.writerow(row.keys())
                header_written = True
            writer.writerow(_cell(v) for v in row.values())


def _render_table(
    records: list[Any],
    *,
    stream: TextIO,
    columns: Sequence[str] | None,
    formatters: dict[str, Formatter],
    title: str | None,
    console: Any,
) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if console is None:
        console = Console(file=stream)
    if not records:
        console.print("[dim](no results)[/dim]")
        return
    rows = [as_dict(r) for r in records]
    names = list(columns) if columns else list(rows[0].keys())
    table = Table(title=title, show_lines=False, header_style="bold")
    for name in names:
        numeric = all(isinstance(row.get(name), (int, float)) and not isinstance(row.get(name), bool)
                      for row in rows if row.get(name) is not None)
        table.add_column(name, justify="right" if numeric else "left", overflow="fold")
    for record, row in zip(records, rows):
        table.add_row(*(Text(formatters[n](record) if n in formatters else _cell(row.get(n))) for n in names))
    console.print(table)


def render_matrix(
    labels: Sequence[str],
    scores: Sequence[Sequence[float]],
    fmt: Format,
    *,
    stream: TextIO,
    title: str | None = None,
    console: Any = None,
) -> None:
    """A square score matrix (0–1). Table: cells shaded by score, columns numbered to stay narrow.

    JSON/JSONL: one object `{"ids": [...], "scores": [[...], ...]}`; CSV/TSV: a `doc` column, then one
    column per id.
    """
    if fmt in (Format.json, Format.jsonl):
        data = json.dumps({"ids": list(labels), "scores": [list(row) for row in scores]}, ensure_ascii=False)
        stream.write(data + "\n")
        return
    if fmt in (Format.csv, Format.tsv):
        writer = csv.writer(stream, delimiter="," if fmt is Format.csv else "\t", lineterminator="\n")
        writer.writerow(["doc", *labels])
        for label, row in zip(labels, scores):
            writer.writerow([label, *(_cell(v) for v in row)])
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if console is None:
        console = Console(file=stream)
    # Shade relative to the highest off-diagonal score: real corpora rarely go near 1, and a fixed 0–1
    # scale would paint every cell the same.
    top = max((float(v) for i, row in enumerate(scores) for j, v in enumerate(row) if i != j), default=0.0)
    table = Table(title=title, header_style="bold", caption=f"brighter green = more alike (brightest: {top:.2f})")
    table.add_column("#", justify="right")
    table.add_column("doc", overflow="fold")
    for number in range(1, len(labels) + 1):
        table.add_column(str(number), justify="right")
    for number, (label, row) in enumerate(zip(labels, scores), start=1):
        cells = []
        for column, value in enumerate(row, start=1):
            if column == number:
                cells.append(Text("·", style="dim"))
                continue
            level = max(0.0, min(1.0, float(value) / top)) if top > 0 else 0.0
            style = f"{'black' if level > 0.6 else 'white'} on rgb(0,{int(30 + 200 * level)},{int(20 + 60 * level)})"
            cells.append(Text(f"{value:.2f}"[1:] if value < 1 else "1.0", style=style))
        table.add_row(str(number), Text(label), *cells)
    console.print(table)
