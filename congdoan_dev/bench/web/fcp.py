"""First contentful paint in Chromium (Debian's, through Playwright, as the browser tests launch
it) on a slow 3G line: 400 kbit/s down and up, 400 ms from request to answer
(`Network.emulateNetworkConditions`), the cache off, images included, a 360 × 640 phone."""

from __future__ import annotations

import importlib
import statistics
from dataclasses import dataclass, field
from typing import Any

from congdoan import testing

KBPS = 400
LATENCY_MS = 400
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
FIGURES_JS = """() => {
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  return {
    fcp: fcp ? fcp.startTime : null,
    load: nav ? nav.loadEventEnd : null,
    bytes: (nav ? nav.transferSize : 0) + resources.reduce((n, r) => n + r.transferSize, 0),
    images: resources.filter(r => r.initiatorType === 'img').length,
  };
}"""


@dataclass
class Paint:
    """One page's runs: first contentful paint and load, in ms; bytes the browser received."""

    fcp: list[float] = field(default_factory=list)
    load: list[float] = field(default_factory=list)
    bytes: int = 0
    images: int = 0

    @property
    def fcp_median(self) -> float:
        return statistics.median(self.fcp) if self.fcp else float("nan")

    @property
    def load_median(self) -> float:
        return statistics.median(self.load) if self.load else float("nan")


def unavailable() -> str | None:
    """Why Chromium cannot run here (None when it can): the browser tests' own probe."""
    return testing.browser_unavailable()


def _one(browser: Any, url: str) -> dict[str, Any]:
    context = browser.new_context(
        viewport={"width": 360, "height": 640},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
    )
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": KBPS * 1000 / 8,
                "uploadThroughput": KBPS * 1000 / 8,
            },
        )
        page.goto(url, wait_until="load", timeout=180_000)
        # A light page can fire its load event before its first paint: wait for the entry.
        page.wait_for_function(
            "() => performance.getEntriesByName('first-contentful-paint').length > 0",
            timeout=30_000,
        )
        result: dict[str, Any] = page.evaluate(FIGURES_JS)
        return result
    finally:
        context.close()


def measure(base_url: str, pages: dict[str, str], runs: int) -> dict[str, Paint]:
    """Each page `runs` times, each run in a fresh browser context."""
    sync_api = importlib.import_module("playwright.sync_api")
    paints = {name: Paint() for name in pages}
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=testing.CHROMIUM, args=ARGS, headless=True)
        try:
            for _ in range(runs):
                for name, path in pages.items():
                    figures = _one(browser, base_url + path)
                    paint = paints[name]
                    if figures.get("fcp") is not None:
                        paint.fcp.append(float(figures["fcp"]))
                    if figures.get("load"):
                        paint.load.append(float(figures["load"]))
                    paint.bytes = int(figures.get("bytes") or 0)
                    paint.images = int(figures.get("images") or 0)
        finally:
            browser.close()
    return paints
