"""What an export says about itself: MP4 tags, the JSON sidecar next to the video, and the caption
lines it carries (listed in the sidecar and written as the MP4's soft subtitle track)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from studio import __version__
from studio.model import Project, TextItem, is_library_ref, kind_of

from .soundtrack import SoundCredit


def _published(value: Any) -> Any:
    """A parameter as published: a file keeps only its name (a local folder is nobody's business)."""
    if isinstance(value, str) and not is_library_ref(value) and ("/" in value or "\\" in value):
        return PureWindowsPath(value).name if "\\" in value else PurePosixPath(value).name
    return value


def effects_used(project: Project) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    for item in project.timeline.all_items():
        for ref in kind_of(item).effects(item):
            entry = {"id": ref.id, "params": {k: _published(v) for k, v in ref.params.items()}}
            if ref.trigger:
                entry["trigger"] = ref.trigger
            if entry not in seen:
                seen.append(entry)
    return seen


def _effect_label(entry: dict[str, Any]) -> str:
    params = ",".join(f"{k}={v}" for k, v in entry["params"].items())
    return f"{entry['id']}({params})" if params else entry["id"]


def mp4_tags(project: Project, credits: tuple[SoundCredit, ...], created: dt.datetime) -> dict[str, str]:
    """iTunes-style MP4 tags (ffprobe and exiftool read all of them)."""
    meta = project.metadata
    caption = meta.full_caption()
    sounds = "; ".join(f"{c.title} by {c.artist or 'unknown'} ({c.licence})" for c in credits)
    effects = "; ".join(_effect_label(e) for e in effects_used(project))
    tags = {
        "title": meta.title or project.name,
        "comment": caption,
        "description": caption,
        "artist": meta.creator,
        "keywords": ",".join(meta.all_hashtags()),
        "encoding_tool": f"Studio {__version__}",  # written as the encoder tag (©too)
        "creation_time": created.strftime("%Y-%m-%dT%H:%M:%S.000000Z"),
        # The sounds and effects used, as one long-description tag that every reader shows
        "synopsis": f"sounds: {sounds or 'none'} | effects: {effects or 'none'}",
        "composer": sounds,
    }
    return {k: v for k, v in tags.items() if v}


# The overlay track that holds a project's captions: studio.captions.timeline.TRACK_NAME (captions
# sits above render in the layers, so the name is repeated here; a test keeps the two equal)
CAPTIONS_TRACK = "Captions"


def caption_lines(project: Project, until: float | None = None) -> list[dict[str, Any]]:
    """The project's captions as published: the text items of its (shown) Captions track, in time
    order, each {text, start, end, words: [{text, start, end}], word_times}; seconds on the
    timeline, cut at `until` (the exported length). Words come from the item's own word times
    ("spoken"), else they are spread over the line by length ("estimated"), as the renderer does."""
    fps = project.fps
    lines: list[dict[str, Any]] = []
    for track in project.timeline.tracks:
        if track.kind != "overlay" or track.name != CAPTIONS_TRACK or track.hidden:
            continue
        for item in track.items:
            if not isinstance(item, TextItem) or not item.content.strip():
                continue
            start, end = float(item.start / fps), float(item.end / fps)
            if until is not None:
                if start >= until:
                    continue
                end = min(end, until)
            text = _published_text(item)
            if item.words:
                words = [(_published_word(w.text, text is not item.content),
                          float((item.start + w.start) / fps), float((item.start + w.end) / fps)) for w in item.words]
            else:
                words = _spread(text, start, end)
            lines.append({"text": text, "start": round(start, 3), "end": round(end, 3),
                          "words": [{"text": t, "start": round(a, 3), "end": round(min(b, end), 3)}
                                    for t, a, b in words if until is None or a < until],
                          "word_times": "spoken" if item.words else "estimated"})
    return sorted(lines, key=lambda line: (line["start"], line["end"]))


def _published_text(item: TextItem) -> str:
    """The line as the picture shows it: a style that draws *keywords* in colour drops their
    asterisks, so subtitles and the sidecar do too (a plain style shows them as typed)."""
    from studio.library.errors import LibraryError
    from studio.library.styles import get_style

    from .word_styles import shown_text

    try:
        emphasis = get_style(item.style).emphasis_color is not None
    except LibraryError:  # an unknown style is pre-flight's to report; publish the text as typed
        emphasis = False
    return shown_text(item.content)[0] if emphasis and "*" in item.content else item.content


def _published_word(word: str, stripped: bool) -> str:
    return word.strip("*") if stripped else word


def _spread(text: str, start: float, end: float) -> list[tuple[str, float, float]]:
    parts = text.split()
    weights = [len(p) + 1 for p in parts]
    total, at, out = sum(weights), start, []
    for part, weight in zip(parts, weights):
        nxt = at + (end - start) * weight / total
        out.append((part, at, nxt))
        at = nxt
    return out


def json_bytes(data: dict) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def sidecar(project: Project, credits: tuple[SoundCredit, ...], *, duration: float, loudness: dict,
            preset: str, preflight: dict | None, cover: str | None, created: dt.datetime,
            encode: dict, captions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """`captions`: caption_lines() of the export (computed here when not given)."""
    meta = project.metadata
    return {
        "generator": f"Studio {__version__}",
        "created": created.isoformat(),
        "title": meta.title or project.name,
        "caption": meta.full_caption(),
        "hashtags": meta.all_hashtags(),
        "creator": meta.creator,
        "sounds": [asdict(c) for c in credits],
        "effects": effects_used(project),
        "duration": round(duration, 3),
        "width": project.width,
        "height": project.height,
        "fps": float(project.fps),
        "loudness": loudness,
        "preset": preset,
        "encode": encode,
        "cover": cover,
        "preflight": preflight,
        "captions": caption_lines(project, duration) if captions is None else captions,
        # the creator's markers (M in the window), in seconds, inside the exported length
        "markers": [{"time": round(float(m.frame / project.fps), 3), "name": m.name}
                    for m in project.markers if m.frame / project.fps < duration],
    }
