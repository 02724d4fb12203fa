"""The only place that renders data: rich tables for people, JSON / JSONL / CSV / TSV for scripts.

Records are dataclasses; their field names are the column names in every format, so a field added to a
model appears everywhere. JSON keeps non-ASCII text as is (UTF-8). In CSV/TSV a list becomes its items
joined by `|`, None an empty cell, and a list of records (segment's tokens) one row per record.

All or nothing: JSON, CSV, TSV and tables are rendered completely (into a spooled temporary file) before
the first byte reaches the stream, so an error half-way (a bad file in the corpus) leaves no half-written
array or table; JSONL streams, one whole record per write.
"""
from __future__ import annotations

import dataclasses
import json
import math
import re
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import Enum
from typing import Any, TextIO

LIST_SEPARATOR = "|"
# Rendered output held in memory before it goes to a temporary file (all-or-nothing formats).
_SPOOL_IN_MEMORY = 32 * 1024 * 1024
# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(…), +cmd|…, @SUM(…));
# OWASP's advice is to make such text cells start with an apostrophe, which the spreadsheet hides.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Columns a table never breaks across lines: document ids (`doc`, a pair's `a` and `b`) and `text`, the
# number a fact was read from or the name a mention is written as.
_UNBROKEN = frozenset({"id", "doc", "a", "b", "text"})
# C0 and C1 control characters (ESC starts a terminal's escape sequences) and bidirectional overrides.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"


Formatter = Callable[[Any], str]


# Values that render as they are: most fields of most records (a fact's text, offsets, names), passed
# through without the dataclass, list and float tests (24 k facts: as_dict 1.6 s → 0.3 s in a profile).
_AS_IS = frozenset({str, int, bool, type(None)})
# One encoder for every record: json.dumps(…, ensure_ascii=False) builds a new one per call.
_JSON = json.JSONEncoder(ensure_ascii=False)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(record_type: type) -> tuple[str, ...]:
    """A dataclass's field names, read once per type (dataclasses.fields builds a tuple on every call)."""
    names = _FIELD_NAMES.get(record_type)
    if names is None:
        names = _FIELD_NAMES[record_type] = tuple(f.name for f in dataclasses.fields(record_type))
    return names


def as_dict(record: Any) -> dict[str, Any]:
    if isinstance(record, dict):
        return record
    plain = {}
    for name in _field_names(type(record)):
        value = getattr(record, name)
        plain[name] = value if type(value) in _AS_IS else _plain(value)
    return plain


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return as_dict(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _csv_cell(value: Any) -> str:
    """A CSV/TSV cell: numbers as numbers (-3.5 stays a number), text protected against formula injection."""
    cell = _cell(value)
    if not isinstance(value, (int, float)) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def _delimited(cells: Iterable[str], delimiter: str) -> str:
    """One CSV/TSV line. A cell holding the delimiter, a quote, CR or LF is quoted (RFC 4180); the csv
    module left a lone CR unquoted, which splits the row for every reader."""
    return delimiter.join(
        '"' + cell.replace('"', '""') + '"' if any(c in cell for c in (delimiter, '"', "\r", "\n")) else cell
        for cell in cells
    ) + "\n"


def _nested_field(record_type: type | None) -> tuple[str, Any] | None:
    """The field of `record_type` that holds a list of records (SegmentedDocument.tokens), if any."""
    if record_type is None:
        return None
    for name, hint in typing.get_type_hints(record_type).items():
        args = typing.get_args(hint)
        if typing.get_origin(hint) in (list, tuple) and args and dataclasses.is_dataclass(args[0]):
            return name, args[0]
    return None


def _header(record_type: type) -> list[str]:
    nested = _nested_field(record_type)
    names = []
    for field in dataclasses.fields(record_type):
        if nested is not None and field.name == nested[0]:
            names += [f.name for f in dataclasses.fields(nested[1])]
        else:
            names.append(field.name)
    return names


def _delimited_rows(records: Iterable[Any], record_type: type | None) -> Iterator[list[Any]]:
    """The header, then the values of each row. A list of records becomes one row per record, the other
    fields repeated, so no cell grows with the document (Python's csv reader refuses cells over 131,072
    characters by default)."""
    nested = _nested_field(record_type)
    header_written = record_type is not None
    if record_type is not None:
        yield _header(record_type)
    for record in records:
        row = as_dict(record)
        if not header_written:
            yield list(row)
            header_written = True
        if nested is None:
            yield list(row.values())
            continue
        for item in row[nested[0]]:
            values: list[Any] = []
            for name, value in row.items():
                values += list(item.values()) if name == nested[0] else [value]
            yield values


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
    """Write records to `stream`, all or nothing except JSONL (see the module's docstring). `columns` and
    `formatters` shape the table view only; data formats always carry every field, unformatted.
    `record_type` gives CSV its header when there are no records, and its rows for a list of records."""
    if fmt is Format.table:
        _render_table(list(records), stream=stream, columns=columns, formatters=formatters or {}, title=title, console=console)
    elif fmt is Format.jsonl:
        for record in records:
            stream.write(_JSON.encode(as_dict(record)) + "\n")
    else:
        import shutil
        import tempfile  # here: importing it costs every command's start-up a few milliseconds

        with tempfile.SpooledTemporaryFile(_SPOOL_IN_MEMORY, "w+", encoding="utf-8", errors="surrogatepass", newline="") as spool:
            if fmt is Format.json:
                separator = "[\n"
                for record in records:
                    spool.write(separator + _JSON.encode(as_dict(record)))
                    separator = ",\n"
                spool.write("[]\n" if separator == "[\n" else "\n]\n")
            else:
                delimiter = "," if fmt is Format.csv else "\t"
                for row in _delimited_rows(records, record_type):
                    spool.write(_delimited(map(_csv_cell, row), delimiter))
            spool.seek(0)
            shutil.copyfileobj(spool, stream)


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
        # Numbers, ids and a fact's number are never broken across lines; text wraps at spaces, long words
        # fold; a header breaks after its underscores (duplicates_/removed) so that it is not the widest.
        table.add_column(name.replace("_", "_\n"), justify="right" if numeric else "left", overflow="fold",
                         no_wrap=numeric or name in _UNBROKEN)
    for record, row in zip(records, rows):
        table.add_row(*(Text(printable(formatters[n](record) if n in formatters else _cell(row.get(n)))) for n in names))
    console.print(table)


def printable(text: str) -> str:
    """`text` safe to show on a terminal: control characters (the ESC that starts an escape sequence, BEL,
    CR, line breaks) and bidirectional overrides written as Python escapes (\\x1b, \\n, \\u202e)."""
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def render_matrix(
    labels: Sequence[str],
    scores: Sequence[Sequence[float]],
    fmt: Format,
    *,
    stream: TextIO,
    title: str | None = None,
    console: Any = None,
) -> None:
    """A square score matrix (0–1), or its first rows: row i of `scores` is document `labels[i]`.
    Table: cells shaded by score, columns numbered to stay narrow, split into tables the terminal's width.

    JSON/JSONL: one object `{"ids": [...], "scores": [[...], ...]}`; CSV/TSV: a `doc` column, then one
    column per id.
    """
    if fmt in (Format.json, Format.jsonl):
        data = json.dumps({"ids": list(labels), "scores": [list(row) for row in scores]}, ensure_ascii=False)
        stream.write(data + "\n")
        return
    if fmt in (Format.csv, Format.tsv):
        delimiter = "," if fmt is Format.csv else "\t"
        stream.write(_delimited(map(_csv_cell, ["doc", *labels]), delimiter))
        for label, row in zip(labels, scores):
            stream.write(_delimited(map(_csv_cell, [label, *row]), delimiter))
        return
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if console is None:
        console = Console(file=stream)
    # Shade relative to the highest off-diagonal score: real corpora rarely go near 1, and a fixed 0–1
    # scale would paint every cell the same.
    top = max((float(v) for i, row in enumerate(scores) for j, v in enumerate(row) if i != j), default=0.0)
    names = [printable(label) for label in labels]
    # Columns are numbered; ids are whole in the `doc` column. As many score columns as the width holds
    # go in one table (a column: 3 characters of score, 2 of padding, 1 of border), the next in another.
    number_width, doc_width = len(str(len(labels))), max(map(cell_len, names), default=3)
    fixed = 1 + (number_width + 3) + (doc_width + 3)
    per_table = max(1, (console.width - fixed) // 6)
    for first in range(0, len(labels), per_table):
        last = min(first + per_table, len(labels))
        caption = f"brighter green = more alike (brightest: {top:.2f})" if last == len(labels) else None
        table = Table(title=title, header_style="bold", caption=caption)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("doc", no_wrap=True)
        for number in range(first + 1, last + 1):
            table.add_column(str(number), justify="right", no_wrap=True, min_width=3)
        for number, (name, row) in enumerate(zip(names, scores), start=1):
            cells = []
            for column in range(first + 1, last + 1):
                value = row[column - 1]
                if column == number:
                    cells.append(Text("·", style="dim"))
                    continue
                level = max(0.0, min(1.0, float(value) / top)) if top > 0 else 0.0
                style = f"{'black' if level > 0.6 else 'white'} on rgb(0,{int(30 + 200 * level)},{int(20 + 60 * level)})"
                cells.append(Text(f"{value:.2f}"[1:] if value < 1 else "1.0", style=style))
            table.add_row(str(number), Text(name), *cells)
        console.print(table)
