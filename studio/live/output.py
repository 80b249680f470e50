"""`LiveOutput`: composed pictures and sound in, an RTMP/RTMPS/SRT stream and a crash-safe local
safety recording out.

Threads: the caller only queues (never waits: a full queue drops the frame and counts it); the
encoder thread encodes once and writes each packet to the safety recording, then hands it to the
network thread (network.py), which may stall or reconnect without the other two noticing.
"""
from __future__ import annotations

import queue
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from studio.live import network
from studio.live.errors import LiveError
from studio.media.errors import MediaWriteError
from studio.media.stream_encode import (FORMATS, KEYFRAME_SECONDS, UNSUPPORTED, Muxer, Settings, StreamEncoder,
                                        default_kbps, open_recording)
from studio.live.health import CONNECTING, FAILED, STOPPED, CpuMeter, Health, LiveClock, RateMeter
from studio.live.secrets import StreamKey, join_url, scrub

VIDEO_QUEUE = 10              # frames (~1/3 s at 30 fps) the caller may be ahead of the encoder
NETWORK_QUEUE_SECONDS = 3     # packets the network may fall behind before skipping to a keyframe
AUDIO_RESYNC = 0.040          # sound this far off its timestamp is re-placed (gap filled / overlap cut)


class Packet:
    """A finished packet, as plain data: each output builds its own av.Packet from it, so threads
    never share one."""

    __slots__ = ("kind", "data", "pts", "dts", "time_base", "is_keyframe", "captured")

    def __init__(self, kind, packet, captured):
        self.kind, self.data, self.captured = kind, bytes(packet), captured
        self.pts, self.dts, self.time_base = packet.pts, packet.dts, packet.time_base
        self.is_keyframe = packet.is_keyframe

    @property
    def is_video(self) -> bool:
        return self.kind == "video"


class LiveOutput:
    def __init__(self, url: str, key: StreamKey | str, *, size=(720, 1280), fps: int = 30,
                 video_kbps: int | None = None, audio_rate: int = 48000, record: Path | None = None,
                 on_event=None, clock=time.monotonic):
        self._key = StreamKey(key)
        scheme = urlsplit(url).scheme.lower()
        if scheme not in FORMATS or not urlsplit(url).hostname:
            raise LiveError(f"unsupported stream address {scrub(url, self._key)!r}: "
                            "it must start with rtmp://, rtmps:// or srt:// and name a server")
        self._url, self._format = url, FORMATS[scheme]
        self._settings = Settings(size, fps, video_kbps or default_kbps(size), audio_rate)
        self.record = Path(record) if record is not None else None
        self._on_event, self._clock = on_event, clock
        self._frames: queue.Queue = queue.Queue()
        self._room = threading.Semaphore(VIDEO_QUEUE)
        self._state, self._lock = CONNECTING, threading.Lock()
        self._dropped = 0
        self._bytes_sent, self._frames_sent = RateMeter(clock), RateMeter(clock)
        self._lag: float | None = None
        self._cpu, self._live = CpuMeter(), LiveClock(clock)
        self._keyframe_wanted = threading.Event()
        self._threads: list[threading.Thread] = []
        self._recording = None
        self._sender = None
        self._started = False

    # -- the caller's side ---------------------------------------------------------------------
    def start(self) -> None:
        """Open the encoders and the safety recording, connect; raises LiveError (one line, no key)
        when the stream cannot start: bad address, server down, key refused."""
        if self._started:
            raise LiveError("this stream was already started")
        self._started = True
        self._t0 = self._clock()
        self._encoder = StreamEncoder(self._settings)
        fps = self._settings.fps
        max_items = NETWORK_QUEUE_SECONDS * (fps + self._settings.audio_rate // 1024 + 1)
        self._sender = network.NetworkSender(self._open_network, request_keyframe=self._keyframe_wanted.set,
                                             report=self._report, meters=self, max_items=max_items)
        try:
            if self.record is not None:
                try:
                    self._recording = open_recording(self.record, self._settings)
                except MediaWriteError as exc:
                    raise LiveError(f"{self.record.name}: the safety recording cannot be written ({exc.reason})") from None
            self._sender.connect()
        except LiveError as exc:
            self._fail(str(exc))
            if self._recording is not None:
                self._recording.abort()
                self._recording = None
                self.record.unlink(missing_ok=True)  # nothing was recorded
            raise
        for target, name in ((self._encode_loop, "live-encoder"), (self._sender.run, "live-network")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    @property
    def started_at(self) -> float:
        """When the stream's clock starts (on `clock`): timestamp 0 of the stream and its recording."""
        return self._t0

    def send_video(self, rgb: np.ndarray, t: float) -> None:
        """Queue one (h, w, 3) uint8 picture captured at `t` (seconds on `clock`). Never blocks."""
        if not self._room.acquire(blocking=False):
            self._count_dropped()
            return
        # A copy: the compositor may reuse its buffer for the next frame while this one waits.
        self._frames.put(("video", np.array(rgb, dtype=np.uint8, copy=True), t))

    def send_audio(self, samples: np.ndarray, t: float) -> None:
        """Queue (n, 2) float32 (-1..1) or int16 samples whose first one was captured at `t`."""
        samples = np.asarray(samples)
        if samples.dtype == np.int16:
            samples = samples.astype(np.float32) / 32768.0
        self._frames.put(("audio", np.array(samples, dtype=np.float32).reshape(-1, 2), t))

    def health(self) -> Health:
        fps = self._frames_sent.per_second()[0]
        nbytes = self._bytes_sent.per_second()[1]
        with self._lock:
            state, dropped, lag = self._state, self._dropped, self._lag
        return Health(state=state, fps=fps, frames_dropped=dropped, kbps=nbytes * 8 / 1000,
                      encoder_lag_ms=None if lag is None else lag * 1000,
                      cpu_percent=self._cpu.percent(),
                      reconnects=self._sender.reconnects if self._sender else 0,
                      seconds_live=self._live.seconds(), recording=self.record)

    def stop(self, timeout: float = 5.0) -> None:
        """Encode what is queued, finish the safety recording, send what the network can take
        within `timeout`, close."""
        if not self._threads:
            return
        self._frames.put(None)
        encoder, sender = self._threads
        encoder.join()
        sender.join(timeout)
        if sender.is_alive():
            self._sender.abort()
            sender.join(1.0)
        self._threads = []
        with self._lock:
            if self._state != FAILED:
                self._state = STOPPED
        self._event("stopped")

    # -- the encoder thread --------------------------------------------------------------------
    def _encode_loop(self) -> None:
        try:
            self._last_pts, self._next_key, self._apos = -1, None, None
            self._captured: dict[int, float] = {}  # video pts -> capture time, until its packet
            while (item := self._frames.get()) is not None:
                kind, data, t = item
                if kind == "video":
                    self._room.release()
                    self._encode_video(data, t)
                else:
                    self._encode_audio(data, t)
            video, audio = self._encoder.flush()
            self._emit("video", video, {})
            self._emit("audio", audio, {})
        except Exception as exc:  # noqa: BLE001 - an encoder failing ends the stream, in words
            self._fail(f"encoding failed ({scrub(exc, self._key)})")
        finally:
            self._close_recording()
            self._sender.finish()

    def _encode_video(self, rgb: np.ndarray, t: float) -> None:
        pts = max(round((t - self._t0) * 1000), self._last_pts + 1)  # ms, strictly increasing
        self._last_pts = pts
        # Keyframes on a fixed 2 s grid of the stream's own time (not a frame count, which drifts
        # when frames are dropped), plus one at once when a new connection needs to start.
        if self._next_key is None:  # the grid starts with the first picture
            self._next_key = pts
        keyframe = pts >= self._next_key or self._keyframe_wanted.is_set()
        if keyframe:
            self._keyframe_wanted.clear()
            while self._next_key <= pts:
                self._next_key += KEYFRAME_SECONDS * 1000
        self._captured[pts] = t
        self._emit("video", self._encoder.video(rgb, pts, keyframe), self._captured)

    def _encode_audio(self, samples: np.ndarray, t: float) -> None:
        rate = self._settings.audio_rate
        at = round((t - self._t0) * rate)
        if self._apos is None:
            self._apos = max(at, 0)
        off = at - self._apos
        if off > AUDIO_RESYNC * rate:      # a gap: silence keeps the timeline continuous
            samples = np.concatenate([np.zeros((off, 2), np.float32), samples])
        elif off < -AUDIO_RESYNC * rate:   # an overlap: the samples already covered go
            samples = samples[-off:]
        if not len(samples):
            return
        pts, self._apos = self._apos, self._apos + len(samples)
        self._emit("audio", self._encoder.audio(samples, pts), {})

    def _emit(self, kind: str, packets, captured: dict) -> None:
        for p in packets:
            item = Packet(kind, p, captured.pop(p.pts, None))
            if self._recording is not None:
                try:
                    self._recording.write(item)
                except Exception as exc:  # noqa: BLE001 - disk full: the stream itself goes on
                    self._close_recording()
                    self._event(f"safety recording stopped ({scrub(exc, self._key)})")
            self._sender.put(item)

    def _close_recording(self) -> None:
        recording, self._recording = self._recording, None
        if recording is not None:
            recording.abort()

    # -- the network thread's callbacks ----------------------------------------------------------
    def _open_network(self) -> Muxer:
        url = join_url(self._url, self._key)
        network.probe(url)
        # flush_packets: each packet leaves at once (no 32 kB buffer: less delay, and a dropped
        # connection, such as a refused key, shows at the next write instead of kilobytes later)
        options = {"flush_packets": "1", **({"flvflags": "no_duration_filesize"} if self._format == "flv" else {})}
        try:
            return Muxer(url, self._format, self._settings, options)
        except MediaWriteError as exc:
            if exc.reason == UNSUPPORTED:
                scheme = urlsplit(self._url).scheme.lower()
                raise LiveError(f"this Studio cannot stream over {scheme.upper()} (its FFmpeg was built without "
                                f"it): use the service's rtmp:// or rtmps:// address") from None
            reason = scrub(exc.reason or exc, self._key)
            host = urlsplit(self._url).hostname
            raise LiveError(f"{host} accepted the connection but not the stream: check the stream key "
                            f"({reason})") from None

    def written(self, item: Packet) -> None:
        self._bytes_sent.add(len(item.data))
        if item.is_video:
            self._frames_sent.add()
        if item.captured is not None:
            with self._lock:
                self._lag = self._clock() - item.captured

    def dropped_video(self) -> None:
        self._count_dropped()

    def connected(self, up: bool) -> None:
        self._live.connected() if up else self._live.disconnected()

    def _report(self, state: str, message: str | None) -> None:
        with self._lock:
            if self._state not in (STOPPED, FAILED):  # the end is final
                self._state = state
        if message:
            self._event(message)

    # -- helpers -------------------------------------------------------------------------------
    def _count_dropped(self) -> None:
        with self._lock:
            self._dropped += 1

    def _fail(self, message: str) -> None:
        with self._lock:
            self._state = FAILED
        self._event(f"failed: {message}")

    def _event(self, message: str) -> None:
        if self._on_event is not None:
            try:
                self._on_event(scrub(message, self._key))
            except Exception:  # a broken listener must not take the stream down
                pass
