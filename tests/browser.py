"""Real Chromium for page and document tests: Debian's /usr/bin/chromium driven by Playwright (its own browser
download cannot work offline), and axe-core from node_modules for WCAG 2.2 AA checks."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.services import unavailable

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright `Browser`); skips, or fails under DHR_REQUIRE_SERVICES=1, without one."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        unavailable("Chromium is not installed (run scripts/setup-system.sh as root, or apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page as loaded; returns the WCAG 2.2 AA violations (empty means it passed)."""
    if not AXE.exists():
        unavailable("axe-core is not installed (run `npm ci` or scripts/setup-system.sh)")
    if not page.evaluate("() => typeof axe !== 'undefined'"):  # once per document: the script is ~550 kB to send
        page.add_script_tag(path=str(AXE))
    # Only the violations cross back: the whole result (every pass, with its nodes' HTML) is megabytes, and parsing
    # it in Playwright's protocol layer took most of the browser tests' CPU.
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations", WCAG_22_AA
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["html"][:200] for n in v["nodes"][:5]]}
        for v in violations
    ]
