"""Fixtures: numbered clips written once per session (helpers in capture_media.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from capture_media import make_numbered_clip


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("capture-clips")


@pytest.fixture(scope="session")
def numbered_clip(clip_dir) -> Path:
    """12 s of numbered frames (long enough for every take here without looping)."""
    return make_numbered_clip(clip_dir / "numbered.mp4", 12)


@pytest.fixture(scope="session")
def numbered_clip_with_sound(clip_dir) -> Path:
    return make_numbered_clip(clip_dir / "numbered_sound.mp4", 12, audio=True)


@pytest.fixture(scope="session")
def short_clip(clip_dir) -> Path:
    """1.5 s: a camera that stops delivering frames (played without looping)."""
    return make_numbered_clip(clip_dir / "short.mp4", 1.5)
