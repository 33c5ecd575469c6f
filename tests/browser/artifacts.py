"""Screenshots of a browser journey, kept as test artefacts.

Each journey writes `NN-name.png` (numbered in the order taken) under
`$BROWSER_ARTIFACTS/<journey>/` (default `.artifacts/browser/`, gitignored); the folder is emptied
when the journey starts, so it always shows the last run.
"""

import os
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page


def artifacts_root() -> Path:
    default = Path(settings.BASE_DIR) / ".artifacts" / "browser"
    return Path(os.environ.get("BROWSER_ARTIFACTS", default))


class Screenshots:
    """Numbered screenshots of one journey: `shots(page, "name")` saves the whole page."""

    def __init__(self, journey: str) -> None:
        self.folder = artifacts_root() / journey
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.taken: list[Path] = []

    def __call__(self, page: Page, name: str) -> Path:
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        self.taken.append(path)
        return path
