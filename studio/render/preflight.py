"""Pre-flight: check an exported file or a project against a platform preset before uploading.

Every finding has a level: "error" (the platform will reject or badly mangle it), "warning"
(it will post but lose reach or look wrong) or "info". Limits and their sources: presets.py."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np

from studio.media.audio import load_audio
from studio.media.errors import MediaError
from studio.media.loudness import measure
from studio.media.mp4_boxes import moov_before_mdat
from studio.media.probe import probe
from studio.media.tags import read_tags
from studio.model import Clip, Metadata, Project, TextItem

from .canvas import RGB
from .compositor import Renderer
from .presets import Preset, get_preset

HOOK_SECONDS = 3  # viewers decide in the first seconds whether to keep watching


@dataclass(frozen=True)
class Finding:
    level: str
    code: str
    message: str


@dataclass
class PreflightReport:
    target: str
    preset: str
    findings: list[Finding] = field(default_factory=list)
    measured: dict = field(default_factory=dict)

    def add(self, level: str, code: str, message: str) -> None:
        self.findings.append(Finding(level, code, message))

    @property
    def passed(self) -> bool:
        return not any(f.level == "error" for f in self.findings)

    def to_dict(self) -> dict:
        return {"target": self.target, "preset": self.preset, "passed": self.passed,
                "errors": sum(f.level == "error" for f in self.findings),
                "warnings": sum(f.level == "warning" for f in self.findings),
                "findings": [asdict(f) for f in self.findings], "measured": self.measured}


# ------------------------------------------------------------------ shared checks

def _check_length(report: PreflightReport, seconds: float, preset: Preset) -> None:
    report.measured["duration"] = round(seconds, 3)
    if seconds > preset.max_seconds:
        report.add("error", "too_long", f"{seconds:.1f} s is longer than {preset.title}'s limit of {preset.max_seconds:.0f} s")
    elif seconds < preset.min_seconds:
        report.add("error", "too_short", f"{seconds:.1f} s is shorter than {preset.title}'s minimum of {preset.min_seconds:.0f} s")


def _check_caption(report: PreflightReport, meta: Metadata, preset: Preset) -> None:
    caption = meta.full_caption()
    tags = meta.all_hashtags()
    report.measured.update(caption_chars=len(caption), hashtags=len(tags))
    if len(caption) > preset.caption_chars:
        report.add("error", "caption_too_long", f"caption has {len(caption)} characters; {preset.title} allows {preset.caption_chars}")
    if len(tags) > preset.max_hashtags:
        report.add("error", "too_many_hashtags", f"{len(tags)} hashtags; {preset.title} allows {preset.max_hashtags}")
    if not caption:
        report.add("warning", "no_caption", "no caption: a line of text and a few hashtags help people find the video")
    elif not tags:
        report.add("info", "no_hashtags", "the caption has no hashtags")


def _check_loudness(report: PreflightReport, lufs: float | None, peak: float | None, preset: Preset) -> None:
    if lufs is None:
        return
    report.measured.update(integrated_lufs=round(lufs, 2), true_peak_dbtp=None if peak is None else round(peak, 2))
    if abs(lufs - preset.target_lufs) > 2:
        report.add("warning", "loudness", f"loudness {lufs:.1f} LUFS; {preset.title} plays back at about {preset.target_lufs:.0f} LUFS")
    if peak is not None and peak > preset.max_true_peak + 0.5:
        report.add("warning", "true_peak", f"true peak {peak:.1f} dBTP is above {preset.max_true_peak:.0f} dBTP: may clip after re-encoding")


def _hook(report: PreflightReport, frames: list[np.ndarray], has_text: bool | None) -> None:
    """Warn when the opening seconds have no text, no face and little motion."""
    if not frames:
        return
    small = [cv2.resize(cv2.cvtColor(f, cv2.COLOR_RGB2GRAY), (90, 160), interpolation=cv2.INTER_AREA) for f in frames]
    motion = float(np.mean([np.mean(cv2.absdiff(a, b)) for a, b in zip(small, small[1:])])) if len(small) > 1 else 0.0
    # a face only matters when there is no text and little motion: otherwise the warning cannot
    # fire, and MediaPipe's start-up (about a second) is not spent ("face": None = not looked for)
    face = _any_face(frames) if not has_text and motion < 4.0 else None
    report.measured["hook"] = {"text": has_text, "face": face, "motion": round(motion, 2)}
    if not has_text and not face and motion < 4.0:
        report.add("warning", "weak_hook", f"the first {HOOK_SECONDS} s have no text, no face and little motion: "
                   "open with a title or movement so viewers stay")


def _any_face(frames: list[np.ndarray]) -> bool:
    from studio.tracking.tracker import Tracker  # MediaPipe loads only when a check needs it
    tracker = Tracker()
    try:
        return any(tracker.track(f, i / 2, needs=frozenset({"face"})).faces for i, f in enumerate(frames[::2]))
    finally:
        tracker.close()


# ------------------------------------------------------------------ projects

def text_boxes(project: Project, renderer: Renderer) -> list[tuple[TextItem, tuple[int, int, int, int]]]:
    """Where each text item sits (x0, y0, x1, y1 in project pixels) once its in-animation is over."""
    cache = renderer.overlay_cache(RGB)
    boxes = []
    for item in project.timeline.all_items():
        if isinstance(item, TextItem) and item.content.strip():
            local = min(item.duration - 1, max(item.anim_frames, item.duration // 2))
            placed = cache.text(item, local, project.width, project.height, project.width, RGB)
            if placed is None:
                continue
            alpha = placed.sprite.planes[0][1]
            ys, xs = np.nonzero(alpha > 16)
            if len(xs):
                boxes.append((item, (placed.x + int(xs.min()), placed.y + int(ys.min()),
                                     placed.x + int(xs.max()) + 1, placed.y + int(ys.max()) + 1)))
    return boxes


def _check_safe_zone(report: PreflightReport, project: Project, preset: Preset, renderer: Renderer) -> None:
    safe = preset.safe_zone.rect(project.width, project.height)
    for item, (x0, y0, x1, y1) in text_boxes(project, renderer):
        if x0 < safe[0] or y0 < safe[1] or x1 > safe[2] or y1 > safe[3]:
            report.add("warning", "text_outside_safe_zone",
                       f"text '{item.content[:30]}' reaches outside {preset.title}'s safe zone, where buttons cover it")


def _check_glyphs(report: PreflightReport, project: Project) -> None:
    """Characters that no font here can show would be drawn as empty boxes (tofu)."""
    from studio.library.errors import LibraryError
    from studio.library.fonts import fallback_fonts, is_bold, package_for
    from studio.library.styles import get_style

    from .text import glyph_codes, missing_glyphs

    for item in project.timeline.all_items():
        if not isinstance(item, TextItem) or not item.content.strip():
            continue
        try:
            style = get_style(item.style)
        except LibraryError:
            continue  # an unknown style is reported where the project is checked
        missing = missing_glyphs(item.content, style)
        if not missing:
            continue
        shown = ", ".join(f"{c} ({glyph_codes(c)})" for c in missing[:5]) + (", …" if len(missing) > 5 else "")
        absent = fallback_fonts(is_bold(style.font_path)).missing
        wanted = sorted({package_for(ord(c[0])) for c in missing} & set(absent))
        hint = f"; install {', '.join(wanted)} (./setup.sh does)" if wanted else ""
        snippet = item.content if len(item.content) <= 30 else item.content[:29] + "…"
        report.add("warning", "missing_glyphs", f"text “{snippet}”: no font here shows {shown}{hint}")


def check_project(project: Project, preset_name: str = "tiktok") -> PreflightReport:
    from .validate import check_references

    preset = get_preset(preset_name)
    report = PreflightReport(project.name, preset.id)
    infos = check_references(project)
    _check_length(report, float(project.duration_seconds), preset)
    _check_caption(report, project.metadata, preset)
    if (project.width, project.height) != (preset.width, preset.height):
        report.add("info", "canvas", f"canvas {project.width}x{project.height} is scaled to {preset.width}x{preset.height}")
    _check_glyphs(report, project)
    with Renderer() as renderer:
        _check_safe_zone(report, project, preset, renderer)
        hook_end = min(project.duration, round(HOOK_SECONDS * project.fps))
        step = max(1, hook_end // 6)
        frames = [renderer.render(project, f, (270, 480)) for f in range(0, hook_end, step)]
    has_text = any(isinstance(i, TextItem) and i.start < hook_end and i.content.strip()
                   for i in project.timeline.all_items())
    _hook(report, frames, has_text)
    has_sound = any(not isinstance(i, (Clip, TextItem)) and getattr(i, "source", None) for i in project.timeline.all_items())
    if not has_sound and not any(isinstance(i, Clip) and infos[i.source].has_audio for i in project.timeline.all_items()):
        report.add("warning", "no_audio", "nothing on the timeline makes a sound: videos with sound reach more people")
    return report


# ------------------------------------------------------------------ files

def check_file(path: str | Path, preset_name: str = "tiktok", project: Project | None = None,
               shown_as: str | None = None) -> PreflightReport:
    """`shown_as`: the name the report gives the file (an export checks its temp file under the
    name it is published as; a published report names no local folder)."""
    path = Path(path)
    preset = get_preset(preset_name)
    report = PreflightReport(shown_as or str(path), preset.id)
    info = probe(path)
    if not info.has_video:
        raise MediaError(f"{path}: has no video stream")
    _check_length(report, info.duration, preset)
    report.measured.update(width=info.width, height=info.height, fps=float(info.fps or 0),
                           video_codec=info.video_codec, pix_fmt=info.pix_fmt)
    if info.width * 16 != info.height * 9:
        report.add("error", "aspect", f"{info.width}x{info.height} is not 9:16 vertical")
    elif (info.width, info.height) != (preset.width, preset.height):
        report.add("warning", "size", f"{info.width}x{info.height}: {preset.title} recommends {preset.width}x{preset.height}")
    if info.vfr or info.fps is None or abs(float(info.fps) - preset.fps) > 0.01:
        report.add("warning", "fps", f"frame rate {float(info.fps or 0):.3f}{' (variable)' if info.vfr else ''}: "
                   f"{preset.title} prefers constant {preset.fps} fps")
    if info.video_codec != "h264":
        report.add("error", "video_codec", f"video codec {info.video_codec}: use H.264")
    if info.pix_fmt != "yuv420p":
        report.add("warning", "pix_fmt", f"pixel format {info.pix_fmt}: use yuv420p (8-bit 4:2:0)")
    if moov_before_mdat(path) is False:
        report.add("warning", "faststart", "the index (moov) is at the end: playback waits for the whole download")
    tags = read_tags(path).container
    report.measured["audio_codec"] = info.audio_codec if info.has_audio else None
    if not info.has_audio:
        report.add("warning", "no_audio", "no audio track: videos with sound reach more people")
    else:
        if info.audio_codec != "aac":
            report.add("error", "audio_codec", f"audio codec {info.audio_codec}: use AAC")
        loud = measure(load_audio(path), 48000)
        if not np.isfinite(loud.integrated_lufs) or loud.integrated_lufs < -50:
            report.add("warning", "silent_audio", "the audio track is silent: add a sound so the video plays with sound")
        _check_loudness(report, loud.integrated_lufs if np.isfinite(loud.integrated_lufs) else None,
                        loud.true_peak_dbtp if np.isfinite(loud.true_peak_dbtp) else None, preset)
    _check_subtitles(report, path, project, info.duration, preset)
    meta = project.metadata if project else _metadata_from(path, tags)
    _check_caption(report, meta, preset)
    if project is not None:
        _check_glyphs(report, project)
        with Renderer() as renderer:
            _check_safe_zone(report, project, preset, renderer)
    has_text = None
    if project is not None:
        hook_end = round(HOOK_SECONDS * project.fps)
        has_text = any(isinstance(i, TextItem) and i.start < hook_end for i in project.timeline.all_items())
    _hook(report, _opening_frames(path), has_text)
    return report


def _check_subtitles(report: PreflightReport, path: Path, project: Project | None, duration: float,
                     preset: Preset) -> None:
    """A soft subtitle track is fine for every platform (they ignore it); it should be mov_text,
    the one text format MP4 players read, and hold the project's captions."""
    from studio.media.soft_subtitles import read_soft_subtitles

    from .metadata import caption_lines

    streams = read_soft_subtitles(path)
    if not streams:
        return
    report.measured["subtitles"] = [{"codec": s.codec, "language": s.language, "cues": len(s.cues)} for s in streams]
    for s in streams:
        if s.codec != "mov_text":
            report.add("warning", "subtitle_codec", f"a {s.codec} subtitle track: MP4 players read only mov_text")
        elif not s.cues:
            report.add("warning", "empty_subtitles", "the subtitle track holds no captions")
        else:
            report.add("info", "soft_subtitles", f"soft subtitles: {len(s.cues)} captions ({s.language}) for "
                       f"players that show MP4 text tracks; {preset.title} shows only what is in the picture")
    timed = next((s for s in streams if s.codec == "mov_text" and s.cues), None)
    if project is not None and timed is not None:
        frame = 1 / float(project.fps)
        expected = caption_lines(project, duration)
        same = len(expected) == len(timed.cues) and all(
            c.text.split() == e["text"].split() and abs(c.start - e["start"]) <= frame for c, e in zip(timed.cues, expected))
        if not same:
            report.add("warning", "subtitles_differ", "the soft subtitles differ from the project's Captions track")


def _metadata_from(path: Path, tags: dict) -> Metadata:
    """Caption from the sidecar written by Studio, else from the MP4 comment tag."""
    side = path.with_suffix(".json")
    if side.is_file():
        try:
            data = json.loads(side.read_text(encoding="utf-8"))
            return Metadata(caption=str(data.get("caption", "")), creator=str(data.get("creator", "")))
        except (OSError, ValueError):
            pass
    return Metadata(caption=tags.get("comment", ""), creator=tags.get("artist", ""))


def _opening_frames(path: Path) -> list[np.ndarray]:
    from studio.media.decode import open_visual

    with open_visual(path) as reader:
        return [cv2.resize(reader.frame_at(t / 2), (270, 480), interpolation=cv2.INTER_AREA)
                for t in range(0, HOOK_SECONDS * 2)]


def check_export(path: Path, project: Project, preset_name: str, shown_as: str) -> PreflightReport:
    return check_file(path, preset_name, project, shown_as)
