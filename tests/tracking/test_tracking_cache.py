"""The on-disk tracking cache: a tracked clip is never run through MediaPipe again."""
from __future__ import annotations

import numpy as np
import pytest

from studio.tracking import Tracker, TrackingCache
from studio.tracking.cache import evict_least_recent, user_cache_dir


class NoMediaPipe(Tracker):
    """A tracker that fails if asked to track: proves a pass is served from the cache."""

    def track_raw(self, rgb, needs=None):
        raise AssertionError("MediaPipe ran on a cached frame")


def test_second_pass_reads_the_cache(clip_copy):
    n = 24
    counting = Tracker({"face", "segmentation"}, smooth=False)
    with TrackingCache(clip_copy, {"face", "segmentation"}, tracker=counting) as cache:
        first = [cache.at(i / 30) for i in range(n)]
    assert counting.calls == n  # every frame tracked exactly once, in one sequential pass
    files = list(user_cache_dir().glob("*.npz"))
    assert len(files) == 1
    assert sorted(p.name for p in clip_copy.parent.iterdir()) == ["take.mkv"]  # nothing beside the media
    with TrackingCache(clip_copy, {"face", "segmentation"}, tracker=NoMediaPipe(smooth=False)) as cache:
        second = [cache.at(i / 30) for i in range(n)]
        backwards = cache.at(5 / 30)  # random access is served from disk too
    for a, b in zip(first, second):
        assert len(a.faces) == len(b.faces) >= 1
        assert np.array_equal(a.faces[0].points, b.faces[0].points)
        assert np.array_equal(a.person_mask.mask, b.person_mask.mask)
    assert np.array_equal(backwards.faces[0].points, first[5].faces[0].points)
    assert first[0].size == (640, 480)


def test_cached_landmarks_match_live_tracking(clip_copy, decode):
    frames = decode(clip_copy, 3)
    with Tracker({"face"}, smooth=False) as t:
        live = t.track(frames[0], 0.0).faces[0]
    with TrackingCache(clip_copy, {"face"}) as cache:
        cached = cache.at(0.0).faces[0]  # frame 0 has no history: no smoothing applied
    ied = live.inter_eye_distance
    assert np.abs(np.array(live.eye_centres()) - np.array(cached.eye_centres())).max() < 0.05 * ied


def test_new_parts_are_added_to_an_existing_cache(clip_copy):
    with TrackingCache(clip_copy, {"face"}) as cache:
        cache.at(0.0)
    t = Tracker(smooth=False)
    with TrackingCache(clip_copy, {"face", "hands"}, tracker=t) as cache:
        tr = cache.at(0.0)
        assert t.calls == 1 and tr.parts == {"face", "hands"}
    with TrackingCache(clip_copy, {"face", "hands"}, tracker=NoMediaPipe()) as cache:
        assert cache.at(0.0).parts == {"face", "hands"}


def test_cache_key_ignores_mtime_and_works_for_read_only_media(clip_copy):
    import os

    a = TrackingCache(clip_copy, {"face"})
    os.utime(clip_copy, (0, 0))
    assert TrackingCache(clip_copy, {"face"}).file == a.file
    assert TrackingCache(clip_copy, {"face"}, working_long_side=256).file != a.file
    assert a.file.parent == user_cache_dir()
    folder = clip_copy.parent
    os.chmod(folder, 0o555)
    try:
        with TrackingCache(clip_copy, {"face"}) as cache:
            assert cache.at(0.0).faces
        assert a.file.is_file()
        assert sorted(p.name for p in folder.iterdir()) == ["take.mkv"]
    finally:
        os.chmod(folder, 0o755)


def test_the_cache_folder_keeps_under_its_limit_least_recently_used_first(tmp_path):
    import os
    import time

    folder = tmp_path / "cache"
    folder.mkdir()
    for n, name in enumerate(("old", "middle", "new")):
        (folder / f"{name}.npz").write_bytes(b"x" * 400_000)
        os.utime(folder / f"{name}.npz", (time.time() - 100 + n, time.time() - 100 + n))
    os.utime(folder / "old.npz")  # read just now: the least recently used is now "middle"
    removed = evict_least_recent(folder, 900_000, keep=folder / "new.npz")
    assert [p.name for p in removed] == ["middle.npz"]
    assert sorted(p.name for p in folder.iterdir()) == ["new.npz", "old.npz"]


def test_a_cache_write_evicts_the_least_recent_files(clip_copy, monkeypatch):
    monkeypatch.setenv("STUDIO_TRACKING_CACHE_MB", "0.001")  # smaller than any cache file
    stale = user_cache_dir()
    stale.mkdir(parents=True, exist_ok=True)
    (stale / "0123456789abcdef0123.npz").write_bytes(b"x" * 10_000)
    with TrackingCache(clip_copy, {"face"}) as cache:
        cache.at(0.0)
    assert [p.name for p in stale.glob("*.npz")] == [cache.file.name]  # the one in use stays
