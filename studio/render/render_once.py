"""Render once per distinct picture: the batch jobs whose video and audio would come out the same
are rendered once, and every other output of the group is that render's streams copied
(studio.media.stream_copy: no decode, no encode) under its own tags, cover, sidecar and its own
pre-flight against its own preset.

Which jobs share a render is decided from data, never from names:
- the project's content: everything the renderer and the mixer read (the timeline, canvas size
  and rate), not its name, caption, hashtags, creator, cover frame or markers, which only go into
  tags, the cover and the sidecar;
- the preset's fields that the export reads: every field except RULES_ONLY, the ones only
  pre-flight and the window read. A new Preset field therefore splits groups until someone
  decides it is a rule; presets that differ in size, rate or loudness target render separately.
  The length limits are rules: the export never cuts to them, pre-flight reports a video that is
  too long or too short for its platform;
- the encode (quality, CRF) and the soft subtitles' language.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable

from studio.media.stream_copy import copy_with_tags
from studio.model import Project, load_project, project_to_dict

from .export import (CancelToken, ExportOptions, ExportProgress, ExportResult, _check_cancel, _cover_frame,
                     _cover_jpeg, _preflight_failed, export_project, input_files)
from .metadata import caption_lines, json_bytes, mp4_tags, sidecar
from .outputs import OutputSet, check_target, disk_error, output_paths, sweep_dead_parts
from .presets import QUALITY, Preset, get_preset
from .soundtrack import sound_credits

# Preset fields that change what pre-flight says (and what the window shows), not the file
RULES_ONLY = frozenset({"id", "title", "max_seconds", "min_seconds", "caption_chars", "max_hashtags", "safe_zone"})
# Project fields that go into tags, cover and sidecar only
_NOT_RENDERED = ("name", "metadata", "markers", "live")


def render_key(preset: Preset, quality: str = "standard", crf: int | None = None,
               captions_language: str | None = None) -> tuple:
    """What of a job's settings reaches the streams: equal keys (and equal pictures) render once."""
    fields = tuple((f.name, getattr(preset, f.name)) for f in dataclasses.fields(preset) if f.name not in RULES_ONLY)
    x264_preset, default_crf = QUALITY.get(quality, QUALITY["standard"])
    return fields + (("x264", x264_preset, crf or default_crf), ("subtitles", captions_language))


def picture_key(project: Project) -> str:
    """A digest of everything in the project that the render and the mix read."""
    data = project_to_dict(project)  # media paths absolute: two files showing one clip are the same
    for name in _NOT_RENDERED:
        data.pop(name, None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def group_jobs(jobs: list, quality: str = "standard", crf: int | None = None,
               load: Callable[[Path], Project] = load_project) -> list[list]:
    """The batch's jobs in render groups, in the order of their first job. A job whose project
    cannot be read is a group of its own (its export reports why)."""
    groups: dict[object, list] = {}
    for job in jobs:
        try:
            key = (picture_key(load(job.project)),
                   render_key(get_preset(job.preset), quality, crf, getattr(job, "captions_language", None)))
        except Exception:  # noqa: BLE001 - reported by the job's own export, one line
            key = ("alone", job.id)
        groups.setdefault(key, []).append(job)
    return list(groups.values())


def render_master(project: Project, preset: str, folder: Path, *, quality: str, crf: int | None,
                  captions_language: str | None, progress: Callable[[ExportProgress], None] | None,
                  cancel: CancelToken | None, inputs: tuple = ()) -> tuple[ExportResult, bytes]:
    """The group's one render into `folder` (a private temp folder): exactly what a standalone
    export of `project` for `preset` writes, without pre-flight or sidecar. Returns its result and
    its cover JPEG."""
    options = ExportOptions(preset=preset, quality=quality, crf=crf, sidecar=False, preflight=False,
                            keep_failed=True, captions_language=captions_language)
    result = export_project(project, folder / "render.mp4", options, progress=progress, cancel=cancel, inputs=inputs)
    return result, result.cover.read_bytes() if result.cover else b""


def publish_copy(master: ExportResult, master_cover: bytes, master_project: Project, project: Project,
                 preset_name: str, out: str | os.PathLike, *, quality: str = "standard", crf: int | None = None,
                 keep_failed: bool = False, cancel: CancelToken | None = None,
                 inputs: tuple = ()) -> ExportResult:
    """One output of a group: `master`'s streams under `project`'s tags at `out`, with its cover,
    sidecar and pre-flight for `preset_name`; published all together, atomically, as an export is."""
    out = Path(os.path.abspath(out))
    try:
        return _publish_copy(master, master_cover, master_project, project, preset_name, out, quality, crf,
                             keep_failed, cancel, inputs)
    except OSError as exc:
        raise disk_error(exc, out) from None


def _publish_copy(master, master_cover, master_project, project, preset_name, out, quality, crf, keep_failed,
                  cancel, inputs) -> ExportResult:
    preset = get_preset(preset_name)
    x264_preset, default_crf = QUALITY.get(quality, QUALITY["standard"])
    check_target(out, input_files(project, inputs))
    sweep_dead_parts(out.parent)
    created = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    credits = sound_credits(project)
    sidecar_path, cover_path = output_paths(out)
    result = ExportResult(out, master.frames, master.duration, 0.0, dict(master.loudness), extra=dict(master.extra))
    outputs = OutputSet(out.parent)
    try:
        tmp = outputs.part(out)
        copy_with_tags(master.path, tmp, mp4_tags(project, credits, created))
        if _cover_frame(project) == _cover_frame(master_project) and master_cover:
            cover = master_cover  # the same frame of the same picture at the same size
        else:
            cover = _cover_jpeg(project, (preset.width, preset.height))
        outputs.write_bytes(cover_path, cover)
        result.cover = cover_path
        _check_cancel(cancel)
        from .preflight import check_export  # late, as in export.py

        result.preflight = check_export(tmp, project, preset_name, shown_as=out.name).to_dict()
        subtitles = master.extra.get("subtitles")
        outputs.write_bytes(sidecar_path, json_bytes(sidecar(
            project, credits, duration=master.duration, loudness=master.loudness, preset=preset_name,
            preflight=result.preflight, cover=cover_path.name, created=created,
            encode={"video": "h264 high yuv420p", "crf": crf or default_crf, "x264_preset": x264_preset,
                    "audio": "aac-lc 48000 Hz stereo", "subtitles": f"mov_text {subtitles}" if subtitles else None,
                    "rendered_once": True},
            captions=caption_lines(project, master.duration))))
        result.sidecar = sidecar_path
        _check_cancel(cancel)
        if not result.preflight["passed"] and not keep_failed:
            raise _preflight_failed(result.preflight, out)
        outputs.publish()
    finally:
        outputs.discard()
    return result


class MasterFolder:
    """A private temp folder for a group's render, removed with everything in it."""

    def __init__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="studio-render-")
        self.path = Path(self._dir.name)

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc) -> None:
        self._dir.cleanup()


__all__ = ["RULES_ONLY", "MasterFolder", "group_jobs", "picture_key", "publish_copy",
           "render_key", "render_master"]
