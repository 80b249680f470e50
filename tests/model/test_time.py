"""Exact time helpers and the platform metadata helpers."""
from __future__ import annotations

from fractions import Fraction

import pytest

from studio.model import Metadata, as_fraction, frames_to_seconds, seconds_to_frames, timecode

NTSC = Fraction(30000, 1001)


@pytest.mark.parametrize("seconds, fps, frames", [
    (0, 30, 0),
    (1, 30, 30),
    (Fraction(1, 60), 30, 1),        # exactly half a frame rounds up
    (Fraction(1, 61), 30, 0),        # just under half a frame rounds down
    (Fraction(2, 60) - Fraction(1, 10**9), 30, 1),
    (0.1, 30, 3),                    # 0.1 is read as the decimal a person typed, not 0.1000000000000000055
    (Fraction(5, 60), 30, 3),        # 2.5 frames: half-up, where round() would give 2
    (0.15, 30, 5),                   # 4.5 frames from a typed float: half-up, not banker's 4
    (0.05, 30, 2),                   # 1.5 frames
    (Fraction(1001, 30000), NTSC, 1),
    (60, NTSC, 1798),                # 1798.2
    (Fraction(1001, 60000), NTSC, 1),
    (10, 24, 240),
    (-0.5 / 30, 30, 0),
])
def test_seconds_to_frames_rounds_half_up(seconds, fps, frames):
    assert seconds_to_frames(seconds, Fraction(fps)) == frames


def test_frames_to_seconds_is_exact_and_round_trips():
    assert frames_to_seconds(1, NTSC) == Fraction(1001, 30000)
    assert frames_to_seconds(30, Fraction(30)) == 1
    for f in range(0, 100_000, 997):
        assert seconds_to_frames(frames_to_seconds(f, NTSC), NTSC) == f
        assert seconds_to_frames(float(frames_to_seconds(f, NTSC)), NTSC) == f


@pytest.mark.parametrize("frames, fps, text", [
    (0, 30, "00:00.00"),
    (29, 30, "00:00.29"),
    (30, 30, "00:01.00"),
    (95, 30, "00:03.05"),
    (60 * 30 * 2 + 15, 30, "02:00.15"),
    (100 * 60 * 30, 30, "100:00.00"),
    (1800, NTSC, "01:00.00"),        # non-drop-frame: 30 frame numbers per second at 29.97
    (47, Fraction(24000, 1001), "00:01.23"),
    (49, 25, "00:01.24"),
    (-1, 30, "-00:00.01"),
])
def test_timecode(frames, fps, text):
    assert timecode(frames, Fraction(fps)) == text


@pytest.mark.parametrize("value, expected", [
    (30, Fraction(30)),
    ("30000/1001", NTSC),
    (29.97, NTSC),
    (23.976, Fraction(24000, 1001)),
    (59.94, Fraction(60000, 1001)),
    (25.0, Fraction(25)),
    (1.5, Fraction(3, 2)),
    (0.5, Fraction(1, 2)),
    (1 / 3, Fraction(1, 3)),
    (NTSC, NTSC),
    ("3/2", Fraction(3, 2)),
    (12.5, Fraction(25, 2)),
])
def test_as_fraction(value, expected):
    assert as_fraction(value) == expected


def test_all_hashtags_dedups_case_insensitively_in_order():
    m = Metadata(caption="Day one at the beach #Travel! #sun, #fun #FUN ## #",
                 hashtags=("fun", "#travel", "Shorts", "#shorts", "", "#"))
    assert m.all_hashtags() == ["Travel", "sun", "fun", "Shorts"]  # caption order first, like full_caption
    assert Metadata().all_hashtags() == []
    assert Metadata(caption="#été #Été #日本").all_hashtags() == ["été", "日本"]


def test_full_caption_appends_only_missing_tags_once():
    m = Metadata(caption="  Day one #Travel! ", hashtags=("travel", "#shorts", "Shorts", "fyp", "", "#"))
    assert m.full_caption() == "Day one #Travel! #shorts #fyp"
    assert Metadata(hashtags=("a", "b")).full_caption() == "#a #b"
    assert Metadata(caption="just words").full_caption() == "just words"
    assert Metadata().full_caption() == ""
    # every tag of the full caption is found again, with no repeats
    assert Metadata(caption=m.full_caption()).all_hashtags() == ["Travel", "shorts", "fyp"]
