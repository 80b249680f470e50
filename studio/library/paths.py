"""Where the bundled assets live."""

import os
from pathlib import Path


def assets_dir() -> Path:
    """The assets folder: $STUDIO_ASSETS when set (tests, packaged builds), else the repo's assets/."""
    env = os.environ.get("STUDIO_ASSETS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "assets"
