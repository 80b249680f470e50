"""The follow pan looks at every FOLLOW_STRIDE-th frame; a subject found far off on one look alone
(a false face for a moment) must not move the window, as it did not when every 2nd frame was looked at."""
from __future__ import annotations

import numpy as np

from studio.render.follow import FOLLOW_STRIDE, crop_width, plan_path, track_subject

W, H, FPS = 1920, 1080, 30


class _FakeCache:
    """A tracking cache whose raw faces sit at x(k) (source pixels) on frame k."""

    def __init__(self, x):
        self.x = x
        self.asked: list[int] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def raw(self, frames, part="face"):
        out = {}
        for k in frames:
            self.asked.append(k)
            face = np.zeros((1, 478, 3), np.float32)
            face[0, :, 0] = np.linspace(self.x(k) - 40, self.x(k) + 40, 478) / W
            out[k] = face
        return out


def _subject(x, frames=180):
    cache = _FakeCache(x)
    indices = np.arange(frames)
    return track_subject("clip.mp4", indices, W, lambda *a, **k: cache), cache


def test_one_far_off_look_does_not_move_the_window():
    blip = 20 * FOLLOW_STRIDE  # a looked-at frame
    subject, cache = _subject(lambda k: 1700.0 if k == blip else 900.0 + 3 * np.sin(k))
    assert blip in cache.asked and len(cache.asked) <= 180 // FOLLOW_STRIDE + 2
    assert np.nanmax(subject) < 1000
    path = plan_path(subject, W, crop_width(W, H, 1080, 1920), FPS)
    assert np.ptp(path) < 0.5


def test_a_moving_subject_is_still_followed_to_its_end():
    subject, _ = _subject(lambda k: 400.0 + 6 * k)  # walks right, 6 px a frame
    looked = ~np.isnan(subject)
    assert abs(subject[looked][-1] - (400 + 6 * 179)) < 1
    assert np.allclose(subject[looked][1:-1], (400 + 6 * np.arange(180))[looked][1:-1], atol=1)
    path = plan_path(subject, W, crop_width(W, H, 1080, 1920), FPS)
    assert path[-1] - path[0] > 600
