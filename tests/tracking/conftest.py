"""Real footage for tracking tests: the astronaut photo and the shared webcam clips (skipped when absent)."""
from __future__ import annotations

import shutil
from pathlib import Path

import av
import numpy as np
import pytest

SHARED_MEDIA = Path(__file__).resolve().parents[2].parent / "shared" / "media"


@pytest.fixture(scope="session")
def astronaut() -> np.ndarray:
    data = pytest.importorskip("skimage.data")
    return np.ascontiguousarray(data.astronaut())


def _shared_clip(name: str) -> Path:
    p = SHARED_MEDIA / name
    if not p.is_file():
        pytest.skip(f"shared webcam footage not present ({p})")
    return p


@pytest.fixture
def clip_copy(tmp_path) -> Path:
    """A private copy of a short webcam clip (the cache is written next to the media)."""
    dst = tmp_path / "media" / "take.mkv"
    dst.parent.mkdir()
    shutil.copyfile(_shared_clip("webcam_thanks.mkv"), dst)
    return dst


def _decode(path: Path, count: int) -> list[np.ndarray]:
    out = []
    with av.open(str(path)) as c:
        for f in c.decode(video=0):
            out.append(f.to_ndarray(format="rgb24"))
            if len(out) >= count:
                break
    return out


@pytest.fixture
def shared_clip():
    """shared_clip(name) -> path of a shared webcam clip (the test is skipped when absent)."""
    return _shared_clip


@pytest.fixture
def decode():
    """decode(path, count) -> the first `count` frames as RGB arrays."""
    return _decode
