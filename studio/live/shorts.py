"""Highlights to shorts: each marker of a project (the highlights set while live, or any marker
set in Edit mode) becomes a 9:16 short around it, through the engine's own steps: the project's
part (studio.model.ranges, as an I/O-range export cuts it), a landscape source followed by the
subject-following crop that `studio quick` uses, captions of the speech when asked for, then the
export with its pre-flight.

A short starts BEFORE seconds before its marker (a creator presses the hotkey after the moment,
not before it) and ends AFTER seconds after it, kept inside the recording and at least
MIN_SECONDS long where the recording allows.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from studio.model import Clip, Marker, Project
from studio.model.ranges import part_of

BEFORE = 20.0
AFTER = 10.0
MIN_SECONDS = 5.0


@dataclass(frozen=True)
class ShortPlan:
    marker: Marker
    start: int  # project frames, end exclusive
    end: int
    name: str  # file name stem

    def seconds(self, fps) -> float:
        return (self.end - self.start) / float(fps)


@dataclass
class ShortResult:
    plan: ShortPlan
    path: Path | None
    passed: bool | None  # the pre-flight's verdict; None when it did not run
    problems: list[str]
    error: str | None = None


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-")[:40] or "highlight"


def plan_shorts(project: Project, before: float = BEFORE, after: float = AFTER,
                min_seconds: float = MIN_SECONDS) -> list[ShortPlan]:
    """One short per marker, in marker order."""
    fps, total = project.fps, project.duration
    plans, used = [], set()
    for index, marker in enumerate(project.markers, start=1):
        start = max(0, marker.frame - round(before * fps))
        end = min(total, marker.frame + round(after * fps))
        need = round(min_seconds * fps) - (end - start)
        if need > 0:  # too short: grow both ways, the part an end of the recording stops the other way
            start, end = start - need // 2, end + need - need // 2
            if start < 0:
                start, end = 0, end - start
            if end > total:
                start, end = max(0, start - (end - total)), total
        if end <= start:
            continue
        stem = f"{_slug(project.name)}-{index:02d}-{_slug(marker.name or 'highlight')}"
        while stem in used:
            stem += "-b"
        used.add(stem)
        plans.append(ShortPlan(marker, start, end, stem))
    return plans


def short_project(project: Project, plan: ShortPlan, follow: Callable[[str], bool] | None = None) -> Project:
    """The part of `project` for `plan`, named after the highlight; landscape clips for which
    `follow(source)` says there is a subject get the subject-following crop."""
    part = part_of(project, plan.start, plan.end)
    title = f"{project.name} — {plan.marker.name or 'highlight'}"
    tracks = []
    for track in part.timeline.tracks:
        items = []
        for item in track.items:
            if isinstance(item, Clip) and item.fit == "fill" and follow is not None and follow(item.source):
                item = dataclasses.replace(item, fit="follow")
            items.append(item)
        tracks.append(dataclasses.replace(track, items=tuple(items)))
    return dataclasses.replace(part, name=title, timeline=dataclasses.replace(part.timeline, tracks=tuple(tracks)),
                               metadata=dataclasses.replace(part.metadata, title=title), markers=())


def _landscape_subject(source: str) -> bool:
    from studio.media.probe import probe
    from studio.quick import quick_fit

    try:
        info = probe(source)
    except Exception:  # a missing source is the export's error to report, with its name
        return False
    return quick_fit(source, info.width, info.height) == "follow"


def make_shorts(project: Project, out_dir: str | Path, *, preset: str = "tiktok", before: float = BEFORE,
                after: float = AFTER, auto_captions=None, progress: Callable[[int, int, str], None] | None = None,
                cancel=None) -> list[ShortResult]:
    """Exports a short per marker into `out_dir`; one failing short does not stop the others.
    `auto_captions`: a studio.captions.quick_step.AutoCaptions to caption each short's speech.
    `progress(done, total, line)` hears each step; `cancel.is_set()` stops between shorts."""
    from studio.media.errors import MediaError
    from studio.model import EditError
    from studio.render.errors import Cancelled, ExportError, PreflightFailed
    from studio.render.export import ExportOptions, export_project

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plans = plan_shorts(project, before, after)
    say = progress or (lambda done, total, line: None)
    results = []
    for done, plan in enumerate(plans):
        if cancel is not None and cancel.is_set():
            break
        say(done, len(plans), f"short {done + 1} of {len(plans)}: {plan.marker.name or 'highlight'}")
        out = out_dir / f"{plan.name}.mp4"
        try:
            short = short_project(project, plan, follow=_landscape_subject)
            if auto_captions is not None:
                from studio.captions.quick_step import caption_quick_project

                short = caption_quick_project(short, auto_captions).project
            result = export_project(short, out, ExportOptions(preset=preset), cancel=cancel)
        except Cancelled:
            break
        except PreflightFailed as exc:
            results.append(ShortResult(plan, None, False, _problems(exc.report), str(exc)))
            continue
        except (ExportError, MediaError, EditError) as exc:
            results.append(ShortResult(plan, None, None, [], " ".join(str(exc).split())))
            continue
        report = result.preflight
        results.append(ShortResult(plan, result.path, None if report is None else bool(report["passed"]),
                                   _problems(report)))
    say(len(results), len(plans), "done")
    return results


def _problems(report: dict | None) -> list[str]:
    if not report:
        return []
    return [f"{f['level']}: {f['message']}" for f in report.get("findings", []) if f["level"] in ("error", "warning")]
