"""Export a project to a platform-ready MP4: render frames in a worker thread while the main
thread encodes (x264 runs its own threads), interleave the normalised soundtrack, write
atomically (temp file in the target folder, rename on success, removed on failure or cancel),
then the cover JPEG and the JSON sidecar; all of them are published together (outputs.py).

A project with a Captions track also gets them as a soft subtitle track (mov_text, muxed with the
video, nothing re-encoded; `soft_subtitles=False` leaves it out) and listed in the sidecar. The
track is written for every preset: TikTok, Reels and Shorts re-encode uploads and ignore extra
tracks (none of their published specs refuses one), while players that read MP4 text tracks
(QuickTime, iOS, VLC, TVs) can switch them on."""
from __future__ import annotations

import datetime as dt
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable, Protocol

import cv2

from studio.media.encode import EncodeSettings, Mp4Writer, encode_fitted_aac
from studio.media.loudness import measure
from studio.media.soft_subtitles import Cue, SoftSubtitles
from studio.model import Project, is_library_ref, kind_of

from .canvas import I420, RGB
from .compositor import Renderer
from .errors import Cancelled, ExportError, PreflightFailed
from .metadata import caption_lines, json_bytes, mp4_tags, sidecar
from .outputs import OutputSet, check_target, disk_error, output_paths, sweep_dead_parts
from .presets import QUALITY, get_preset
from .soundtrack import RATE, build_soundtrack, sound_credits
from .validate import check_references


class CancelToken(Protocol):
    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class ExportProgress:
    stage: str          # "checking" | "audio" | "video" | "finishing" | "done"
    done: int
    total: int
    elapsed: float
    eta: float | None   # seconds left, None until it can be estimated

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass(frozen=True)
class ExportOptions:
    preset: str = "tiktok"
    quality: str = "standard"
    crf: int | None = None
    cover: bool = True
    sidecar: bool = True
    preflight: bool = True
    keep_failed: bool = False  # publish even when pre-flight finds errors (the window decides with the report shown)
    soft_subtitles: bool = True  # the Captions track also as an MP4 subtitle track (mov_text)
    captions_language: str | None = None  # its language ("en"); None: "und" (undetermined)
    # more files published with the video, all or nothing: (suffix, content), e.g. (".srt", b"...")
    # next to OUT.mp4 as OUT.srt (the command line's --captions-file makes them with studio.captions)
    side_files: tuple[tuple[str, bytes], ...] = ()


@dataclass
class ExportResult:
    path: Path
    frames: int
    duration: float
    seconds: float
    loudness: dict
    sidecar: Path | None = None
    cover: Path | None = None
    preflight: dict | None = None
    extra: dict = field(default_factory=dict)


def input_files(project: Project, extra: tuple[str | os.PathLike, ...] = ()) -> list[Path]:
    """Every file the export reads: media, sticker files, effect files (looks, backgrounds), plus
    `extra` (the project file). An output may never be one of them."""
    files = [Path(p) for p in extra]
    for item in project.timeline.all_items():
        kind = kind_of(item)
        for name in kind.media_fields:
            value = getattr(item, name)
            if isinstance(value, str) and not is_library_ref(value):
                files.append(Path(value))
        for ref in kind.effects(item):
            files.extend(Path(v) for v in ref.params.values()
                         if isinstance(v, str) and v and not is_library_ref(v))
    return files


def export_project(project: Project, out: str | os.PathLike, options: ExportOptions = ExportOptions(),
                   progress: Callable[[ExportProgress], None] | None = None,
                   cancel: CancelToken | None = None,
                   inputs: tuple[str | os.PathLike, ...] = ()) -> ExportResult:
    """`inputs`: files besides the project's media that the output must not replace (the project file)."""
    out = Path(os.path.abspath(out))
    try:
        return _export(project, out, options, progress or (lambda p: None), cancel, inputs)
    except OSError as exc:  # the disk refused a write: full, quota, read-only, I/O error
        raise disk_error(exc, out) from None


def _export(project: Project, out: Path, options: ExportOptions, report, cancel, inputs) -> ExportResult:
    preset = get_preset(options.preset)
    x264_preset, default_crf = QUALITY.get(options.quality, QUALITY["standard"])
    started = time.monotonic()
    report(ExportProgress("checking", 0, 1, 0.0, None))
    check_target(out, input_files(project, inputs))
    _check_side_files(out, options.side_files, input_files(project, inputs))
    infos = check_references(project)
    sweep_dead_parts(out.parent)

    out_fps = Fraction(preset.fps)
    total = max(1, int(project.duration_seconds * out_fps))
    captions = caption_lines(project, float(Fraction(total) / out_fps))
    subtitles = None
    if options.soft_subtitles and captions:
        subtitles = SoftSubtitles(tuple(Cue(c["text"], c["start"], c["end"]) for c in captions),
                                  options.captions_language)
    report(ExportProgress("audio", 0, total, time.monotonic() - started, None))
    created = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    credits = sound_credits(project)
    settings = EncodeSettings(preset.width, preset.height, out_fps, options.crf or default_crf, x264_preset,
                              metadata=mp4_tags(project, credits, created))
    sidecar_path, cover_path = output_paths(out)
    outputs = OutputSet(out.parent)
    try:
        tmp = outputs.part(out)
        writer = Mp4Writer(tmp, settings, with_audio=True, subtitles=subtitles)
        # A short's soundtrack is mixed, normalised and AAC-encoded while the first video frames
        # encode (~1 s saved on a 30 s short). A long one is done first: its mix buffers (~70 MB a
        # minute while normalising) would otherwise add to the encoder's memory at the peak.
        soundtrack = _SoundtrackJob(project, preset, writer, infos, background=total <= OVERLAP_AUDIO_FRAMES)
        try:
            # the render thread also makes the cover, with the sources and caches of the video
            cover = _encode_frames(project, writer, total, out_fps, (preset.width, preset.height), report, cancel,
                                   started, soundtrack, _cover_frame(project) if options.cover else None)
            writer.queue_audio(soundtrack.result())
            report(ExportProgress("finishing", total, total, time.monotonic() - started, 0.0))
            writer.close()
            _check_cancel(cancel)  # a cancel during the flush still counts
        except BaseException:
            soundtrack.join()  # the audio thread must stop using the encoder before it is closed
            writer.abort()
            raise
        loudness = soundtrack.loudness
        duration = float(Fraction(total) / out_fps)
        result = ExportResult(out, total, duration, 0.0, loudness)
        result.extra.update(captions=len(captions), subtitles=writer.subtitles.language if writer.subtitles else None)
        if options.cover:
            outputs.write_bytes(cover_path, cover if cover is not None
                                else _cover_jpeg(project, (preset.width, preset.height)))
            result.cover = cover_path
        for suffix, data in options.side_files:
            outputs.write_bytes(out.with_suffix(suffix), data)
            result.extra.setdefault("files", []).append(out.with_suffix(suffix))
        if options.preflight:
            _check_cancel(cancel)  # pre-flight decodes the whole file: not worth it once cancelled
            from .preflight import check_export  # late: preflight decodes the result, export must not depend on it
            result.preflight = check_export(tmp, project, options.preset, shown_as=out.name).to_dict()
        if options.sidecar:
            outputs.write_bytes(sidecar_path, json_bytes(sidecar(
                project, credits, duration=duration, loudness=loudness, preset=options.preset,
                preflight=result.preflight, cover=result.cover.name if result.cover else None, created=created,
                encode={"video": "h264 high yuv420p", "crf": settings.crf, "x264_preset": settings.preset,
                        "audio": "aac-lc 48000 Hz stereo",
                        "subtitles": f"mov_text {writer.subtitles.language}" if writer.subtitles else None},
                captions=captions)))
            result.sidecar = sidecar_path
        _check_cancel(cancel)
        if result.preflight is not None and not result.preflight["passed"] and not options.keep_failed:
            raise _preflight_failed(result.preflight, out)
        # all or nothing: the video, cover and sidecar replace what was there only together
        outputs.publish()
    finally:
        outputs.discard()  # temp files of a failed or cancelled export; nothing after a publish
    result.seconds = time.monotonic() - started
    report(ExportProgress("done", total, total, result.seconds, 0.0))
    return result


def _check_side_files(out: Path, side_files, inputs: list[Path]) -> None:
    from .outputs import refuse_inputs

    taken = {out.suffix.lower(), *(p.name[len(out.stem):].lower() for p in output_paths(out))}
    for suffix, _ in side_files:
        if not suffix.startswith(".") or "/" in suffix or suffix.lower() in taken:
            raise ExportError(f"{out.stem}{suffix}: not a file the export can write beside {out.name}")
        target = out.with_suffix(suffix)
        if target.is_dir():
            raise ExportError(f"{target}: is a folder; choose another output name")
        refuse_inputs(target, inputs)


def _preflight_failed(report: dict, out: Path) -> PreflightFailed:
    first = next(f["message"] for f in report["findings"] if f["level"] == "error")
    more = f" (and {report['errors'] - 1} more)" if report["errors"] > 1 else ""
    return PreflightFailed(f"{out.name}: not ready for {report['preset']}: {first}{more}; nothing was written "
                           f"(--keep-failed writes it anyway)", report)


def _check_cancel(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("export cancelled")


def _finite(value: float) -> float | None:
    return round(value, 2) if value not in (float("inf"), float("-inf")) and value == value else None


def _cover_frame(project: Project) -> int:
    return min(max(project.metadata.cover_frame, 0), max(project.duration - 1, 0))


def _cover_jpeg(project: Project, size: tuple[int, int], renderer: Renderer | None = None) -> bytes:
    """The cover: frame `metadata.cover_frame` as a JPEG. The export passes the renderer that made
    the video, whose sources, follow path, LUTs and overlays are ready (a new one costs ~0.6 s)."""
    if renderer is None:
        with Renderer() as renderer:
            return _cover_jpeg(project, size, renderer)
    rgb = renderer.render(project, _cover_frame(project), size, RGB)
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
    if not ok:
        raise ExportError("cannot encode the cover image")
    return data.tobytes()


_DONE = object()
OVERLAP_AUDIO_FRAMES = 60 * 30  # up to a minute at 30 fps
# A background soundtrack starts once the first frame is rendered, or after this long without one.
# Its first seconds are Python (importing scipy, ~0.7 s), which would take turns on the GIL with
# the render thread's own Python work before the first frame (the follow pan's planning: 0.4 s
# became 1.1 s); a first frame that takes longer is MediaPipe tracking the clip, which releases
# the GIL, so the audio then overlaps it.
AUDIO_START_WAIT_S = 1.0


class _SoundtrackJob:
    """Builds the soundtrack and its AAC packets in a thread; `ready` once they can be muxed.
    In the background it runs from `start()` on (the video's first frame); otherwise it is done
    before the constructor returns."""

    def __init__(self, project: Project, preset, writer: Mp4Writer, infos: dict, background: bool):
        self.loudness: dict = {}
        self._packets: list | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(project, preset, writer, infos),
                                        name="studio-soundtrack", daemon=True)
        if not background:
            self.start()
            self._thread.join()

    def start(self) -> None:
        if not self.started:
            self._thread.start()

    @property
    def started(self) -> bool:
        return self._thread.ident is not None

    def _run(self, project: Project, preset, writer: Mp4Writer, infos: dict) -> None:
        try:
            track = build_soundtrack(project, preset.target_lufs, preset.max_true_peak, infos)
            loudness = track.loudness
            if track.has_audio:
                # the try that keeps the true peak under the ceiling through AAC is the encode
                fitted = encode_fitted_aac(track.samples, preset.max_true_peak, writer.settings.audio_bitrate)
                self._packets = fitted.packets
                # report what the file plays, not what went into the encoder
                loudness = measure(fitted.decoded, RATE, peak=fitted.true_peak)
            else:
                self._packets = writer.encode_audio(track.samples)
            self.loudness = {"integrated_lufs": _finite(loudness.integrated_lufs),
                             "true_peak_dbtp": _finite(loudness.true_peak_dbtp),
                             "has_audio": track.has_audio}
        except BaseException as exc:  # re-raised in the exporting thread by result()
            self._error = exc
        finally:
            self._done.set()

    @property
    def ready(self) -> bool:
        return self._done.is_set()

    def join(self) -> None:
        if self.started:
            self._thread.join()

    def result(self) -> list:
        """The AAC packets (waits for them); raises what the thread raised."""
        self.start()
        self._done.wait()
        if self._error is not None:
            raise self._error
        packets, self._packets = self._packets or [], None
        return packets


def _encode_frames(project: Project, writer: Mp4Writer, total: int, out_fps: Fraction,
                   size: tuple[int, int], report, cancel, started: float, soundtrack: _SoundtrackJob,
                   cover_frame: int | None = None) -> bytes | None:
    """Producer/consumer: the render thread stays a few frames ahead of the encoder. With
    `cover_frame`, the render thread also makes the cover JPEG (returned) as it passes that frame."""
    frames: queue.Queue = queue.Queue(maxsize=4)
    stop = threading.Event()
    ratio = project.fps / out_fps
    cover: list[bytes] = []

    def put(item) -> None:
        # never block for good: once the consumer has stopped nobody takes from the queue
        while not stop.is_set():
            try:
                frames.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            with Renderer() as renderer:
                for k in range(total):
                    if stop.is_set():
                        return
                    index = int(k * ratio)
                    put(renderer.render(project, index, size, I420))
                    if index == cover_frame and not cover:  # its source picture is still cached
                        cover.append(_cover_jpeg(project, size, renderer))
                if cover_frame is not None and not cover:  # a frame the output rate skipped
                    cover.append(_cover_jpeg(project, size, renderer))
            put(_DONE)
        except BaseException as exc:  # handed to the consumer, which re-raises it in the caller's thread
            put(exc)

    worker = threading.Thread(target=produce, name="studio-render", daemon=True)
    worker.start()
    last_report = 0.0
    video_started = time.monotonic()
    audio_queued = False
    try:
        for k in range(total):
            _check_cancel(cancel)
            if soundtrack.started:
                item = frames.get()
            else:
                try:
                    item = frames.get(timeout=AUDIO_START_WAIT_S)
                except queue.Empty:
                    soundtrack.start()
                    item = frames.get()
            if isinstance(item, BaseException):
                raise item
            if item is _DONE:
                raise ExportError("renderer stopped early")
            soundtrack.start()
            writer.write_i420(item)
            if soundtrack.ready:
                if not audio_queued:
                    writer.queue_audio(soundtrack.result())
                    audio_queued = True
                writer.mux_audio_until(float(Fraction(k + 1) / out_fps))
            now = time.monotonic()
            if now - last_report > 0.1 or k == total - 1:
                last_report = now
                rate = (k + 1) / max(now - video_started, 1e-6)  # frames per second of the encode alone
                report(ExportProgress("video", k + 1, total, now - started,
                                      (total - k - 1) / rate if k > 5 else None))
    finally:
        stop.set()
        worker.join(timeout=10)
    return cover[0] if cover else None
