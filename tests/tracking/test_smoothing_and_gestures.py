"""One Euro smoothing on a noisy synthetic track, and rule-based gestures on synthetic hands."""
from __future__ import annotations

import numpy as np
import pytest

from studio.tracking import GESTURES, OneEuroFilter, SetSmoother, Tracker, classify_gesture


def test_one_euro_reduces_jitter_and_keeps_up_with_motion():
    rng = np.random.default_rng(1)
    t = np.arange(120) / 30.0
    truth = np.stack([np.where(t < 2, 0.5, 0.5 + 0.3 * (t - 2)), np.full_like(t, 0.4)], 1)  # still, then moving
    noisy = truth + rng.normal(0, 0.004, truth.shape)  # ~2 px jitter at 512 px
    f = OneEuroFilter()
    out = np.array([f(noisy[i], t[i]) for i in range(len(t))])
    still = slice(15, 60)
    assert np.abs(np.diff(out[still, 0])).mean() < 0.35 * np.abs(np.diff(noisy[still, 0])).mean()
    assert np.abs(out[still] - truth[still]).std() < 0.5 * np.abs(noisy[still] - truth[still]).std()
    moving = slice(80, 120)
    assert np.abs(out[moving, 0] - truth[moving, 0]).mean() < 0.02  # lag below 2 % of the frame


def test_set_smoother_keeps_faces_apart():
    s = SetSmoother()
    a, b = np.zeros((478, 3), np.float32) + 0.2, np.zeros((478, 3), np.float32) + 0.8
    s([a, b], 0.0)
    out = s([b + 0.001, a + 0.001], 1 / 30)  # order swapped: matched by position, not by index
    assert abs(out[0][0, 0] - 0.8) < 0.01 and abs(out[1][0, 0] - 0.2) < 0.01


# --- synthetic hands: wrist at the origin, fingers up (image y down), palm length ~1 ---
MCP = {"index": (-0.3, -1.0), "middle": (-0.1, -1.05), "ring": (0.1, -1.0), "pinky": (0.28, -0.9)}


def hand(thumb: bool, index: bool, middle: bool, ring: bool, pinky: bool, rotate_deg: float = 0.0) -> np.ndarray:
    p = np.zeros((21, 3), np.float32)
    if thumb:  # out to the side
        p[1:5, :2] = [(-0.3, -0.3), (-0.55, -0.45), (-0.8, -0.55), (-1.05, -0.65)]
    else:  # folded across the palm
        p[1:5, :2] = [(-0.3, -0.3), (-0.35, -0.5), (-0.2, -0.65), (-0.05, -0.75)]
    for k, (name, ext) in enumerate(zip(MCP, (index, middle, ring, pinky))):
        mx, my = MCP[name]
        base = 5 + 4 * k
        if ext:
            offs = [(0, 0), (0, -0.4), (0, -0.7), (0, -0.95)]
        else:  # curled back into the palm
            offs = [(0, 0), (0, -0.35), (0.0, -0.1), (0.0, 0.05)]
        p[base:base + 4, :2] = [(mx + dx, my + dy) for dx, dy in offs]
    a = np.radians(rotate_deg)
    R = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], np.float32)
    p[:, :2] = p[:, :2] @ R.T
    return p * 80 + np.float32([300, 300, 0])  # in pixels


@pytest.mark.parametrize("rot", [0, -15, 15])
def test_gestures_on_synthetic_hands(rot):
    assert classify_gesture(hand(True, True, True, True, True, rot)) == "open_palm"
    assert classify_gesture(hand(False, True, True, False, False, rot)) == "peace"
    assert classify_gesture(hand(True, True, True, False, False, rot)) == "peace"  # thumb may stick out
    assert classify_gesture(hand(False, True, False, False, False, rot)) == "pointing"
    assert classify_gesture(hand(False, False, False, False, False, rot)) is None  # fist
    assert classify_gesture(hand(False, False, True, True, True, rot)) is None


def test_thumbs_up_needs_the_thumb_pointing_up():
    # A fist turned on its side with the thumb out: the thumb points up.
    assert classify_gesture(hand(True, False, False, False, False, rotate_deg=90)) == "thumbs_up"
    # The same hand upside down is not a thumbs up.
    assert classify_gesture(hand(True, False, False, False, False, rotate_deg=-90)) is None
    assert set(GESTURES) == {"open_palm", "peace", "thumbs_up", "pointing"}


def test_open_palm_on_real_webcam_footage(decode, shared_clip):
    # In "book" the signer holds a flat open hand up for most of the clip.
    frames = decode(shared_clip("webcam_book.mkv"), 40)
    with Tracker({"hands"}) as t:
        gestures = [t.track(f, i / 30).gestures for i, f in enumerate(frames[10:40])]
    assert sum("open_palm" in g for g in gestures) >= 10
