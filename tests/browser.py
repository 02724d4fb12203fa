"""A real headless browser for the report's tests: Debian's chromium driven over the DevTools protocol.

The protocol runs over a pipe (`--remote-debugging-pipe`: JSON messages ending in NUL on fds 3 and 4), so
no websocket client or downloaded browser is needed. `python tests/browser.py PAGE.html OUT.png` saves
the screenshot the README shows.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-pipe", "--hide-scrollbars", "--font-render-hinting=none",
)
# What the page's script reports once every chart is drawn (or has failed and said so).
CHART_REPORT = """JSON.stringify(Array.from(document.querySelectorAll('.chart')).map(e => ({
  id: e.id,
  svg: e.querySelectorAll('svg').length,
  marks: e.querySelectorAll('svg g.role-mark > *').length,
  texts: Array.from(e.querySelectorAll('svg text')).map(t => t.textContent).filter(Boolean).slice(0, 400),
  error: (e.querySelector('.chart-error') || {}).textContent || null,
})))"""


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageCheck:
    charts: list[dict[str, Any]]
    console_errors: list[str]
    console_warnings: list[str]
    requests: list[str]  # every URL the page asked for, beyond the page itself
    done: str | None  # the page's data-charts-done attribute: the number of charts it drew
    tooltips: dict[str, str] = field(default_factory=dict)  # chart id → the tooltip shown over its first mark
    script_result: Any = None  # what `script` returned
    events: list[dict[str, Any]] = field(default_factory=list, repr=False)


class Chromium:
    """One headless chromium with a fresh profile; `check_page` loads a page and reports what happened."""

    def __init__(self, binary: str, *, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="jiegui-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # the browser reads commands on fd 3 and writes answers on fd 4 (bash: dash takes only one-digit fds)
        self.process = subprocess.Popen(
            ["bash", "-c", f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}', binary,
             *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(to_browser_r, from_browser_w), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.send("Browser.close")
            except (OSError, TimeoutError, RuntimeError):
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def check_page(self, page: Path, *, screenshot: Path | None = None, width: int = 1280,
                   clip_height: int | None = None, scale: float = 1.0, hover: tuple[str, ...] = (),
                   script: str | None = None) -> PageCheck:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
        url = page.resolve().as_uri()
        self.send("Page.navigate", {"url": url}, session=session)
        deadline = time.monotonic() + self.timeout
        done = None
        while time.monotonic() < deadline:
            value = self.evaluate("document.body && document.body.getAttribute('data-charts-done')", session)
            if value is not None:
                done = value
                break
            time.sleep(0.2)
        charts = json.loads(self.evaluate(CHART_REPORT, session))
        tooltips = {chart_id: self._hover(chart_id, session) for chart_id in hover}
        script_result = None if script is None else self.evaluate(script, session)
        if screenshot is not None:
            size = self.send("Page.getLayoutMetrics", session=session)["cssContentSize"]
            height = size["height"] if clip_height is None else min(clip_height, size["height"])
            shot = self.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": scale},
            }, session=session)
            import base64

            screenshot.write_bytes(base64.b64decode(shot["data"]))
        errors, warnings, requests = [], [], []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                if params.get("type") in ("error", "assert"):
                    errors.append(text)
                elif params.get("type") == "warning":
                    warnings.append(text)
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                errors.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
            elif method == "Log.entryAdded":
                entry = params.get("entry", {})
                (errors if entry.get("level") == "error" else warnings if entry.get("level") == "warning" else []).append(
                    f"{entry.get('source')}: {entry.get('text')}")
            elif method == "Network.requestWillBeSent":
                request_url = params.get("request", {}).get("url", "")
                if request_url != url:
                    requests.append(request_url)
        return PageCheck(charts, errors, warnings, requests, done, tooltips, script_result, list(self.events))

    def _hover(self, chart_id: str, session: str) -> str:
        """Move the mouse over the chart's first mark, as a reader would, and return the tooltip's text."""
        box = self.evaluate(
            f"(() => {{ const m = document.querySelector('#{chart_id} svg g.role-mark > *');"
            " m.scrollIntoView({block: 'center'}); const r = m.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()", session)
        for x, y in ((box[0] - 20, box[1]), tuple(box)):
            self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y}, session=session)
        deadline = time.monotonic() + 5
        text = ""
        while not text and time.monotonic() < deadline:
            time.sleep(0.1)
            text = self.evaluate("(document.getElementById('vg-tooltip-element') || {}).textContent || ''", session)
        return text

    def evaluate(self, expression: str, session: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluating {expression[:60]!r}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")


def main(argv: list[str]) -> int:
    """python tests/browser.py PAGE.html OUT.png [HEIGHT] [SCALE]: a screenshot of the page's top."""
    binary = find_chromium()
    if binary is None:
        print("chromium not found", file=sys.stderr)
        return 1
    page, out = Path(argv[0]), Path(argv[1])
    height = int(argv[2]) if len(argv) > 2 else None
    scale = float(argv[3]) if len(argv) > 3 else 1.0
    with Chromium(binary) as browser:
        check = browser.check_page(page, screenshot=out, clip_height=height, scale=scale)
    print(json.dumps({"charts": [(c["id"], c["marks"]) for c in check.charts], "errors": check.console_errors,
                      "warnings": check.console_warnings, "requests": check.requests, "done": check.done},
                     ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
