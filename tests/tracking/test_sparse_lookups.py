"""Sparse raw lookups (the follow pan tracks every other frame) and cache-first looks at a clip
(`studio quick` asks "is there a face?" without MediaPipe once the clip was tracked): real footage,
real MediaPipe, real cache files."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from studio.tracking import Tracker, TrackingCache

ROOT = Path(__file__).resolve().parents[2]


class NoMediaPipe(Tracker):
    def track_raw(self, rgb, needs=None):
        raise AssertionError("MediaPipe ran on a cached frame")


def test_raw_tracks_only_the_frames_asked_for_and_caches_them(clip_copy):
    wanted = list(range(0, 30, 2))
    counting = Tracker({"face"}, smooth=False)
    with TrackingCache(clip_copy, {"face"}, tracker=counting) as cache:
        first = cache.raw(wanted, "face")
        assert counting.calls == len(wanted)  # the odd frames are decoded, not tracked
        assert cache.tracked_frames("face") == len(wanted)
        assert cache.nearest(3, "face", within=1)[0] in (2, 4)
        assert cache.nearest(3, "face", within=0) is None
    assert all(len(first[k]) == 1 for k in wanted), "the webcam clip shows one face on every frame"
    with TrackingCache(clip_copy, {"face"}, tracker=NoMediaPipe(smooth=False)) as cache:
        again = cache.raw(wanted, "face")
    for k in wanted:
        assert np.array_equal(first[k], again[k])
    # the face the sparse pass found is where live tracking of that frame finds it
    with Tracker({"face"}, smooth=False) as t, TrackingCache(clip_copy, {"face"}) as cache:
        frames = dict(cache.source.frames(10, 10, cache.size))
        live = t.track_raw(frames[10]).faces[0]
    eyes = (468, 473)
    ied = float(np.hypot(*(live[eyes[0], :2] - live[eyes[1], :2])))
    assert np.abs(live[list(eyes), :2] - first[10][0][list(eyes), :2]).max() < 0.1 * ied


def _look(path: Path, cache_home: str) -> str:
    """has_subject and face_band in a fresh process; prints both and whether MediaPipe was imported."""
    code = ("import sys; from fractions import Fraction; from studio.quick import face_band, has_subject; "
            f"print(has_subject({str(path)!r}), face_band({str(path)!r}, Fraction(30)), "
            "'mediapipe' in sys.modules)")
    env = {**os.environ, "XDG_CACHE_HOME": cache_home, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.strip().splitlines()[-1]


def test_quick_looks_at_a_tracked_clip_without_mediapipe(clip_copy, tmp_path, monkeypatch):
    cold = _look(clip_copy, str(tmp_path / "xdg"))
    assert cold.startswith("True (") and cold.endswith("True"), cold  # nothing cached: MediaPipe looked
    # the follow pan's pass over the clip (every other frame) fills the cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    with TrackingCache(clip_copy, {"face"}) as cache:
        cache.raw(range(0, cache.source.frame_count, 2), "face")
    warm = _look(clip_copy, str(tmp_path / "xdg"))
    assert warm.startswith("True (") and warm.endswith("False"), warm  # answered from the cache
    band_cold = [float(v) for v in cold[len("True ("):].split(")")[0].split(",")]
    band_warm = [float(v) for v in warm[len("True ("):].split(")")[0].split(",")]
    assert 0 <= band_warm[0] < band_warm[1] <= 1
    assert np.abs(np.subtract(band_cold, band_warm)).max() < 0.03  # the same face, a frame or so apart


def test_two_caches_of_one_clip_share_their_work(clip_copy):
    """An effect chain's cache and the follow pan's are open at once during an export: frames one
    of them tracked and flushed are not tracked again by the other, and neither flush drops the
    other's frames."""
    chain_tracker = Tracker({"face"}, smooth=False)
    with TrackingCache(clip_copy, {"face"}, tracker=chain_tracker) as chain:
        with TrackingCache(clip_copy, {"face"}) as follow:
            follow.raw(range(0, 20, 2), "face")
        chain.raw(range(0, 20), "face")
        assert chain_tracker.calls == 10  # only the odd frames were left to track
        assert chain.frame_tracking(19).faces  # the smoothing window is served from memory
        assert chain_tracker.calls == 10
    with TrackingCache(clip_copy, {"face"}, tracker=NoMediaPipe(smooth=False)) as again:
        assert again.tracked_frames("face") == 20
        assert all(len(f) == 1 for f in again.raw(range(20), "face").values())
