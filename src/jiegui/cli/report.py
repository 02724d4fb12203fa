"""`jiegui report`: the corpus at a glance as one HTML page."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jiegui.cli.shared import CommonOptions, corpus_command


@corpus_command("report")
def report_command(
    opts: CommonOptions,
    output: Annotated[Path, typer.Option("--output", "-o", help="Write the page to FILE.", metavar="FILE")] = Path("report.html"),
    top: Annotated[int, typer.Option("--top", min=1, help="Show the N best keywords, entities, phrases and money figures.")] = 20,
) -> None:
    """Write the corpus at a glance as one self-contained HTML page of charts and tables; print its path."""
    from jiegui.output import report
    from jiegui.text.segment import Segmenter

    report.check_available()  # both before the slow part
    report.check_writable(output)
    segmenter = Segmenter(opts.settings())
    if opts.scheduler is not None:  # every section's inputs made on the cluster's workers; only they come back
        from jiegui.distributed import cluster_report

        with opts.distributed() as corpus:
            inputs = cluster_report(corpus, top_n=top, stopwords=segmenter.stopwords, encoding=opts.encoding)
    else:
        inputs = report.report_inputs(opts.documents(), top_n=top, segmenter=segmenter, encoding=opts.encoding)
    data = report.build_report(inputs, top_n=top, title=opts.corpus or "the bundled corpus")
    path = report.write_report(report.render_report(data), output)
    print(path.resolve())
