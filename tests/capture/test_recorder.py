"""The take state machine on made-up times (no threads, no camera)."""
from __future__ import annotations

import pytest

from studio.capture.recorder import DELETED_GAP, Recorder, State, countdown_sound


def run_frames(rec: Recorder, start: float, end: float, fps: float = 30.0) -> list[tuple[float, float | None]]:
    out, i = [], 0
    while start + i / fps < end - 1e-9:
        t = start + i / fps
        out.append((t, rec.frame_position(t)))
        i += 1
    return out


def test_countdown_ticks_and_recording_starts_on_the_first_frame_after_it():
    events = []
    rec = Recorder(countdown=3, max_seconds=None, clock=lambda: 0.0)
    rec.add_listener(lambda ev, r: events.append((ev, r.countdown_remaining, r.state.value)))
    rec.start(now=100.0)
    frames = run_frames(rec, 100.0, 104.0)
    counts = [c for ev, c, _ in events if ev == "countdown"]
    assert counts == [3, 2, 1]
    recorded = [t for t, pos in frames if pos is not None]
    assert recorded[0] == pytest.approx(103.0, abs=1 / 30 + 1e-9)
    assert all(t < 103.0 - 1e-9 for t, pos in frames if pos is None)
    # active time starts at 0 on that first picture
    first = next(pos for t, pos in frames if pos is not None)
    assert first == 0.0
    assert rec.state == State.RECORDING
    assert countdown_sound().path.is_file()


def test_max_length_stops_by_itself_in_take_seconds_at_every_speed():
    for speed in (0.5, 1.0, 2.0, 3.0):
        rec = Recorder(countdown=0, max_seconds=5, speed=speed)
        rec.start(now=0.0)
        frames = run_frames(rec, 0.0, 20.0)
        assert rec.state == State.FINISHED and rec.finish_reason == "max length"
        last = max(pos for _, pos in frames if pos is not None)
        assert last < 5 * speed <= last + 1 / 30 + 1e-9
        assert rec.take_seconds() == pytest.approx(5.0)


def test_pause_resume_makes_segments_whose_active_time_continues():
    rec = Recorder(countdown=0, max_seconds=None)
    rec.start(now=0.0)
    a = run_frames(rec, 0.0, 1.0)
    rec.pause(now=1.0)
    assert rec.state == State.PAUSED
    assert all(rec.frame_position(t) is None for t in (1.2, 1.4, 1.9))
    rec.resume(now=2.0)
    b = run_frames(rec, 2.0, 3.0)
    rec.stop(now=3.0)
    segs = rec.kept_segments()
    assert len(segs) == 2
    assert segs[0] == pytest.approx((0.0, 1.0))
    assert segs[1][0] == pytest.approx(1.0) and segs[1][1] == pytest.approx(2.0)
    assert b[0][1] == pytest.approx(a[-1][1] + 1 / 30)  # the pause leaves no hole in active time
    assert rec.take_seconds() == pytest.approx(2.0)


def test_delete_last_segment_only_while_paused_and_active_time_never_goes_back():
    rec = Recorder(countdown=0, max_seconds=3)
    rec.start(now=0.0)
    run_frames(rec, 0.0, 1.0)
    assert rec.delete_last_segment() is None  # not while recording
    rec.pause(now=1.0)
    rec.resume(now=1.5)
    run_frames(rec, 1.5, 2.5)
    rec.pause(now=2.5)
    gone = rec.delete_last_segment()
    assert gone is not None and gone.deleted
    assert rec.take_seconds() == pytest.approx(1.0)
    rec.resume(now=3.0)
    pos = rec.frame_position(3.0)
    # after the deleted stretch, with a gap: the file's timestamps only increase, and the deleted
    # stretch's last picture (its timestamp rounded up) cannot fall into this segment
    assert pos == pytest.approx(2.0 + DELETED_GAP)
    run_frames(rec, 3.0, 10.0)
    # the deleted second does not count against the 3 s maximum
    assert rec.state == State.FINISHED and rec.take_seconds() == pytest.approx(3.0)


def test_audio_blocks_are_trimmed_to_the_segment():
    rec = Recorder(countdown=1, max_seconds=None)
    rec.start(now=0.0)
    rec.frame_position(1.0)  # first picture: recording starts at 1.0
    skip, keep, pos = rec.audio_position(0.99, 960, 48000)  # 20 ms block straddling the start
    assert skip == 480 and keep == 480 and pos == pytest.approx(0.0)
    rec.pause(now=2.0)
    skip, keep, pos = rec.audio_position(1.995, 960, 48000)
    assert skip == 0 and keep == 240 and pos == pytest.approx(0.995)
    assert rec.audio_position(2.5, 960, 48000) is None


def test_stop_during_countdown_records_nothing():
    rec = Recorder(countdown=10)
    rec.start(now=0.0)
    rec.stop(now=2.0)
    assert rec.state == State.FINISHED and rec.finish_reason.startswith("cancelled")
    assert rec.kept_segments() == []


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        Recorder(speed=5)
    with pytest.raises(ValueError):
        Recorder(max_seconds=0)
