"""Where a user's own library items (imported looks, ...) are kept between sessions."""
from __future__ import annotations

import os
from pathlib import Path


def user_data_dir() -> Path:
    """$STUDIO_USER_DATA when set (tests), else $XDG_DATA_HOME/studio, else ~/.local/share/studio."""
    env = os.environ.get("STUDIO_USER_DATA")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "studio"
