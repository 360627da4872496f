"""Save screenshots of every app at three window widths to docs/img/, and a thumbnail to notebooks/img/ (gallery).

docs/img/<notebook>.png is the app on a laptop (1366 px wide; the README shows one), docs/img/<notebook>_768.png
on a tablet (768 px) and docs/img/<notebook>_375.png on a phone (375 px), each the whole app from its first
control to its model note. notebooks/img/<notebook>.png is the laptop view's top (controls and first figure) as
a thumbnail.

Usage: .venv/bin/python scripts/screenshots.py [--only TEXT]
"""

from __future__ import annotations

import argparse

from PIL import Image

from qdpv_testing import NOTEBOOKS, ROOT, app_notebooks
from qdpv_testing.browser import launch_chromium, open_app
from qdpv_testing.server import voila_server

THUMB_WIDTH = 320
WIDTHS = {1366: "", 768: "_768", 375: "_375"}  # window width (px) -> file name suffix
VIEW_HEIGHT = 768
MAX_HEIGHT = 6000  # px: a taller app is cut off at this height


def shoot(browser, url: str, width: int, target) -> None:
    """Open ``url`` at ``width`` and save the whole app (the page's scrolling area is grown to show all of it)."""
    page = browser.new_page(viewport={"width": width, "height": VIEW_HEIGHT})
    open_app(page, url)
    # Voila scrolls inside #rendered_cells, so a screenshot sees one window's height: make the window as tall as
    # the page, then let Bokeh lay the figures out for it
    height = page.evaluate("() => document.getElementById('rendered_cells').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(height + 20, MAX_HEIGHT)})
    page.wait_for_timeout(800)
    page.locator(".qdpv-app").first.screenshot(path=str(target))
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="only notebooks whose name contains this text")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    apps = app_notebooks(args.only)
    with sync_playwright() as pw, voila_server() as server:
        browser = launch_chromium(pw)
        for app in apps:
            stem = app.replace(".ipynb", "")
            for width, suffix in WIDTHS.items():
                target = out / f"{stem}{suffix}.png"
                shoot(browser, f"{server.url}/voila/render/{app}", width, target)
                print(f"wrote {target.relative_to(ROOT)}")
            laptop = out / f"{stem}.png"
            thumb = NOTEBOOKS / "img" / laptop.name
            thumb.parent.mkdir(exist_ok=True)
            with Image.open(laptop) as img:
                top = img.crop((0, 0, img.width, min(img.height, int(img.width * 0.62))))  # controls + first figure
                top.thumbnail((THUMB_WIDTH, THUMB_WIDTH))
                top.save(thumb, optimize=True)
            print(f"wrote {thumb.relative_to(ROOT)}")
        browser.close()


if __name__ == "__main__":
    main()
