"""A face the mesh loses is found again on a crop around where it was (issue 13: tracking cost).

In webcam_book the person stands back from the camera: the face mesh's own detector misses the
small face, so every frame used to need the full fallback (a full-range detector on the whole frame,
then the mesh on a crop). Re-finding the previous frame's face on a crop around it costs about half
as much, must put the face where the full fallback does, and must never invent a face.
"""
from __future__ import annotations

import numpy as np

from studio.tracking import Tracker
from studio.tracking import tracker as tracker_module


def _counted(tracker: Tracker) -> dict:
    calls = {"refind": 0, "refound": 0, "full": 0}
    refind, full = tracker._refind, tracker._small_faces

    def counted_refind(rgb):
        calls["refind"] += 1
        out = refind(rgb)
        calls["refound"] += out is not None
        return out

    def counted_full(rgb, small):
        calls["full"] += 1
        return full(rgb, small)

    tracker._refind, tracker._small_faces = counted_refind, counted_full
    return calls


def _centres(raw) -> list[tuple[float, float]]:
    return [(float(f[:, 0].mean()), float(f[:, 1].mean())) for f in raw.faces]


def test_a_lost_small_face_is_refound_where_the_full_search_finds_it(decode, shared_clip, monkeypatch):
    frames = decode(shared_clip("webcam_book.mkv"), 30)[::2]  # every 2nd frame, as the follow pan looks
    run = tracker_module.REFIND_RUN
    with Tracker({"face"}, smooth=False) as t:
        calls = _counted(t)
        refound = [t.track_raw(f) for f in frames]
    monkeypatch.setattr(tracker_module, "REFIND_RUN", 0)  # the full fallback on every lost frame
    with Tracker({"face"}, smooth=False) as t:
        full = [t.track_raw(f) for f in frames]
    print(calls)
    assert all(len(r.faces) == 1 for r in refound) and all(len(r.faces) == 1 for r in full)
    # the mesh lost the face on most frames; re-finding did the work on most of those
    assert calls["refind"] >= len(frames) // 2
    assert calls["refound"] >= 0.8 * calls["refind"]
    assert calls["full"] <= calls["refind"] - calls["refound"] + len(frames) // run + 1
    for a, b in zip(refound, full):
        (ax, ay), (bx, by) = _centres(a)[0], _centres(b)[0]
        width = np.ptp(b.faces[0][:, 0])
        assert abs(ax - bx) < 0.1 * width and abs(ay - by) < 0.1 * width


def test_no_face_is_refound_where_the_face_has_gone(decode, shared_clip):
    frames = decode(shared_clip("webcam_book.mkv"), 4)
    with Tracker({"face"}, smooth=False) as t:
        assert len(t.track_raw(frames[0]).faces) == 1
        calls = _counted(t)
        # the same picture with the face covered by the wall colour around it
        covered = frames[2].copy()
        h, w = covered.shape[:2]
        face = t._last_faces[0][:, :2] * np.float32([w, h])
        (x0, y0), (x1, y1) = face.min(0).astype(int) - 12, face.max(0).astype(int) + 12
        covered[max(0, y0):y1, max(0, x0):x1] = np.median(covered[:max(1, y0 - 20)], axis=(0, 1))
        assert len(t.track_raw(covered).faces) == 0
        assert calls["refind"] == 1 and calls["refound"] == 0 and calls["full"] == 1


def test_a_face_elsewhere_is_not_taken_for_the_lost_one(decode, shared_clip):
    frames = decode(shared_clip("webcam_book.mkv"), 4)
    with Tracker({"face"}, smooth=False) as t:
        before = t.track_raw(frames[0])
        calls = _counted(t)
        # the picture moved a third of its width sideways: the face is there, not where it was
        moved = np.roll(frames[2], frames[2].shape[1] // 3, axis=1)
        after = t.track_raw(moved)
    assert len(before.faces) == 1 and len(after.faces) == 1
    assert calls["refound"] == 0 and calls["full"] == 1
    shift = _centres(after)[0][0] - _centres(before)[0][0]
    assert abs(shift - 1 / 3) < 0.05
