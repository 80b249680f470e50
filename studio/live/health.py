"""What a live stream reports about itself: a `Health` snapshot and the small meters behind it."""
from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

CONNECTING, LIVE, RECONNECTING, STOPPED, FAILED = "connecting", "live", "reconnecting", "stopped", "failed"


@dataclass(frozen=True)
class Health:
    state: str                    # connecting / live / reconnecting / stopped / failed
    fps: float                    # video frames written to the network over the last second
    frames_dropped: int           # frames that never reached the network (queue full, reconnecting)
    kbps: float                   # bytes written to the network over the last second, in kbit/s
    encoder_lag_ms: float | None  # capture time -> packet written to the network, latest frame
    cpu_percent: float            # this process, since the previous health() call
    reconnects: int
    seconds_live: float           # time connected, all connections together
    recording: Path | None        # the local safety recording


class RateMeter:
    """Events and amounts in a sliding window of `window` seconds; thread-safe (the network thread
    adds, the UI thread reads)."""

    def __init__(self, clock, window: float = 1.0):
        self._clock, self._window = clock, window
        self._events: deque[tuple[float, float]] = deque()
        self._lock = threading.Lock()

    def add(self, amount: float = 1.0) -> None:
        now = self._clock()
        with self._lock:
            self._events.append((now, amount))
            self._trim(now)

    def per_second(self) -> tuple[float, float]:
        """(events per second, amount per second) over the window."""
        now = self._clock()
        with self._lock:
            self._trim(now)
            return len(self._events) / self._window, sum(a for _, a in self._events) / self._window

    def _trim(self, now: float) -> None:
        while self._events and self._events[0][0] <= now - self._window:
            self._events.popleft()


class CpuMeter:
    """This process's CPU use (all threads, all cores: 200 % is two busy cores) between reads."""

    def __init__(self):
        self._last = (time.monotonic(), time.process_time())
        self._previous = 0.0

    def percent(self) -> float:
        wall, cpu = time.monotonic(), time.process_time()
        last_wall, last_cpu = self._last
        if wall - last_wall < 0.05:  # too short to mean anything: keep the window growing
            return self._previous
        self._last = (wall, cpu)
        self._previous = 100.0 * (cpu - last_cpu) / (wall - last_wall)
        return self._previous


class LiveClock:
    """Seconds spent connected, over all connections."""

    def __init__(self, clock):
        self._clock, self._total, self._since = clock, 0.0, None
        self._lock = threading.Lock()

    def connected(self) -> None:
        with self._lock:
            if self._since is None:
                self._since = self._clock()

    def disconnected(self) -> None:
        with self._lock:
            if self._since is not None:
                self._total += self._clock() - self._since
                self._since = None

    def seconds(self) -> float:
        with self._lock:
            extra = self._clock() - self._since if self._since is not None else 0.0
            return self._total + extra
