"""Turn a crash-safe recording (TAKE.mp4.recording.mkv + .json) into the take: a normal MP4
(H.264 yuv420p + AAC, constant 30 fps, +faststart), TAKE.studio next to it (the take as a clip
carrying the effects, so they stay editable) and the live tracking in the tracking cache.

Re-timing happens here: the recording holds every captured frame at its real (active) time;
output frame n shows the recorded frame nearest to active time n * speed / 30 inside the kept
segments (duplicating or dropping frames as the camera's timing requires), so a 2x take is half
as long and fast-motion, 0.5x twice as long. Audio is cut to the same segments and, when the speed
is not 1, tempo-changed (pitch kept, ffmpeg atempo) to stay with the picture.

The file itself is written by studio.media's Mp4Writer, the exporter's, with the take's quality
(crf 18, AAC 160 kb/s): the H.264 options are decided in one place for every platform MP4.

`find_unfinished(folder)` lists recordings a killed process left; `recover(path)` finalises one.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from studio.capture.errors import CaptureError
from studio.capture.frames import AUDIO_CHANNELS, AUDIO_RATE
from studio.capture.stream_recording import finish_stream_recording, is_stream_recording
from studio.capture.writer import (RECORDING_SUFFIX, is_locked, read_sidecar, sidecar_path, target_of)
from studio.media.encode import EncodeSettings, Mp4Writer
from studio.media.errors import MediaError
from studio.media.recording import RecordingReader
from studio.media.tempo import TempoStream

OUTPUT_FPS = 30
FINAL_CRF = 18
TIE_SECONDS = 0.002
GAP_KEPT = 0.25  # a segment's end this close after its last frame is real time; further = camera went quiet
FINAL_PRESET = "veryfast"  # finalising is waited for: fast, but much smaller than the ultrafast recording
FINAL_AUDIO_BITRATE = 160_000


@dataclass
class FinalisedTake:
    path: Path
    project: Path | None
    frames: int
    duration: float
    has_audio: bool
    speed: float
    segments: int
    tracked_frames: int = 0
    source_frames: list[int] = field(default_factory=list, repr=False)  # recorded pts (ms) per output frame


@dataclass
class _Plan:
    speed: float
    max_seconds: float | None
    segments: list[tuple[float, float]]  # kept (active start, active end); end may be inf
    effects: list[dict]
    bake: bool
    sound: dict | None = None  # {"source", "start", "title"} when recorded to a sound

    def offsets(self) -> list[float]:
        out, acc = [], 0.0
        for a, b in self.segments:
            out.append(acc)
            acc += b - a
        return out


def _plan(recording: Path) -> _Plan:
    info = read_sidecar(sidecar_path(recording)) or {}
    speed = float(info.get("speed") or 1.0)
    segs = []
    for s in info.get("segments") or [{"start": 0.0, "end": None}]:
        if s.get("deleted"):
            continue
        end = s.get("end")
        # on the recording's millisecond grid, so a segment's first frame is inside it
        segs.append((_ms(s["start"]), math.inf if end is None else _ms(end)))
    sound = info.get("sound")
    return _Plan(speed, info.get("max_seconds"), segs, list(info.get("effects") or []), bool(info.get("bake")),
                 sound if isinstance(sound, dict) and sound.get("source") else None)


def _ms(seconds) -> float:
    return round(float(seconds) * 1000) / 1000


class _AudioOut:
    """Contiguous output audio from placed blocks: zero-fills gaps, trims overlaps, applies the
    tempo change, stops at `limit` samples and pads up to it at the end."""

    def __init__(self, writer: Mp4Writer, speed: float):
        self.writer = writer
        self.written = 0  # input-side samples placed so far
        self.emitted = 0  # output-side samples sent to the encoder
        self.limit: int | None = None
        self.tempo = TempoStream(speed, AUDIO_RATE) if abs(speed - 1.0) > 1e-6 else None

    def place(self, pos: int, samples: np.ndarray) -> None:
        if pos < self.written:
            samples = samples[self.written - pos:]
            pos = self.written
        if not len(samples):
            return
        if pos > self.written:
            self._feed(np.zeros((pos - self.written, AUDIO_CHANNELS), np.int16))
        self._feed(samples)

    def _feed(self, samples: np.ndarray) -> None:
        self.written += len(samples)
        for start in range(0, len(samples), 4096):
            block = np.ascontiguousarray(samples[start:start + 4096], dtype=np.int16)
            if self.tempo is None:
                self._encode(block)
            else:
                for out in self.tempo.push(block):
                    self._encode(out)

    def _encode(self, pcm: np.ndarray) -> None:
        if self.limit is not None:
            pcm = pcm[: max(0, self.limit - self.emitted)]
        if not len(pcm):
            return
        self.writer.write_audio(pcm)
        self.emitted += len(pcm)

    def finish(self, total: int) -> None:
        """Stop at `total` samples, padding with silence up to it (the writer flushes the encoder)."""
        self.limit = total
        if self.tempo is not None:
            for out in self.tempo.finish():
                self._encode(out)
        pad = np.zeros((max(0, total - self.emitted), AUDIO_CHANNELS), np.int16)
        for start in range(0, len(pad), 4096):
            self._encode(pad[start:start + 4096])


class _VideoOut:
    """Constant-rate output: slot k of segment j shows the recorded frame nearest to active time
    a_j + k * speed / 30. Each segment gets a whole number of output frames, counted from its own
    start, so a steady 30 fps camera maps frame for frame (no repeat or skip at the joins)."""

    def __init__(self, writer: Mp4Writer, plan: _Plan, limit_frames: int | None):
        self.writer = writer
        self.plan = plan
        self.step = plan.speed / OUTPUT_FPS  # active seconds per output frame
        # output frames per segment (inf for an open one: a killed recording)
        self.counts = [math.inf if math.isinf(b) else int(round((b - a) / self.step + 1e-6))
                       for a, b in plan.segments]
        self.limit = limit_frames
        self.n = 0
        self.seg, self.k = 0, 0  # the next slot: segment index, slot within it
        self.prev = None  # (pts seconds, frame, pts ms) of the last frame seen in segment `self.seg`
        self.chosen: list[int] = []
        self.last_end: dict[int, float] = {}  # per segment: end of its last recorded frame

    def _emit(self, picture, pts_ms: int) -> None:
        self.writer.write_picture(picture)  # output frame self.n (the writer numbers them in order)
        self.chosen.append(pts_ms)
        self.n += 1
        self.k += 1
        if self.k >= self.counts[self.seg]:
            self._next_segment()

    def _next_segment(self) -> None:
        self.seg, self.k = self.seg + 1, 0
        while self.seg < len(self.counts) and self.counts[self.seg] == 0:
            self.seg += 1

    def _full(self) -> bool:
        return self.seg >= len(self.counts) or (self.limit is not None and self.n >= self.limit)

    def _target(self) -> float:
        return self.plan.segments[self.seg][0] + self.k * self.step

    def add(self, t: float, frame, pts_ms: int) -> None:
        seg = self._segment_of(t)
        if seg is None:
            return
        # slots of earlier segments still open end with that segment's last frame
        while not self._full() and self.seg < seg:
            if self.prev is None:
                self._next_segment()  # a segment without a single frame adds nothing
            else:
                self._emit(self.prev[1], self.prev[2])
                if self.seg == seg:
                    break
        if self._full() or seg != self.seg:
            return
        if self.prev is not None and self.prev[0] < self.plan.segments[seg][0]:
            self.prev = None  # belongs to the previous segment
        while not self._full() and self.seg == seg and self._target() <= t:
            target = self._target()
            # ties (0.5x: every other slot falls half-way) go to the earlier frame, allowing for
            # the recording's millisecond rounding, so slow motion shows each frame twice
            if self.prev is not None and target - self.prev[0] <= t - target + TIE_SECONDS:
                self._emit(self.prev[1], self.prev[2])
            else:
                self._emit(frame, pts_ms)
        self.prev = (t, frame, pts_ms)
        self.last_end[seg] = max(self.last_end.get(seg, 0.0), t + 1.0 / OUTPUT_FPS)

    def _segment_of(self, t: float) -> int | None:
        for j, (a, b) in enumerate(self.plan.segments):
            if a - 1e-4 <= t < b:
                return j
        return None

    def finish(self) -> None:
        """Fill the rest of the last segment with its last frame. A segment closed by stop/max
        length ends where the recorder says; an open one (killed process) or one whose camera
        went quiet long before it was closed ends one frame after its last picture (the writer
        flushes the encoder)."""
        if not self._full() and self.prev is not None:
            a, b = self.plan.segments[self.seg]
            last = self.last_end.get(self.seg, a)
            end = b if b - last <= GAP_KEPT else last
            self.counts[self.seg] = min(self.counts[self.seg], int(round((end - a) / self.step + 1e-6)))
            if self.k >= self.counts[self.seg]:
                self._next_segment()
            while not self._full() and self.seg < len(self.counts):
                if self.plan.segments[self.seg][0] > self.prev[0] + GAP_KEPT:
                    break  # later segments without frames add nothing
                self._emit(self.prev[1], self.prev[2])


def finalise(recording, target=None, *, tracking: dict | None = None, write_project: bool = True,
             remove_recording: bool = True) -> FinalisedTake:
    """Finalise `recording` (a .recording.mkv) into `target` (default: the name without the suffix).

    tracking: {recorded pts in ms: tracker RawFrame} computed live; written to the tracking cache of
    the final MP4 so the export does not re-track. Raises CaptureError when there is nothing to
    finalise; the recording is removed only after the MP4 is complete."""
    recording = Path(recording)
    target = Path(target) if target is not None else target_of(recording)
    if not recording.is_file():
        raise CaptureError(f"{recording}: no such recording")
    plan = _plan(recording)
    limit = None if plan.max_seconds is None else int(round(float(plan.max_seconds) * OUTPUT_FPS))
    tmp = target.with_name(f".{target.name}.finalising.mp4")
    try:
        src = RecordingReader(recording)
    except MediaError as exc:
        raise CaptureError(f"{recording}: {exc.problem}") from None
    with src:
        if not src.has_video:
            raise CaptureError(f"{recording}: nothing was recorded (no video)")
        settings = EncodeSettings(src.size[0], src.size[1], Fraction(OUTPUT_FPS), FINAL_CRF, FINAL_PRESET,
                                  FINAL_AUDIO_BITRATE, tag_bt709=False)  # the recording's own colours
        try:
            out = Mp4Writer(tmp, settings, with_audio=src.has_audio)
        except MediaError as exc:
            raise CaptureError(f"{target}: cannot write ({exc.reason or exc.problem})") from None
        try:
            video = _VideoOut(out, plan, limit)
            audio = _AudioOut(out, plan.speed) if src.has_audio else None
            offsets = plan.offsets()
            seen = 0
            for kind, t, pts_ms, payload in src.items():
                if kind == "video":
                    seen += 1
                    video.add(t, payload, pts_ms)
                elif audio is not None:
                    _place_audio(audio, payload, t, plan, offsets)
            if seen == 0:
                raise CaptureError(f"{recording}: nothing was recorded (no frames)")
            video.finish()
            if audio is not None:
                audio.finish(int(round(video.n / OUTPUT_FPS * AUDIO_RATE)))
            out.close()
        except BaseException:
            out.abort()
            tmp.unlink(missing_ok=True)
            raise
    if video.n == 0:
        tmp.unlink(missing_ok=True)
        raise CaptureError(f"{recording}: nothing was recorded (every segment was deleted)")
    try:
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CaptureError(f"{target}: cannot write ({exc.strerror or exc})") from None
    result = FinalisedTake(target, None, video.n, video.n / OUTPUT_FPS, audio is not None, plan.speed,
                           len(plan.segments), source_frames=video.chosen)
    if tracking:
        result.tracked_frames = _store_tracking(target, video.chosen, tracking)
    if write_project:
        result.project = write_take_project(target, video.n, [] if plan.bake else plan.effects, plan.sound,
                                            has_audio=audio is not None)
    if remove_recording:
        recording.unlink(missing_ok=True)
        sidecar_path(recording).unlink(missing_ok=True)
    return result


def _place_audio(audio: _AudioOut, pcm: np.ndarray, t: float, plan: _Plan, offsets: list[float]) -> None:
    n = len(pcm)
    for (a, b), off in zip(plan.segments, offsets):
        lo, hi = max(t, a), min(t + n / AUDIO_RATE, b)
        if hi <= lo:
            continue
        i0 = int(round((lo - t) * AUDIO_RATE))
        i1 = int(round((hi - t) * AUDIO_RATE))
        audio.place(int(round((off + lo - a) * AUDIO_RATE)), pcm[i0:i1])


def _store_tracking(target: Path, chosen: list[int], tracking: dict) -> int:
    """Live tracking -> the tracking cache of the final file, per output frame."""
    from studio.tracking.cache import TrackingCache
    from studio.tracking.tracker import working_size

    parts = frozenset().union(*(r.parts for r in tracking.values()))
    if not parts:
        return 0
    cache = TrackingCache(target, parts)
    stored = 0
    try:
        ws = None
        for n, pts in enumerate(chosen):
            raw = tracking.get(pts) or tracking.get(pts - 1) or tracking.get(pts + 1)
            if raw is None:
                continue  # the preview skipped this frame: the export tracks it from the file
            if raw.mask is not None:
                ws = ws or working_size(cache.size, cache.working_long_side)
                if raw.mask.shape[::-1] != tuple(ws):
                    # the preview ran at another size: keep the landmarks, let the export redo the mask
                    raw = type(raw)(raw.parts - {"segmentation"}, raw.faces, raw.hands, raw.handedness, None)
            cache.put(n, raw)
            stored += 1
        cache.flush()
    finally:
        cache.close()
    return stored


def write_take_project(target: Path, frames: int, effects: list[dict], sound: dict | None = None,
                       has_audio: bool = False) -> Path:
    """TAKE.studio: the take as one clip carrying the effects, so they can be changed after recording.

    Recorded to a sound, the sound is placed from its chosen start under the clip (in sync by
    construction: it played on the take's own clock), and the camera's sound moves to its own
    track, muted, so the creator can bring it back."""
    from studio.model import Clip, EffectRef, Metadata, Project, SoundItem, Timeline, Track, save_project

    refs = tuple(EffectRef(e["id"], dict(e.get("params") or {}), bool(e.get("enabled", True)), e.get("trigger"))
                 for e in effects)
    source = str(target.resolve())
    clip = Clip("take-1", source, 0, frames, effects=refs, source_frames=frames,
                volume=0.0 if sound and has_audio else 1.0)
    tracks = [Track("video", (clip,), name="Video")]
    if sound:
        start = round(float(sound.get("start") or 0.0) * OUTPUT_FPS)
        tracks.append(Track("audio", (SoundItem("sound-1", str(sound["source"]), 0, frames, source_in=start,
                                                loop=False),), name="Sound"))
        if has_audio:
            tracks.append(Track("audio", (SoundItem("camera-1", source, 0, frames, loop=False),),
                                name="Camera sound", muted=True))
    project = Project(name=target.stem, fps=Fraction(OUTPUT_FPS), timeline=Timeline(tuple(tracks)),
                      metadata=Metadata(title=target.stem))
    path = target.with_suffix(".studio")
    save_project(project, path)
    return path


def find_unfinished(folder) -> list[Path]:
    """Recordings in `folder` that a killed process left behind (not ones a live process is writing)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CaptureError(f"{folder}: no such folder")
    return sorted(p for p in folder.glob(f"*{RECORDING_SUFFIX}") if p.is_file() and not is_locked(p))


def recover(path) -> FinalisedTake:
    """Finalise an unfinished recording (the .recording.mkv, or the take's target name)."""
    path = Path(path)
    if not path.name.endswith(RECORDING_SUFFIX):
        path = path.with_name(path.name + RECORDING_SUFFIX)
    if not path.is_file():
        raise CaptureError(f"{path}: no such unfinished recording")
    if is_locked(path):
        raise CaptureError(f"{path}: still being recorded by another process")
    try:
        if path.stat().st_size == 0:
            raise CaptureError(f"{path}: nothing was recorded (stopped before the first frame)")
        if is_stream_recording(path):  # a live stream's safety recording: copied, not re-timed
            done = finish_stream_recording(path)
            return FinalisedTake(done.path, done.project, round(done.duration * OUTPUT_FPS), done.duration,
                                 done.has_audio, 1.0, 1)
        return finalise(path)
    except CaptureError as exc:
        if "nothing was recorded" not in str(exc):
            raise
        # an empty leftover would be offered for recovery at every start: clear it away
        path.unlink(missing_ok=True)
        sidecar_path(path).unlink(missing_ok=True)
        raise CaptureError(f"{exc}; removed it") from None
