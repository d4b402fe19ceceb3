"""Screenshots that browser tests leave behind to be looked at (SCREENSHOT_DIR)."""

import os
from pathlib import Path


def screenshot_path(name: str) -> str:
    folder = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/advisor-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / name)
