"""Where the bundled assets live."""

import os
import sys
from pathlib import Path


def bundle_dir() -> Path | None:
    """The unpacked folder of a frozen (PyInstaller) build, None when running from source."""
    meipass = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and meipass:
        return Path(meipass)
    return None


def assets_dir() -> Path:
    """The assets folder: $STUDIO_ASSETS when set (tests, packaged builds), else the frozen bundle's
    assets/ (packaging/studio.spec puts them there), else the repo's assets/."""
    env = os.environ.get("STUDIO_ASSETS")
    if env:
        return Path(env)
    bundle = bundle_dir()
    if bundle is not None:
        return bundle / "assets"
    return Path(__file__).resolve().parents[2] / "assets"
