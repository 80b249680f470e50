"""Timelapse decoding: `frame_at(t, tolerance=s)` returns a frame within s of t, cheaply (keyframes
decoded alone, no decoding through what a fast clip skips); without a tolerance it stays frame
accurate. Clip audio past the audible speed range is muted and never decoded."""
from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest

from numbered_media import read_number, write_numbered
from studio.media.decode import open_visual
from studio.media.tempo import keeps_sound
from studio.media.timelapse import frame_tolerance
from studio.model import Clip

FPS = 30
FRAMES = 1800  # a minute


@pytest.fixture(scope="module")
def numbered(tmp_path_factory):
    """{gop: path} of a one-minute numbered clip with a keyframe every 1 s and every 250 frames."""
    folder = tmp_path_factory.mktemp("timelapse")
    return {gop: write_numbered(folder / f"n{gop}.mp4", FRAMES, fps=FPS, size=(96, 128), gop=gop)
            for gop in (30, 250)}


def _timelapse(reader, speed: int, tolerance: float | None = None) -> list[tuple[float, int]]:
    """(target time, frame number shown) for each timeline frame of a clip at `speed` (30 fps)."""
    tol = frame_tolerance(speed, FPS) if tolerance is None else tolerance
    out = []
    for k in range(int(FRAMES / speed)):
        t = Fraction(k * speed, FPS)
        out.append((float(t), read_number(reader.frame_at(t, "rgb24", tolerance=tol))))
    return out


@pytest.mark.parametrize("gop", [30, 250])
def test_no_tolerance_is_frame_accurate(numbered, gop):
    rng = random.Random(gop)
    wanted = [0, 1, 29, 30, 31, 249, 250, 251, FRAMES - 1] + [rng.randrange(FRAMES) for _ in range(40)]
    with open_visual(numbered[gop]) as reader:
        for i in wanted:
            assert read_number(reader.frame_at(Fraction(i, FPS))) == i
        assert read_number(reader.frame_at(FRAMES / FPS + 3)) == FRAMES - 1  # past the end: the last frame
        assert [read_number(reader.frame_at(Fraction(i, FPS), tolerance=0)) for i in range(100, 140)] == \
            list(range(100, 140))


@pytest.mark.parametrize("gop", [30, 250])
@pytest.mark.parametrize("speed", [8, 12, 60, 200])
def test_frames_lie_within_the_tolerance(numbered, gop, speed):
    tol = frame_tolerance(speed, FPS)
    with open_visual(numbered[gop]) as reader:
        shown = _timelapse(reader, speed)
    for t, n in shown:
        assert abs(n / FPS - t) <= tol + 1e-6, (t, n)
    numbers = [n for _, n in shown]
    assert numbers == sorted(set(numbers))  # forward, and never the same frame twice


def test_a_timelapse_decodes_a_fraction_of_the_source(numbered):
    """60x over a clip with a keyframe a second: one decoded frame per timeline frame; decoding
    exactly would go through half a GOP for each."""
    with open_visual(numbered[30]) as reader:
        _timelapse(reader, 60)
        near = reader.decoded
    with open_visual(numbered[30]) as reader:
        exact = _timelapse(reader, 60, tolerance=0.0)
        assert [n for _, n in exact] == [round(t * FPS) for t, _ in exact]
        frame_accurate = reader.decoded
    assert near < FRAMES / 5 and near <= FRAMES / 60 + 2, near
    assert near < frame_accurate / 3, (near, frame_accurate)


def test_long_gop_timelapse_still_skips(numbered):
    """A keyframe every 250 frames, 200x: some windows hold no keyframe and are decoded forward from
    the one before, but most of the source is never decoded."""
    with open_visual(numbered[250]) as reader:
        _timelapse(reader, 200)
        assert reader.decoded < FRAMES / 5, reader.decoded


def test_tolerance_and_exact_calls_mix(numbered):
    """The keyframe look-ups use their own demuxer: exact answers after near ones stay exact."""
    rng = random.Random(7)
    with open_visual(numbered[250]) as reader:
        for _ in range(150):
            i = rng.randrange(FRAMES)
            tol = rng.choice([0.0, 0.0, 0.2, 1.0, 4.0])
            n = read_number(reader.frame_at(Fraction(i, FPS), tolerance=tol))
            assert abs(n - i) <= tol * FPS + 1e-6 if tol else n == i, (i, tol, n)


def test_repeated_requests_are_stable_and_cached(numbered):
    with open_visual(numbered[30]) as reader:
        first = reader.frame_at(33.5, tolerance=2.0)
        cost = reader.decoded
        again = reader.frame_at(33.5, tolerance=2.0)
        assert again is first and reader.decoded == cost


def test_still_images_take_a_tolerance(tmp_path, mediagen):
    png = mediagen.write_png(tmp_path / "s.png", mediagen.solid(20, 10, (9, 8, 7)))
    with open_visual(png) as reader:
        assert reader.frame_at(5.0, "rgb24", tolerance=2.0)[0, 0].tolist() == [9, 8, 7]


def test_the_compositor_rule():
    assert frame_tolerance(1, 30) == 0 and frame_tolerance(Fraction(15, 2), 30) == 0
    assert frame_tolerance(8, 30) == pytest.approx(8 / 30 / 2)
    assert frame_tolerance(Fraction(120), Fraction(30)) == pytest.approx(2.0)
    assert frame_tolerance(200, Fraction(30000, 1001)) == pytest.approx(200 * 1001 / 30000 / 2)


# ------------------------------------------------------------------ sound at extreme speeds

def test_audible_speed_range():
    assert [keeps_sound(s) for s in (Fraction(1, 10), Fraction(24, 100), Fraction(1, 4), 1, 2, 4)] == \
        [False, False, True, True, True, True]
    assert not keeps_sound(Fraction(41, 10)) and not keeps_sound(120) and not keeps_sound(200)


@pytest.mark.parametrize("speed, heard", [(Fraction(1, 10), False), (Fraction(1, 4), True), (Fraction(3), True),
                                          (Fraction(5), False), (Fraction(200), False)])
def test_clip_audio_at_speed(tmp_path, mediagen, monkeypatch, speed, heard):
    from studio.render import soundtrack

    src = mediagen.write_clip(tmp_path / "tone.mp4", size=(64, 48), seconds=1.0)
    loads = []
    real_load = soundtrack.load_audio
    monkeypatch.setattr(soundtrack, "load_audio", lambda *a, **k: loads.append(k) or real_load(*a, **k))
    frames = max(1, int(30 / speed))
    clip = Clip("c", str(src), 0, frames, speed=speed, source_frames=30)
    placed = soundtrack.clip_audio(clip, Fraction(30), {}, 0, soundtrack.samples_for(frames, Fraction(30)))
    if heard:
        assert placed is not None and len(placed.samples) == soundtrack.samples_for(frames, Fraction(30))
        assert np.abs(placed.samples[:1000]).max() > 0.1  # the tone, not silence
    else:
        assert placed is None and loads == []  # muted: the source's sound is never decoded
