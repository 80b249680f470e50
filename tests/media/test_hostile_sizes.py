"""Hostile sizes: huge still images are refused with one-line errors from their header (still clips,
background images), and a long sound under a short item is decoded only as far as the item needs.
The hostile files are generated here."""
from __future__ import annotations

import wave
from fractions import Fraction

import numpy as np
import pytest

from studio.media import MediaError
from studio.media.decode import StillReader
from studio.media.probe import MediaInfo






def _still_info(path, w, h) -> MediaInfo:
    # what probe reports for a still; built by hand so that only the reader is under test
    return MediaInfo(path, "image", 0.0, w, h, None, 0, True, False, False, video_codec="png", pix_fmt="1")


# -- still images --------------------------------------------------------------------------------


def test_decompression_bomb_still_is_a_media_error(tmp_path, mediagen):
    bomb = mediagen.blank_png(tmp_path / "bomb.png", 20000, 20000)
    with pytest.raises(MediaError) as err:
        StillReader(_still_info(bomb, 20000, 20000))
    msg = str(err.value)
    assert msg.startswith("bomb.png: ") and "\n" not in msg and "400 megapixels" in msg, msg


def test_oversized_still_is_refused_from_its_header(tmp_path, mediagen):
    big = mediagen.blank_png(tmp_path / "big.png", 12000, 12000)
    with pytest.raises(MediaError) as err:
        StillReader(_still_info(big, 12000, 12000))
    msg = str(err.value)
    assert msg.startswith("big.png: ") and "12000x12000" in msg and "8192" in msg and "40 megapixels" in msg, msg


def test_still_within_the_limits_decodes_with_bounded_memory(tmp_path, mediagen):
    from PIL import Image

    path = tmp_path / "large.png"
    img = np.zeros((6000, 6000), np.uint8)
    img[:3000] = 255
    Image.fromarray(img).convert("1").save(path)  # 36 megapixels, under the limit
    peak, out = mediagen.peak_rss_mb(f"""
        from studio.media import open_visual
        with open_visual({str(path)!r}) as reader:
            rgb = reader.frame_at(0)
            print("FRAME", rgb.shape, rgb[10, 10].tolist(), rgb[5990, 10].tolist())
    """)
    assert "FRAME (6000, 6000, 3) [255, 255, 255] [0, 0, 0]" in out, out
    assert peak < 600, f"a 36-megapixel still peaked at {peak:.0f} MB"


def test_oversized_background_image_is_an_effect_error(tmp_path, mediagen):
    from studio.effects.background import _read_image
    from studio.effects.errors import EffectError

    big = mediagen.blank_png(tmp_path / "bg.png", 12000, 12000)
    with pytest.raises(EffectError) as err:
        _read_image(str(big), 1080, 1920)
    msg = str(err.value)
    assert "bg.png" in msg and "12000x12000" in msg and "\n" not in msg, msg


def test_background_image_is_decoded_no_larger_than_needed(tmp_path):
    from PIL import Image

    from studio.effects.background import _cover, _read_image

    path = tmp_path / "bg.png"
    img = np.zeros((4000, 3000, 3), np.uint8)
    img[:, :1500] = (250, 10, 10)
    img[:, 1500:] = (10, 10, 250)
    Image.fromarray(img).save(path)
    loaded = _read_image(str(path), 540, 960)
    assert loaded.shape[0] >= 960 and loaded.shape[1] >= 540 and loaded.shape[0] < 1100
    covered = _cover(loaded, 540, 960)
    assert covered.shape == (960, 540, 3)
    assert tuple(covered[480, 100]) == (250, 10, 10) and tuple(covered[480, 440]) == (10, 10, 250)


# -- sounds --------------------------------------------------------------------------------------


def write_wav(path, samples: np.ndarray, rate: int):
    """16-bit mono WAV of float samples in -1..1."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def test_long_looping_sound_under_a_short_item_decodes_only_what_it_needs(tmp_path, mediagen):
    path = tmp_path / "half_hour.wav"
    with wave.open(str(path), "wb") as w:  # 30 minutes of silence, 8 kHz 8-bit mono: 14 MB
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(bytes([128]) * (8000 * 1800))
    peak, out = mediagen.peak_rss_mb(f"""
        from fractions import Fraction
        from studio.model import Project, SoundItem, Timeline, Track
        from studio.render.soundtrack import build_soundtrack
        for source_in in (0, 30 * 600):  # from the start, and from 10 minutes in
            item = SoundItem("s1", {str(path)!r}, 0, 60, source_in=source_in, loop=True)
            project = Project(name="short", fps=Fraction(30), timeline=Timeline((Track("audio", (item,)),)))
            print("SAMPLES", build_soundtrack(project).samples.shape)
    """)
    assert out.count("SAMPLES (96000, 2)") == 2, out
    assert peak < 400, f"a 2 s loop of a 30-minute sound peaked at {peak:.0f} MB"


def _tone(seconds: float, rate: int) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (0.5 * np.sin(2 * np.pi * 440 * t) * (1 + t / seconds) / 2).astype(np.float32)  # rising: no two periods alike


@pytest.mark.parametrize("seconds, source_in, frames", [
    (0.7, 0, 75),      # short sound, several loops
    (0.7, 12, 75),     # starting inside the sound
    (0.7, 50, 40),     # starting past its end: wraps
    (3.0, 60, 60),     # long sound, item wraps once near the end
    (3.0, 15, 30),     # long sound, no wrap at all
    (3.0, 100, 30),    # long sound, starting past its end, no wrap after that
    (3.0, 170, 30),    # long sound, starting past its end, then wrapping
])
def test_looping_sound_plays_the_file_round_and_round(tmp_path, seconds, source_in, frames):
    from studio.media.audio import load_audio
    from studio.model import SoundItem
    from studio.render.soundtrack import RATE, _sound_audio

    path = write_wav(tmp_path / "tone.wav", _tone(seconds, RATE), RATE)
    whole = load_audio(path, RATE)
    total = frames * RATE // 30
    offset = round(source_in / 30 * RATE) % len(whole)
    expected = np.tile(whole, (-(-(offset + total) // len(whole)), 1))[offset:offset + total]
    got = _sound_audio(SoundItem("s1", str(path), 0, frames, source_in=source_in, loop=True), path, Fraction(30), total)
    assert got.shape == (total, 2)
    assert np.abs(got - expected).max() < 1e-4
