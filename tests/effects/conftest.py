"""Real faces for effect tests: the astronaut photo (scikit-image) and the shared webcam clips."""
from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

SHARED_MEDIA = Path(__file__).resolve().parents[2].parent / "shared" / "media"


@pytest.fixture(scope="session")
def astronaut() -> np.ndarray:
    data = pytest.importorskip("skimage.data")
    return np.ascontiguousarray(data.astronaut())


@pytest.fixture(scope="session")
def astronaut_tracking(astronaut):
    from studio.tracking import Tracker

    with Tracker({"face", "hands", "segmentation"}, smooth=False) as t:
        tr = t.track(astronaut, 0.0)
    assert len(tr.faces) == 1
    return tr


def _webcam_clip(name: str = "webcam_yes.mkv") -> Path:
    p = SHARED_MEDIA / name
    if not p.is_file():
        pytest.skip(f"shared webcam footage not present ({p})")
    return p


def _read_frames(path: Path, count: int, step: int = 1) -> list[np.ndarray]:
    out = []
    with av.open(str(path)) as c:
        for i, f in enumerate(c.decode(video=0)):
            if i % step == 0:
                out.append(f.to_ndarray(format="rgb24"))
            if len(out) >= count:
                break
    return out


@pytest.fixture(scope="session")
def webcam_frame() -> np.ndarray:
    return _read_frames(_webcam_clip(), 1)[0]


@pytest.fixture(scope="session")
def webcam_tracking(webcam_frame):
    from studio.tracking import Tracker

    with Tracker({"face", "hands", "segmentation"}, smooth=False) as t:
        return t.track(webcam_frame, 0.0)


@pytest.fixture
def webcam_clip():
    return _webcam_clip


@pytest.fixture
def read_frames():
    return _read_frames
