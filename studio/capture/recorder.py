"""The take state machine, Qt-free and clock-driven (testable with made-up times):

    idle -> countdown -> recording <-> paused -> finished

Times are seconds on the capture clock (time.monotonic); every method takes an optional `now`.
A take is a list of segments (each recording stretch between start/resume and pause/stop).
"Active time" is the recording clock with pauses removed: it only moves forward, even when the
last segment is deleted (its stretch is skipped when the take is finalised), so the crash-safe
file always has increasing timestamps. Speed is applied when the take is finalised (2x: the take
plays back in half the time), so limits are in TAKE seconds: `max_seconds=15` at 2x stops after
30 s of recording.

A segment starts with the first picture captured at or after the countdown end (or the resume),
so the first frame of the take is the camera's picture at that instant.

Listeners get (event, recorder): "state" on every state change, "countdown" with
`recorder.countdown_remaining` (3, 2, 1) once per second, "segments" when a segment is added,
closed or deleted.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from enum import Enum
from typing import Callable

COUNTDOWN_CHOICES = (0, 3, 10)
MAX_PRESETS = {"15s": 15, "60s": 60, "3min": 180, "10min": 600}
SPEEDS = (0.5, 1.0, 2.0, 3.0)
DELETED_GAP = 0.05  # seconds of active time between a deleted segment and the next one
BEEP_SOUND = "countdown"  # library sound ("Countdown 3-2-1", 3.8 s): play it when 3 s remain


class State(str, Enum):
    IDLE = "idle"
    COUNTDOWN = "countdown"
    RECORDING = "recording"
    PAUSED = "paused"
    FINISHED = "finished"


@dataclass
class Segment:
    t_start: float  # capture-clock time recording (re)started
    a_start: float  # active time at t_start
    a_end: float | None = None  # None while recording
    deleted: bool = False
    # t_start moves to the capture time of the segment's first frame, so the take starts exactly
    # on a picture and consecutive segments join without a repeated or skipped frame
    anchored: bool = False

    def length(self, now_active: float | None = None) -> float:
        end = self.a_end if self.a_end is not None else now_active
        return 0.0 if end is None else max(0.0, end - self.a_start)


def countdown_sound():
    """The library beep the UI plays when the countdown shows 3 (studio.library Sound)."""
    from studio.library.sounds import get_sound

    return get_sound(BEEP_SOUND)


Listener = Callable[[str, "Recorder"], None]


class Recorder:
    def __init__(self, *, countdown: float = 3, max_seconds: float | None = 60, speed: float = 1.0,
                 clock: Callable[[], float] = time.monotonic):
        if countdown < 0:
            raise ValueError(f"countdown must be 0 or more seconds, got {countdown}")
        if max_seconds is not None and max_seconds <= 0:
            raise ValueError(f"max length must be more than 0 seconds, got {max_seconds}")
        if not 0.5 <= speed <= 3.0:
            raise ValueError(f"speed must be between 0.5 and 3, got {speed}")
        self.countdown = float(countdown)
        self.max_seconds = None if max_seconds is None else float(max_seconds)
        self.speed = float(speed)
        self.clock = clock
        self.state = State.IDLE
        self.segments: list[Segment] = []
        self.countdown_end: float | None = None
        self.countdown_remaining = 0
        self.finish_reason = ""
        self._now = -math.inf
        self._listeners: list[Listener] = []
        self._lock = threading.RLock()

    # ---------------------------------------------------------------- listeners
    def add_listener(self, fn: Listener) -> None:
        self._listeners.append(fn)

    def _emit(self, event: str) -> None:
        for fn in list(self._listeners):
            fn(event, self)

    def _set_state(self, state: State) -> None:
        if state != self.state:
            self.state = state
            self._emit("state")

    # ---------------------------------------------------------------- time
    def _time(self, now: float | None) -> float:
        t = self.clock() if now is None else now
        self._now = max(self._now, t)
        return self._now

    @property
    def limit_active(self) -> float:
        return math.inf if self.max_seconds is None else self.max_seconds * self.speed

    def _kept_closed(self) -> float:
        return sum(s.length() for s in self.segments if not s.deleted and s.a_end is not None)

    def _current(self) -> Segment | None:
        if self.segments and self.segments[-1].a_end is None:
            return self.segments[-1]
        return None

    def recorded_active(self, now: float | None = None) -> float:
        """Seconds of kept recording (capture time, before speed)."""
        with self._lock:
            total = self._kept_closed()
            cur = self._current()
            if cur is not None:
                t = self._now if now is None else max(now, cur.t_start)
                total += max(0.0, t - cur.t_start)
            return total

    def awaiting_first_frame(self) -> bool:
        """Recording, but the current segment has not had its first picture yet: the segment (and
        a sound recorded to) starts with that picture, not with the click."""
        with self._lock:
            cur = self._current()
            return self.state == State.RECORDING and cur is not None and not cur.anchored

    def sound_active(self, now: float | None = None) -> float:
        """Active time for a sound that follows the take: as recorded_active, except that a
        segment still waiting for its first picture has not begun (so the first picture of every
        segment meets the sound exactly where the take will place it)."""
        with self._lock:
            if self.awaiting_first_frame():
                return self._kept_closed()
            return self.recorded_active(now)

    def take_seconds(self, now: float | None = None) -> float:
        """Length of the take so far as it will play back (after speed), for the progress display."""
        return self.recorded_active(now) / self.speed

    # ---------------------------------------------------------------- transitions
    def start(self, now: float | None = None) -> None:
        with self._lock:
            if self.state != State.IDLE:
                raise RuntimeError(f"start: recorder is {self.state.value}")
            t = self._time(now)
            if self.countdown <= 0:
                self._begin_segment(t)
                return
            self.countdown_end = t + self.countdown
            self.countdown_remaining = math.ceil(self.countdown)
            self._set_state(State.COUNTDOWN)
            self._emit("countdown")

    def _begin_segment(self, t: float) -> None:
        a = self.segments[-1].a_end if self.segments else 0.0
        if self.segments and self.segments[-1].deleted:
            # the file's timestamps are whole milliseconds (and never repeat), so the last picture
            # of a deleted stretch could land on this segment's first instant and come back in
            # the take: leave a gap in active time after it (gaps are not part of the take)
            a += DELETED_GAP
        self.segments.append(Segment(t, a))
        self._set_state(State.RECORDING)
        self._emit("segments")

    def _end_segment(self, t: float) -> None:
        cur = self._current()
        if cur is not None:
            cur.a_end = cur.a_start + max(0.0, t - cur.t_start)
            self._emit("segments")

    def tick(self, now: float | None = None) -> None:
        """Advance the countdown and the auto-stop to `now` (called for every frame, and by timers)."""
        with self._lock:
            t = self._time(now)
            if self.state == State.COUNTDOWN:
                remaining = math.ceil(self.countdown_end - t - 1e-9)
                if remaining <= 0:
                    self.countdown_remaining = 0
                    # recording starts at the scheduled instant, not when a frame happens to arrive
                    self._begin_segment(self.countdown_end)
                elif remaining != self.countdown_remaining:
                    self.countdown_remaining = remaining
                    self._emit("countdown")
            if self.state == State.RECORDING:
                cur = self._current()
                room = self.limit_active - self._kept_closed()
                if t - cur.t_start >= room:
                    self._end_segment(cur.t_start + room)
                    self.finish_reason = "max length"
                    self._set_state(State.FINISHED)

    def pause(self, now: float | None = None) -> None:
        with self._lock:
            t = self._time(now)
            self.tick(t)
            if self.state != State.RECORDING:
                return
            self._end_segment(t)
            self._set_state(State.PAUSED)

    def resume(self, now: float | None = None) -> None:
        with self._lock:
            t = self._time(now)
            if self.state != State.PAUSED:
                return
            if self._kept_closed() >= self.limit_active:
                self.finish_reason = "max length"
                self._set_state(State.FINISHED)
                return
            self._begin_segment(t)

    def delete_last_segment(self) -> Segment | None:
        """Drop the last kept segment (only while paused); returns it, or None when there is none."""
        with self._lock:
            if self.state != State.PAUSED:
                return None
            for seg in reversed(self.segments):
                if not seg.deleted:
                    seg.deleted = True
                    self._emit("segments")
                    return seg
            return None

    def stop(self, now: float | None = None, reason: str = "stopped", end_at: float | None = None) -> None:
        """Finish the take. end_at: where the last segment ends when that is not `now` (a camera
        that ended: one frame after its last picture)."""
        with self._lock:
            t = self._time(now)
            self.tick(t)
            if self.state == State.FINISHED:
                return
            self._end_segment(t if end_at is None else end_at)
            self.finish_reason = reason if self.state != State.COUNTDOWN else "cancelled during countdown"
            self._set_state(State.FINISHED)

    # ---------------------------------------------------------------- frames and audio
    def _segment_at(self, t: float) -> Segment | None:
        """The segment whose capture-time span holds t: the current one, or the one just closed
        (a frame captured before a pause/stop may arrive a moment after it)."""
        if not self.segments:
            return None
        seg = self.segments[-1]
        if seg.deleted or t < seg.t_start:
            return None
        if seg.a_end is None or t < seg.t_start + seg.length():
            return seg
        return None

    def frame_position(self, t: float) -> float | None:
        """Active time of a frame captured at t, or None when it is not part of the take.
        Also advances the state machine (countdown end, auto-stop at the max length)."""
        with self._lock:
            self.tick(t)
            seg = self._segment_at(t)
            if seg is None:
                return None
            if not seg.anchored and seg.a_end is None:
                seg.t_start, seg.anchored = t, True
            return seg.a_start + (t - seg.t_start)

    def audio_position(self, t: float, count: int, rate: int) -> tuple[int, int, float] | None:
        """For an audio block of `count` samples starting at t: (skip, keep, active time of the
        first kept sample) — the part of the block inside the recording — or None."""
        with self._lock:
            self.tick(t)
            seg = self._segment_at(t + count / rate)
            if seg is None:
                seg = self._segment_at(t)
            if seg is None or not seg.anchored:
                return None  # sound starts with the segment's first picture
            skip = max(0, math.ceil((seg.t_start - t) * rate - 1e-6))
            end = count
            if seg.a_end is not None:
                end = min(count, int((seg.t_start + seg.length() - t) * rate + 1e-6))
            if end <= skip:
                return None
            return skip, end - skip, seg.a_start + (t + skip / rate - seg.t_start)

    def kept_segments(self) -> list[tuple[float, float | None]]:
        """(active start, active end or None while open) of the segments that stay in the take."""
        with self._lock:
            return [(s.a_start, s.a_end) for s in self.segments if not s.deleted]

    def to_dict(self) -> dict:
        with self._lock:
            return {"speed": self.speed, "max_seconds": self.max_seconds, "state": self.state.value,
                    "segments": [{"start": s.a_start, "end": s.a_end, "deleted": s.deleted} for s in self.segments]}
