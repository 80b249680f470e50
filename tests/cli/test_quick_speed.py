"""`studio quick --speed X`: every video clip plays X times as fast and covers its whole source (up
to the preset's longest video); the exported frames show the source frames that speed asks for, and
the clips' own sound is muted outside 0.25x-4x. Speeds outside 0.1-200 are refused in one line."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from numbered_media import read_number, write_numbered
from studio.media.audio import load_audio
from studio.media.timelapse import frame_tolerance
from studio.model import Clip, SoundItem
from studio.quick import build_quick_project, parse_speed


@pytest.fixture(scope="module")
def long_numbered(tmp_path_factory):
    """200 s at 10 fps (2,000 numbered frames, a keyframe every 2 s) with a 440 Hz tone (PCM: quick to make)."""
    return write_numbered(tmp_path_factory.mktemp("speed") / "long.mkv", 2000, fps=10, gop=20, tone_hz=440.0,
                          audio_codec="pcm_s16le")


@pytest.fixture(scope="module")
def short_numbered(tmp_path_factory):
    """0.2 s at 30 fps (6 numbered frames) with a tone."""
    return write_numbered(tmp_path_factory.mktemp("speed") / "short.mp4", 6, fps=30, gop=30, tone_hz=440.0)


def _clips(project) -> list[Clip]:
    return [i for i in project.timeline.all_items() if isinstance(i, Clip)]


def test_a_sped_clip_covers_its_whole_source(long_numbered):
    (clip,) = _clips(build_quick_project([str(long_numbered)], speed=Fraction(120)))
    assert clip.speed == 120 and clip.duration == 50  # 6,000 source frames at 30 fps / 120
    (clip,) = _clips(build_quick_project([str(long_numbered)], speed=Fraction(7, 10)))
    assert clip.duration == 8571 and clip.duration * clip.speed <= 6000
    (clip,) = _clips(build_quick_project([str(long_numbered)]))
    assert clip.speed == 1 and clip.duration == 6000  # without --speed: as before


def test_the_preset_limit_caps_a_slow_clip(long_numbered, short_numbered):
    project = build_quick_project([str(long_numbered), str(short_numbered)], speed=Fraction(1, 10),
                                  max_seconds=180)
    (clip,) = _clips(project)  # the second one is left out: the first already fills 3 minutes
    assert project.duration == 180 * 30 and clip.speed == Fraction(1, 10)


def test_muted_clips_leave_the_sound_at_full_volume(long_numbered, tmp_path, mediagen):
    music = mediagen.write_clip(tmp_path / "music.mp4", size=(64, 48), seconds=1.0)
    for speed, under in ((Fraction(120), 0.0), (Fraction(2), -10.0)):
        project = build_quick_project([str(long_numbered)], sound=str(music), speed=speed)
        (sound,) = [i for i in project.timeline.all_items() if isinstance(i, SoundItem)]
        assert sound.volume_db == under


def test_a_one_frame_source_at_200x(tmp_path):
    src = write_numbered(tmp_path / "brief.mp4", 45, fps=30)  # 1.5 s: less than one frame at 200x
    (clip,) = _clips(build_quick_project([str(src)], speed=Fraction(200)))
    assert clip.duration == 1 and clip.duration * clip.speed <= 45


def test_speed_parsing():
    assert [parse_speed(s) for s in ("120", "0.1", "1/3", "200x", "2.5")] == \
        [120, Fraction(1, 10), Fraction(1, 3), 200, Fraction(5, 2)]
    for bad in ("0.09", "201", "0", "-2", "nan", "inf", "fast", ""):
        with pytest.raises(ValueError, match="^--speed"):
            parse_speed(bad)


@pytest.mark.parametrize("speed", ["0.09", "fast"])
def test_speeds_out_of_range_are_refused(speed, short_numbered, tmp_path, mediagen):
    proc = mediagen.run_studio("quick", short_numbered, "--speed", speed, "-o", tmp_path / "o.mp4")
    lines = mediagen.error_lines(proc.stderr)
    assert proc.returncode == 3 and len(lines) == 1 and lines[0].startswith("studio: error: --speed")
    assert not (tmp_path / "o.mp4").exists()


def _export(mediagen, src, speed: str, out):
    proc = mediagen.run_studio("quick", src, "--speed", speed, "--quality", "draft", "--no-check", "-o", out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return mediagen.decode_frames(out)


def test_timelapse_200x_shows_frames_near_their_times(long_numbered, tmp_path, mediagen):
    frames = _export(mediagen, long_numbered, "200", tmp_path / "fast.mp4")
    assert len(frames) == 30  # 6,000 source frames / 200
    tol = frame_tolerance(200, 30)
    numbers = [read_number(frames[i]) for i in range(len(frames))]
    for i, n in enumerate(numbers):  # timeline frame i shows source time i * 200 / 30 (10 fps source)
        assert abs(n / 10 - i * 200 / 30) <= tol + 0.1 + 1e-6, (i, n)
    assert numbers == sorted(set(numbers))
    sound = load_audio(tmp_path / "fast.mp4")
    assert len(sound) >= 48000 * 0.9 and np.abs(sound).max() < 1e-3  # muted: silent, not garbled


def test_slow_motion_0_1x_repeats_each_frame_ten_times(short_numbered, tmp_path, mediagen):
    frames = _export(mediagen, short_numbered, "0.1", tmp_path / "slow.mp4")
    assert len(frames) == 60  # 6 source frames, each 10 timeline frames
    assert [read_number(frames[i]) for i in range(60)] == [i // 10 for i in range(60)]
    sound = load_audio(tmp_path / "slow.mp4")
    assert len(sound) >= 48000 * 1.9 and np.abs(sound).max() < 1e-3
