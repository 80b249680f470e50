"""Whole-frame effects that need no tracking: look, vignette, grain, rgb_split, mirror."""
from __future__ import annotations

import numpy as np
import pytest

from studio.effects import FrameContext, default_registry

REG = default_registry()


def run(effect_id, frame, frame_index=0, **params):
    p = REG.validate(effect_id, params)
    h, w = frame.shape[:2]
    return REG.get(effect_id).apply(frame, FrameContext(frame_index, frame_index / 30, None, (w, h), {}), p)


def test_look_matches_the_library_lut_and_intensity_zero_is_identity(astronaut):
    from studio.library.looks import load_lut

    out = run("look", astronaut, name="vivid", intensity=1.0)
    ref = load_lut("vivid").apply(astronaut, 1.0)
    assert np.array_equal(out, ref)
    assert np.abs(out.astype(int) - astronaut).mean() > 2  # vivid really changes the picture
    assert np.array_equal(run("look", astronaut, name="vivid", intensity=0.0), astronaut)


def test_vignette_darkens_corners_not_centre():
    flat = np.full((120, 200, 3), 200, np.uint8)
    out = run("vignette", flat, strength=0.8)
    assert out[60, 100].tolist() == [200, 200, 200]
    assert out[0, 0].max() < 200 * 0.35  # 1 - 0.8 in the very corner, within rounding
    assert out[0, 0].max() < out[30, 50].max() < 200


def test_grain_is_deterministic_per_frame_and_unbiased():
    grey = np.full((90, 160, 3), 128, np.uint8)
    a, b, c = run("grain", grey, 5, amount=0.5), run("grain", grey, 5, amount=0.5), run("grain", grey, 6, amount=0.5)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert abs(a.astype(float).mean() - 128) < 1.0
    assert a.std() > 5
    assert np.array_equal(a[..., 0], a[..., 1])  # luma grain: same on all channels


def test_rgb_split_shifts_red_left_and_blue_right():
    img = np.zeros((20, 200, 3), np.uint8)
    img[:, 100:] = 255  # a vertical edge at x = 100
    out = run("rgb_split", img, amount=0.5)  # 0.5 * 2 % of 200 px = 2 px
    assert np.flatnonzero(out[10, :, 0])[0] == 98
    assert np.flatnonzero(out[10, :, 1])[0] == 100
    assert np.flatnonzero(out[10, :, 2])[0] == 102


def test_mirror_flips_left_right(astronaut):
    assert np.array_equal(run("mirror", astronaut), astronaut[:, ::-1])
