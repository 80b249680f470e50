"""Non-destructive AR: the take keeps the raw camera picture, its live tracking goes to the
tracking cache (the export does not re-track) and the effects to TAKE.studio; --bake burns them in."""
from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest

from studio.capture import CaptureSession, FileCamera, TakeSettings
from studio.model import EffectRef, load_project
from studio.tracking.cache import SMOOTH_WINDOW, TrackingCache
from studio.tracking.tracker import Tracker

STICKER = EffectRef("face_sticker", {"sticker": "ar_sunglasses"})


@pytest.fixture(scope="module")
def face_clip(tmp_path_factory):
    """2 s of the astronaut photo (a real face) at 256x256."""
    data = pytest.importorskip("skimage.data")
    import cv2

    face = cv2.resize(data.astronaut(), (272, 256), interpolation=cv2.INTER_AREA)
    path = tmp_path_factory.mktemp("face") / "face.mp4"
    with av.open(str(path), "w") as c:
        v = c.add_stream("libx264", rate=30, options={"preset": "ultrafast", "crf": "16"})
        v.width, v.height, v.pix_fmt = 256, 256, "yuv420p"
        for k in range(60):
            f = av.VideoFrame.from_ndarray(np.ascontiguousarray(face[:, 8:264]), format="rgb24")
            f.pts, f.time_base = k, Fraction(1, 30)
            for p in v.encode(f):
                c.mux(p)
        for p in v.encode(None):
            c.mux(p)
    return path


def first_frame(path):
    with av.open(str(path)) as c:
        return next(c.decode(video=0)).to_ndarray(format="rgb24").astype(np.float32)


def test_raw_take_with_tracking_cache_and_editable_effects_or_baked(face_clip, tmp_path):
    previews = []
    with CaptureSession(FileCamera(face_clip, loop=True), effects=[STICKER],
                        on_preview=lambda rgb, frame: previews.append((frame.source_time, rgb))) as s:
        assert s.wait_preview(3)  # the creator sees the effect before recording
        raw_take = s.begin_take(tmp_path / "raw.mp4", TakeSettings(countdown=0, max_seconds=1.0))
        assert raw_take.wait(10)
        raw = raw_take.finish()
        baked_take = s.begin_take(tmp_path / "baked.mp4", TakeSettings(countdown=0, max_seconds=0.5, bake=True))
        assert baked_take.wait(10)
        baked = baked_take.finish()

    # the creator saw the sunglasses: the preview differs from the camera picture
    assert previews and len(previews) > 10
    # the raw take is the camera picture (no sunglasses)...
    src = first_frame(face_clip)
    raw_first = first_frame(raw.output)
    baked_first = first_frame(baked.output)
    assert np.abs(raw_first - src).mean() < 3
    # ...while the baked one carries them (dark lenses over the eyes)
    changed = np.abs(baked_first - src).max(axis=2) > 60
    assert changed.mean() > 0.004
    ys, xs = np.nonzero(changed)
    assert 30 < ys.mean() < 70 and 90 < xs.mean() < 140  # the eyes of the 256x256 astronaut

    # effects stay editable in the project next to the raw take, none for the baked one
    clip = load_project(raw.finalised.project).timeline.tracks[0].items[0]
    assert [e.id for e in clip.effects] == ["face_sticker"] and clip.effects[0].params["sticker"] == "ar_sunglasses"
    assert load_project(baked.finalised.project).timeline.tracks[0].items[0].effects == ()

    # the live tracking is in the cache: the export finds faces without running MediaPipe
    assert raw.finalised.tracked_frames >= 10
    counting = Tracker(frozenset({"face"}))
    with TrackingCache(raw.output, {"face"}, tracker=counting) as cache:
        stored = cache.tracked_frames("face")
        assert stored == raw.finalised.tracked_frames
        # a frame whose whole smoothing window was tracked live (on a loaded machine the live
        # preview skips frames, and a lookup then tracks the gaps: that is not what is tested here)
        live = [pts in raw_take.tracking for pts in raw.finalised.source_frames]
        k = max(i for i in range(len(live)) if all(live[max(0, i - SMOOTH_WINDOW + 1):i + 1]))
        tr = cache.frame_tracking(k)
        assert tr is not None and len(tr.faces) == 1
        assert counting.calls == 0
    counting.close()
