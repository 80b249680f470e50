"""Recording to a sound: what the creator hears follows the take's clock (pause stops it, resume
continues it, deleting a segment rewinds it, 2x recording plays it at half speed), and the finished
take carries the sound from the chosen start so that picture and sound stay within one frame.

The "performer" camera below draws, in every picture, where in the sound the creator is hearing it
at that instant (as the backing player computes it): a creator who moves exactly on the sound. The
take's pictures then tell where the sound was heard; the exported take's audio tells where it is
placed. They must agree."""
from __future__ import annotations

import time
from fractions import Fraction

import av
import numpy as np
import pytest

from studio.capture import CaptureSession, TakeSettings
from studio.capture.backing import (BackingTrack, SoundChoice, parse_sound_spec, resolve_sound, sound_position)
from studio.capture.errors import CaptureError
from studio.capture.recorder import Recorder
from studio.capture.sources import CameraSource

RATE = 48000
FRAME = 1 / 30
COARSE, FINE = 8.0, 0.25  # seconds of sound per grey ramp: left half coarse, right half fine


def _write_audio(path, signal: np.ndarray, codec: str) -> None:
    with av.open(str(path), "w") as c:
        s = c.add_stream(codec, rate=RATE, layout="stereo")
        pcm = np.ascontiguousarray(np.stack([signal, signal]).astype(np.float32))
        fmt = "fltp" if codec == "aac" else "flt"
        for i in range(0, pcm.shape[1], 1024):
            block = pcm[:, i:i + 1024] if fmt == "fltp" else np.ascontiguousarray(pcm[:, i:i + 1024].T).reshape(1, -1)
            f = av.AudioFrame.from_ndarray(block, format=fmt, layout="stereo")
            f.sample_rate, f.pts, f.time_base = RATE, i, Fraction(1, RATE)
            for p in s.encode(f):
                c.mux(p)
        for p in s.encode():
            c.mux(p)


@pytest.fixture(scope="module")
def music(tmp_path_factory):
    """12 s of 'music' whose every stretch is unlike any other: a chirp with clicks on the beat."""
    t = np.arange(12 * RATE) / RATE
    sig = 0.25 * np.sin(2 * np.pi * (180 * t + 35 * t * t))
    sig[(np.arange(len(t)) % (RATE // 2)) < 240] += 0.5
    path = tmp_path_factory.mktemp("sounds") / "music.m4a"
    _write_audio(path, sig, "aac")
    return path, sig


@pytest.fixture(scope="module")
def ramp(tmp_path_factory):
    """A sound whose sample value is its own time / 10 (lossless): what is played says where."""
    t = (np.arange(10 * RATE) / RATE).astype(np.float32)
    path = tmp_path_factory.mktemp("sounds") / "ramp.wav"
    _write_audio(path, t / 10, "pcm_f32le")
    return path


class PerformerCamera(CameraSource):
    """30 fps pictures that show where in the sound the creator hears it right now."""

    name = "performer"
    size = (64, 32)

    def __init__(self, start: float):
        super().__init__()
        self.sound_start = start
        self.take = None

    def _run(self) -> str:
        due = time.monotonic()
        while not self._stop.is_set():
            due += FRAME
            time.sleep(max(0.0, due - time.monotonic()))
            t = time.monotonic()
            pos = None if self.take is None else sound_position(self.take.recorder, self.sound_start, t)
            rgb = np.zeros((32, 64, 3), np.uint8)
            if pos is not None:
                rgb[:, :32] = 16 + 219 * (pos % COARSE) / COARSE
                rgb[:, 32:] = 16 + 219 * (pos % FINE) / FINE
            self._deliver(rgb, t)
        return "stopped"


def _heard_positions(path) -> np.ndarray:
    """Per picture of the take: where in the sound the creator was hearing it."""
    out = []
    with av.open(str(path)) as c:
        for f in c.decode(video=0):
            y = f.to_ndarray(format="gray")
            coarse = (y[8:24, 8:24].mean() - 16) / 219 * COARSE
            fine = (y[8:24, 40:56].mean() - 16) / 219 * FINE
            out.append(round((coarse - fine) / FINE) * FINE + fine)
    return np.array(out)


def _exported_audio(project_path, out):
    from studio.model import load_project
    from studio.render.export import ExportOptions, export_project

    export_project(load_project(project_path), out, ExportOptions(quality="draft", preflight=False, cover=False))
    with av.open(str(out)) as c:
        return np.concatenate([f.to_ndarray().reshape(-1, 2)[:, 0] if f.format.is_packed else f.to_ndarray()[0]
                               for f in c.decode(audio=0)])


def _lag_seconds(recorded: np.ndarray, source: np.ndarray, start: float) -> tuple[float, float]:
    """Where in `source` the recorded audio best matches, relative to `start` (seconds), and how
    well (normalised correlation)."""
    n = min(len(recorded), int(1.5 * RATE))
    a = recorded[int(0.1 * RATE):n]
    best, best_score = 0.0, -1.0
    for lag in range(-int(0.2 * RATE), int(0.2 * RATE), 48):  # 1 ms steps, +-200 ms
        i = int((start + 0.1) * RATE) + lag
        b = source[i:i + len(a)]
        score = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))
        if score > best_score:
            best, best_score = lag / RATE, score
    return best, best_score


def _record(tmp_path, music_path, start, speed, script):
    choice = SoundChoice(str(music_path), start)
    sound = resolve_sound(choice)
    camera = PerformerCamera(sound.start)
    with CaptureSession(camera) as session:
        take = session.begin_take(tmp_path / "take.mp4", TakeSettings(countdown=1, max_seconds=None, speed=speed,
                                                                     sound=sound))
        camera.take = take
        script(take)
        result = take.finish()
    return result


def _wait_active(take, seconds):
    while take.recorder.recorded_active() < seconds:
        time.sleep(0.01)


@pytest.mark.parametrize("speed", [1.0, 2.0])
def test_take_recorded_to_a_sound_is_in_sync_with_it(music, tmp_path, speed):
    path, signal = music
    start = 1.5

    def script(take):
        while take.state.value == "countdown":
            time.sleep(0.01)
        _wait_active(take, 2.0 * speed)
        take.stop()

    result = _record(tmp_path, path, start, speed, script)
    f = result.finalised
    assert f is not None and f.project is not None
    heard = _heard_positions(f.path)
    # picture k plays at k/30 s of the take: the creator heard the sound at start + k/30 then
    expected = start + np.arange(len(heard)) * FRAME
    assert len(heard) >= 55
    worst = np.abs(heard[2:] - expected[2:]).max()
    assert worst <= FRAME, np.abs(heard - expected).max()
    # and the exported take plays the sound from the same start (within one frame)
    lag, score = _lag_seconds(_exported_audio(f.project, tmp_path / "out.mp4"), signal, start)
    print(f"speed {speed}: picture vs heard sound worst {worst * 1000:.1f} ms; audio lag {lag * 1000:.1f} ms "
          f"(correlation {score:.3f})")
    assert score > 0.8 and abs(lag) <= FRAME, (lag, score)


def test_a_paused_take_with_a_deleted_segment_continues_and_rewinds_the_sound(music, tmp_path):
    path, signal = music
    start = 3.0

    def script(take):
        while take.state.value == "countdown":
            time.sleep(0.01)
        _wait_active(take, 1.0)
        take.pause()
        time.sleep(0.4)  # silence while paused: the sound waits
        take.resume()
        _wait_active(take, 1.8)
        take.pause()
        assert take.delete_last_segment() is not None  # 0.8 s dropped: the sound rewinds to 1.0 s in
        assert sound_position(take.recorder, start, time.monotonic()) is None
        take.resume()
        _wait_active(take, 2.6)
        take.stop()

    result = _record(tmp_path, path, start, 1.0, script)
    f = result.finalised
    heard = _heard_positions(f.path)
    expected = start + np.arange(len(heard)) * FRAME
    assert 2.3 <= f.duration <= 2.9 and f.segments == 2
    worst = np.abs(heard[2:] - expected[2:]).max()
    assert worst <= FRAME, np.abs(heard - expected).max()
    lag, score = _lag_seconds(_exported_audio(f.project, tmp_path / "out.mp4"), signal, start)
    print(f"pause + deleted segment: picture vs heard sound worst {worst * 1000:.1f} ms; audio lag "
          f"{lag * 1000:.1f} ms (correlation {score:.3f})")
    assert score > 0.8 and abs(lag) <= FRAME, (lag, score)


def test_what_is_played_follows_the_take_clock(ramp):
    sound = resolve_sound(SoundChoice(str(ramp), 2.0))
    clock = [0.0]
    rec = Recorder(countdown=3, max_seconds=None, speed=2.0, clock=lambda: clock[0])
    track = BackingTrack(sound, speed=2.0)

    def heard(at):
        block = track.render(rec, at, 480)  # 10 ms
        return block[:, 0] * 10  # the ramp's value is its own time / 10

    rec.start(0.0)
    assert not heard(1.0).any()  # the countdown: silent until its last second
    lead = heard(2.5)  # 0.5 s before recording, at half speed: 0.25 s before the start
    assert lead[0] == pytest.approx(2.0 - 0.25, abs=1e-3)
    rec.tick(3.0)
    assert not heard(3.01).any()  # recording, but the first picture is not there yet: silent
    rec.frame_position(3.02)  # the take (and the sound) starts with its first picture
    played = heard(4.02)  # 1 s into recording at 2x: 0.5 s into the sound
    assert played[0] == pytest.approx(2.5, abs=1e-3)
    assert played[-1] - played[0] == pytest.approx(479 / 48000 / 2, abs=1e-4)  # half speed
    rec.pause(5.0)
    assert not heard(5.5).any()  # paused: silent
    rec.resume(6.0)
    assert sound_position(rec, 2.0, 6.02) == pytest.approx(2.0 + 1.98 / 2)  # holds for the first picture
    rec.frame_position(6.03)
    assert heard(6.53)[0] == pytest.approx(2.0 + (1.98 + 0.5) / 2, abs=1e-3)  # continues where it stopped
    rec.pause(7.0)
    rec.delete_last_segment()
    rec.resume(8.0)
    rec.frame_position(8.0)
    assert heard(8.0)[0] == pytest.approx(2.0 + 1.98 / 2, abs=1e-3)  # rewound to the kept 1.98 s


def test_sound_specs_and_bad_sounds(tmp_path, ramp):
    assert parse_sound_spec("sunny-pop@12") == SoundChoice("sunny-pop", 12.0)
    assert parse_sound_spec("clip.mp4@0:05.5") == SoundChoice("clip.mp4", 5.5)
    assert parse_sound_spec("me@home.m4a") == SoundChoice("me@home.m4a", 0.0)
    assert parse_sound_spec("x.m4a@0.01").start == pytest.approx(0.0)  # on the 30 fps grid
    with pytest.raises(CaptureError, match="only 10.0 s long"):
        resolve_sound(SoundChoice(str(ramp), 11.0))
    with pytest.raises(CaptureError, match="no-such-sound"):
        resolve_sound(SoundChoice("no-such-sound"))
    empty = tmp_path / "empty.m4a"
    empty.write_bytes(b"")
    with pytest.raises(CaptureError, match="empty.m4a"):
        resolve_sound(SoundChoice(str(empty)))
    assert resolve_sound(SoundChoice("sunny-pop", 1.0)).source == "sunny-pop"


def test_a_videos_sound_is_credited_as_original_sound(tmp_path):
    from studio.model import Project, SoundItem, Timeline, Track
    from studio.render.soundtrack import sound_credits

    items = (SoundItem("a", str(tmp_path / "dance.mp4"), 0, 30, loop=False),
             SoundItem("b", str(tmp_path / "beat.m4a"), 30, 30, loop=False))
    muted = Track("audio", (SoundItem("c", str(tmp_path / "take.mp4"), 0, 30),), muted=True)
    credits = sound_credits(Project(timeline=Timeline((Track("audio", items), muted))))
    assert [c.title for c in credits] == ["original sound - dance", "beat"]  # a muted track is not credited
