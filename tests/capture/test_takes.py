"""Takes recorded from a file camera (real time): which source frames land, lengths, segments,
speed, sound sync, a camera that stops, an output that cannot be written."""
from __future__ import annotations

import time

import numpy as np
import pytest

from capture_media import FPS, beep_onsets, make_numbered_clip, read_numbers, video_info
from studio.capture import (CaptureError, CaptureSession, FileCamera, State, TakeSettings, find_unfinished)
from studio.capture.sources import CameraSource
from studio.capture.writer import TakeWriter
from studio.model import load_project


def steps(numbers: list[int]) -> list[int]:
    return [b - a for a, b in zip(numbers, numbers[1:])]


def test_countdown_is_not_in_the_take_max_gives_exact_length_and_sound_stays_in_sync(numbered_clip_with_sound, tmp_path):
    events = []
    with CaptureSession(FileCamera(numbered_clip_with_sound, loop=False)) as s:
        take = s.begin_take(tmp_path / "take.mp4", TakeSettings(countdown=1, max_seconds=5),
                            lambda ev, r: events.append((ev, r.countdown_remaining)))
        assert take.wait(15)
        result = take.finish()
    assert result.reason == "max length" and result.dropped_frames == 0
    assert [c for ev, c in events if ev == "countdown"] == [1]
    numbers = read_numbers(result.output)
    frames, duration, has_audio = video_info(result.output)
    assert abs(numbers[0] - 1 * FPS) <= 2  # the source frame at the countdown's end
    assert frames == 150 and duration == pytest.approx(5.0, abs=1 / FPS)
    assert set(steps(numbers)) == {1}  # every camera frame once, in order
    assert has_audio and result.finalised.has_audio
    # beeps start on every whole second of the source: the picture shown then is frame 30*k
    onsets = [t for t in beep_onsets(result.output) if t > 0.2]
    assert len(onsets) >= 4
    for t in onsets:
        shown = numbers[min(len(numbers) - 1, int(t * FPS))]
        assert abs(shown - FPS * round(shown / FPS)) <= 2, (t, shown)
    assert not result.output.with_name("take.mp4.recording.mkv").exists()


def test_pause_resume_segments_join_without_gap_or_repeat(numbered_clip, tmp_path):
    with CaptureSession(FileCamera(numbered_clip, loop=False)) as s:
        take = s.begin_take(tmp_path / "seg.mp4", TakeSettings(countdown=0, max_seconds=None))
        time.sleep(1.0)
        take.pause()
        assert take.state == State.PAUSED
        time.sleep(0.5)
        take.resume()
        time.sleep(1.0)
        result = take.finish()
    numbers = read_numbers(result.output)
    d = steps(numbers)
    jumps = [x for x in d if x != 1]
    assert len(jumps) == 1 and abs(jumps[0] - 16) <= 4  # the 0.5 s pause, skipped once
    assert min(d) >= 1  # no repeated frame anywhere, in particular not at the join
    assert abs(len(numbers) - 60) <= 3
    assert result.finalised.segments == 2
    assert video_info(result.output)[1] == pytest.approx(len(numbers) / FPS, abs=0.01)


def test_speed_2x_halves_the_duration_and_keeps_the_sound_as_long_as_the_picture(numbered_clip_with_sound, tmp_path):
    with CaptureSession(FileCamera(numbered_clip_with_sound, loop=False)) as s:
        take = s.begin_take(tmp_path / "fast.mp4", TakeSettings(countdown=0, max_seconds=1.0, speed=2.0))
        assert take.wait(10)
        started = take.recorder.segments[0].t_start
        stopped = started + take.recorder.segments[0].length()
        result = take.finish()
    assert stopped - started == pytest.approx(2.0)  # 2 s of camera...
    numbers = read_numbers(result.output)
    assert len(numbers) == 30  # ...make a 1 s take
    assert set(steps(numbers)) == {2}  # fast motion: every other camera frame
    import av

    with av.open(str(result.output)) as c:
        a = c.streams.audio[0]
        audio_seconds = sum(f.samples for f in c.decode(a)) / a.rate
    assert audio_seconds == pytest.approx(1.0, abs=0.05)


def test_delete_last_segment(numbered_clip, tmp_path):
    with CaptureSession(FileCamera(numbered_clip, loop=False)) as s:
        take = s.begin_take(tmp_path / "del.mp4", TakeSettings(countdown=0, max_seconds=None))
        time.sleep(0.7)
        take.pause()
        first_end = s.camera.frames_delivered
        take.resume()
        time.sleep(0.7)
        take.pause()
        deleted_until = s.camera.frames_delivered
        assert take.delete_last_segment() is not None
        take.resume()
        time.sleep(0.7)
        result = take.finish()
    numbers = read_numbers(result.output)
    assert not [n for n in numbers if first_end + 2 <= n <= deleted_until - 2]
    assert result.finalised.segments == 2
    assert abs(len(numbers) - 42) <= 4


def test_camera_that_stops_delivering_keeps_what_was_recorded(short_clip, tmp_path):
    with CaptureSession(FileCamera(short_clip, loop=False)) as s:
        # the file camera plays in real time from when the session opens: on a busy machine some
        # frames pass before the take starts, and those are not the take's to keep
        before = s.camera.frames_delivered
        take = s.begin_take(tmp_path / "short.mp4", TakeSettings(countdown=0, max_seconds=10))
        assert take.wait(6)
        result = take.finish()
    assert "stopped delivering frames" in result.reason
    numbers = read_numbers(result.output)
    assert numbers[0] <= before + 2 or numbers[0] < 15  # at most half a second lost to a busy machine
    assert numbers[-1] == 44  # the rest of the 1.5 s file, all of it, not padded
    assert abs(len(numbers) - (45 - numbers[0])) <= 2


class FailingCamera(CameraSource):
    """A camera whose driver raises after a second of pictures."""

    name = "failing camera"
    size = (160, 120)

    def _run(self) -> str:
        start = time.monotonic()
        for k in range(1000):
            if self._stop.wait(max(0.0, start + k / 30 - time.monotonic())):
                return "stopped"
            if k == 30:
                raise OSError("device unplugged")
            self._deliver(np.full((120, 160, 3), k % 256, np.uint8), start + k / 30)
        return "stopped"


def test_a_source_that_raises_mid_take_ends_it_with_a_clear_reason_and_keeps_it(tmp_path):
    with CaptureSession(FailingCamera()) as s:
        take = s.begin_take(tmp_path / "fail.mp4", TakeSettings(countdown=0, max_seconds=10))
        assert take.wait(5)
        result = take.finish()
    assert result.reason == "failing camera failed: device unplugged"
    assert result.finalised is not None and abs(result.finalised.frames - 30) <= 2


def test_unwritable_output_folder_is_a_clear_error_before_recording(numbered_clip, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with CaptureSession(FileCamera(numbered_clip)) as s:
        with pytest.raises(CaptureError, match=r"a-file: cannot write the take there"):
            s.begin_take(blocker / "take.mp4", TakeSettings(countdown=0))
        with pytest.raises(CaptureError, match=r"\.mp4"):
            s.begin_take(tmp_path / "take.mov")


def test_find_unfinished_skips_a_recording_a_live_process_is_writing(tmp_path):
    writer = TakeWriter(tmp_path / "live.mp4.recording.mkv", (64, 48), audio=False, info={})
    try:
        writer.write_video(np.zeros((48, 64, 3), np.uint8), 0.0)
        assert find_unfinished(tmp_path) == []
    finally:
        writer.close()
    assert find_unfinished(tmp_path) == [tmp_path / "live.mp4.recording.mkv"]


def test_the_file_camera_loops_files_shorter_than_the_take(tmp_path):
    clip = make_numbered_clip(tmp_path / "one.mp4", 0.5)
    with CaptureSession(FileCamera(clip, loop=True)) as s:
        take = s.begin_take(tmp_path / "loop.mp4", TakeSettings(countdown=0, max_seconds=1.2))
        assert take.wait(5)
        result = take.finish()
    numbers = read_numbers(result.output)
    assert len(numbers) == 36
    # 15 frames played round and round, starting with the picture shown when recording began
    assert numbers[0] <= 2 and numbers == [(numbers[0] + i) % 15 for i in range(36)]
    assert load_project(result.finalised.project).duration == 36
