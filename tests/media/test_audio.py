import numpy as np
import pytest

from studio.media import AudioPlacement, MediaError, change_speed, fade, load_audio, mix
from media_files import write_wav


def peak_hz(samples, rate=48000):
    spec = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spec)]


def sine(hz, seconds, rate=48000, amp=0.5):
    t = np.arange(int(round(seconds * rate))) / rate
    return (amp * np.sin(2 * np.pi * hz * t)).astype(np.float32)


@pytest.fixture
def mono_441(tmp_path):
    return write_wav(tmp_path / "tone.wav", sine(1000, 1.5, 44100), 44100)


def test_load_mono_44k_as_48k_stereo(mono_441):
    audio = load_audio(mono_441)
    assert audio.dtype == np.float32 and audio.shape == (72000, 2)
    assert np.array_equal(audio[:, 0], audio[:, 1])  # duplicated, not -3 dB panned
    assert peak_hz(audio[:, 0]) == pytest.approx(1000, abs=2)
    assert np.abs(audio).max() == pytest.approx(0.5, abs=0.01)


def test_load_window_is_sample_exact(mono_441):
    part = load_audio(mono_441, rate=48000, start=0.5, duration=0.25)
    assert part.shape == (12000, 2)
    full = load_audio(mono_441)
    # Same phase as the full decode at 0.5 s: the window starts where it should.
    assert np.abs(part[100:11900, 0] - full[24100:35900, 0]).max() < 0.01
    tail = load_audio(mono_441, start=1.4, duration=0.5)  # runs past the end: zero padded
    assert tail.shape == (24000, 2) and np.abs(tail[6000:]).max() == 0


def test_load_from_video_aac(av_mp4):
    audio = load_audio(av_mp4, rate=44100)
    assert abs(len(audio) - 44100) < 1500
    assert peak_hz(audio[:, 1], 44100) == pytest.approx(440, abs=3)


def test_no_audio_stream(numbered_mp4):
    with pytest.raises(MediaError, match=r"^numbered.mp4: no audio stream$"):
        load_audio(numbered_mp4)


@pytest.mark.parametrize("speed", [2.0, 0.5, 1.5, 3.0, 0.3])
def test_change_speed_keeps_pitch(speed):
    tone = np.repeat(sine(800, 1.0)[:, None], 2, axis=1)
    out = change_speed(tone, speed)
    assert out.shape == (int(round(48000 / speed)), 2) and out.dtype == np.float32
    mid = out[len(out) // 4: 3 * len(out) // 4, 0]
    assert peak_hz(mid) == pytest.approx(800, abs=8)
    assert np.sqrt(np.mean(mid ** 2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.15)


def test_fade_ramps():
    ones = np.ones((48000, 2), np.float32)
    out = fade(ones, 0.1, 0.2, 48000)
    assert out[0, 0] == 0 and out[2400, 0] == pytest.approx(0.5, abs=0.01)
    assert out[10000, 1] == 1 and out[-1, 0] == 0 and out[-4800, 0] == pytest.approx(0.5, abs=0.01)
    eq = fade(ones, 0.1, 0, 48000, curve="equal_power")
    assert eq[2400, 0] == pytest.approx(np.sqrt(0.5), abs=0.01)
    assert np.array_equal(ones, np.ones((48000, 2)))  # input untouched


def test_mix_places_gains_and_clips():
    tone = np.repeat(sine(500, 1.0, amp=0.25)[:, None], 2, axis=1)
    out = mix([AudioPlacement(tone, start=24000, gain_db=-6.0, role="clip"),
               AudioPlacement(tone, start=-24000, role="clip")], total_samples=60000)
    assert out.shape == (60000, 2) and out.dtype == np.float32
    first = out[:24000, 0]
    assert np.abs(first - tone[24000:, 0]).max() < 1e-6  # the head of the second was dropped
    assert np.abs(out[30000:48000, 0] - tone[6000:24000, 0] * 10 ** (-6 / 20)).max() < 1e-6
    assert np.abs(out[48000:, 0] - tone[24000:36000, 0] * 10 ** (-6 / 20)).max() < 1e-6


def test_mix_ducks_music_under_voiceover():
    rate = 48000
    music = np.repeat(sine(220, 6.0, amp=0.3)[:, None], 2, axis=1)
    voice = np.zeros((6 * rate, 2), np.float32)
    words = sine(1200, 2.0, amp=0.4)
    voice[2 * rate:4 * rate] = words[:, None]
    out = mix([AudioPlacement(music, 0, role="sound"), AudioPlacement(voice, 0, role="voiceover")],
              6 * rate, rate, duck_db=-8.0)
    music_only = out - voice

    def level_db(a, b):
        seg = music_only[int(a * rate):int(b * rate), 0]
        return 20 * np.log10(np.sqrt(np.mean(seg ** 2)) / (0.3 / np.sqrt(2)))

    assert level_db(0.2, 1.2) == pytest.approx(0, abs=0.3)  # before the voice: untouched
    assert level_db(2.5, 3.5) == pytest.approx(-8, abs=0.5)  # under the voice: ducked
    assert level_db(5.0, 6.0) == pytest.approx(0, abs=0.3)  # recovered
    # Smooth: no gain step larger than a small fraction of the duck per 10 ms.
    env = np.abs(music_only[:, 0]).reshape(-1, 480).max(axis=1)
    assert np.abs(np.diff(env[150:450])).max() < 0.3 * 0.15


def test_mix_role_clip_is_not_ducked():
    rate = 48000
    clip = np.repeat(sine(220, 2.0, amp=0.3)[:, None], 2, axis=1)
    voice = np.repeat(sine(1200, 2.0, amp=0.4)[:, None], 2, axis=1)
    out = mix([AudioPlacement(clip, 0, role="clip"), AudioPlacement(voice, 0, role="voiceover")], 2 * rate)
    assert np.abs(out - clip - voice).max() < 1e-6
