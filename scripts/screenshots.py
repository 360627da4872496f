"""Save a screenshot of every app to docs/img/<notebook>.png (README) and a thumbnail to notebooks/img/ (gallery).

Usage: .venv/bin/python scripts/screenshots.py [--only TEXT]
"""

from __future__ import annotations

import argparse

from PIL import Image

from qdpv_testing import NOTEBOOKS, ROOT, app_notebooks
from qdpv_testing.browser import launch_chromium, open_app
from qdpv_testing.server import voila_server

THUMB_WIDTH = 320


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
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for app in apps:
            open_app(page, f"{server.url}/voila/render/{app}")
            page.wait_for_timeout(500)
            target = out / app.replace(".ipynb", ".png")
            page.locator(".jupyter-widgets.widget-vbox").first.screenshot(path=str(target))
            thumb = NOTEBOOKS / "img" / target.name
            thumb.parent.mkdir(exist_ok=True)
            with Image.open(target) as img:
                top = img.crop((0, 0, img.width, min(img.height, int(img.width * 0.62))))  # controls + first figure
                top.thumbnail((THUMB_WIDTH, THUMB_WIDTH))
                top.save(thumb, optimize=True)
            print(f"wrote {target.relative_to(ROOT)} and {thumb.relative_to(ROOT)}")
        browser.close()


if __name__ == "__main__":
    main()
