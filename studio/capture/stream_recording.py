"""The safety recording of a live stream: what was sent to the viewers, kept on disk whatever
happens to the network. It is written (by studio.live) as `LIVE.mp4.recording.mkv`, the same
crash-safe Matroska a take uses, with `LIVE.mp4.recording.json` beside it saying it is a live
recording and holding the highlight markers set while live (rewritten atomically at each one, so
a killed process keeps them).

Finishing it is a stream copy, not a re-encode (an hour of stream is an MP4 in seconds):
LIVE.mp4, and LIVE.studio with the recording as one clip and each highlight as a marker, ready for
"Make shorts". `studio recover` finishes one a killed process left, like a take.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from studio.capture.errors import CaptureError
from studio.capture.writer import read_sidecar, sidecar_path, target_of, write_sidecar
from studio.media.errors import MediaError
from studio.media.stream_copy import remux_to_mp4

KIND = "live"
FPS = 30


@dataclass(frozen=True)
class Highlight:
    seconds: float  # into the recording
    name: str = ""


def is_stream_recording(recording: Path) -> bool:
    info = read_sidecar(sidecar_path(recording))
    return bool(info) and info.get("kind") == KIND


def write_stream_sidecar(recording: Path, info: dict, highlights: list[Highlight]) -> None:
    """The sidecar with the highlights so far (`info`: the stream's settings, never its key)."""
    data = dict(info, kind=KIND, version=1, target=target_of(recording).name,
                highlights=[{"seconds": round(h.seconds, 3), "name": h.name} for h in highlights])
    write_sidecar(sidecar_path(recording), data)


def read_highlights(recording: Path) -> list[Highlight]:
    info = read_sidecar(sidecar_path(recording)) or {}
    out = []
    for h in info.get("highlights") or []:
        try:
            out.append(Highlight(max(0.0, float(h["seconds"])), str(h.get("name") or "")))
        except (KeyError, TypeError, ValueError):
            continue  # a hand-damaged entry: the others are still worth keeping
    return sorted(out, key=lambda h: h.seconds)


@dataclass(frozen=True)
class FinishedStream:
    path: Path
    project: Path
    duration: float
    highlights: tuple[Highlight, ...]
    has_audio: bool


def finish_stream_recording(recording: Path) -> FinishedStream:
    """LIVE.mp4 and LIVE.studio from the safety recording; the .mkv and its sidecar are removed
    only once both are written."""
    recording = Path(recording)
    target = target_of(recording)
    highlights = read_highlights(recording)
    try:
        copied = remux_to_mp4(recording, target)
    except MediaError as exc:
        raise CaptureError(f"{recording.name}: cannot be finished ({exc.problem})") from None
    project = write_stream_project(target, copied.duration, highlights, has_audio=copied.audio_packets > 0)
    recording.unlink(missing_ok=True)
    sidecar_path(recording).unlink(missing_ok=True)
    return FinishedStream(target, project, copied.duration, tuple(highlights), copied.audio_packets > 0)


def write_stream_project(target: Path, duration: float, highlights: list[Highlight], has_audio: bool) -> Path:
    """LIVE.studio: the whole recording as one clip, each highlight a marker named after it."""
    from studio.model import Clip, Marker, Metadata, Project, Timeline, Track, save_project

    frames = max(1, round(duration * FPS))
    # (a landscape stream fills the 9:16 canvas centred; "Make shorts" follows the subject instead)
    clip = Clip("live-1", str(target.resolve()), 0, frames, source_frames=frames, volume=1.0 if has_audio else 0.0)
    markers = tuple(Marker(min(frames - 1, round(h.seconds * FPS)), h.name or f"Highlight {i}")
                    for i, h in enumerate(highlights, start=1))
    project = Project(name=target.stem, fps=Fraction(FPS), timeline=Timeline((Track("video", (clip,), name="Video"),)),
                      metadata=Metadata(title=target.stem), markers=tuple(sorted(markers, key=lambda m: m.frame)))
    path = target.with_suffix(".studio")
    save_project(project, path)
    return path
