"""Interchange: write a project as an OpenTimelineIO timeline (.otio) for other editors.

Video and audio tracks become OTIO tracks of clips with external media references, exact source
ranges at the project rate and a LinearTimeWarp for speed; the gaps between items become Gaps.
Items that play no media file (text, stickers) have no OTIO equivalent, so they become clips with
a GeneratorReference ("studio.<kind>": "studio.text", "studio.sticker") carrying their parameters.
Studio-only settings (effects, fit, volume, fades) travel in each object's metadata under "studio".
A transition into a clip becomes an OTIO Transition between the two clips (SMPTE_Dissolve for a
dissolve, Custom_Transition with the Studio kind in its metadata for the others), centred on the cut
as Studio draws it: in_offset = the frames before the cut, out_offset = the frames after it. The
clips keep their own timings (OTIO transitions take no time on the track)."""
from __future__ import annotations

import dataclasses
import os
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from studio.media.probe import probe
from studio.model import Project, Track, kind_of

from .errors import ExportError
from .kinds import render_kind
from .outputs import OutputSet, disk_error
from .transitions import TRANSITIONS, transition_kind, transition_length, window


def _rt(frames: float | Fraction, rate: float) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(float(frames), rate)


def _range(start: float | Fraction, duration: float | Fraction, rate: float) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(_rt(start, rate), _rt(duration, rate))


def _media_reference(path: str, rate: float) -> otio.schema.ExternalReference:
    ref = otio.schema.ExternalReference(target_url=Path(path).resolve().as_uri())
    info = probe(path)
    if info.duration > 0:
        ref.available_range = _range(0, round(info.duration * rate), rate)
    return ref


def _plain(item) -> dict:
    """The item's fields as JSON-friendly metadata (Fractions as strings, tuples as lists)."""
    def convert(value):
        if isinstance(value, Fraction):
            return str(value)
        if isinstance(value, tuple):
            return [convert(v) for v in value]
        if dataclasses.is_dataclass(value):
            return {k: convert(v) for k, v in dataclasses.asdict(value).items()}
        return value
    return {f.name: convert(getattr(item, f.name)) for f in dataclasses.fields(item)}


def _otio_item(item, rate: float) -> otio.schema.Clip:
    how = render_kind(item)
    if how.media_file is not None:
        # OTIO convention (as its editorial adapters write it): the source range's duration is the
        # clip's length on the track, and the time warp says how fast the media is played through
        path = how.media_file(item)
        name = how.display_name(item) if how.display_name is not None else Path(path).name
        clip = otio.schema.Clip(name=name, media_reference=_media_reference(path, rate),
                                source_range=_range(item.source_in, item.duration, rate))
        speed = getattr(item, "speed", 1)  # a media kind with a speed field plays through at that rate
        if speed != 1:
            clip.effects.append(otio.schema.LinearTimeWarp(time_scalar=float(speed)))
    else:
        params = _plain(item)
        if how.extra_params is not None:
            params.update(how.extra_params(item))
        name = how.name_of(item)
        reference = otio.schema.GeneratorReference(generator_kind=f"studio.{kind_of(item).name}", parameters=params)
        reference.available_range = _range(0, item.duration, rate)
        clip = otio.schema.Clip(name=name, media_reference=reference, source_range=_range(0, item.duration, rate))
    clip.metadata["studio"] = _plain(item)
    return clip


def _otio_track(track: Track, rate: float) -> otio.schema.Track:
    kind = otio.schema.TrackKind.Audio if track.kind == "audio" else otio.schema.TrackKind.Video
    out = otio.schema.Track(name=track.name or track.kind.title(), kind=kind)
    out.metadata["studio"] = {"kind": track.kind, "muted": track.muted, "hidden": track.hidden}
    position = 0
    previous = None
    for item in track.items:
        if item.start > position:
            out.append(otio.schema.Gap(source_range=_range(0, item.start - position, rate)))
        transition = _otio_transition(previous, item, rate)
        if transition is not None:
            out.append(transition)
        out.append(_otio_item(item, rate))
        position = item.end
        previous = item
    return out


def _otio_transition(previous, item, rate: float) -> otio.schema.Transition | None:
    """The transition from `previous` into `item` as Studio renders it (fitted to both clips), or None."""
    frames = transition_length(previous, item)
    if not frames:
        return None
    kind = transition_kind(item)
    first, end = window(item.start, frames)
    kind_type = otio.schema.TransitionTypes.SMPTE_Dissolve if kind == "dissolve" else otio.schema.TransitionTypes.Custom
    return otio.schema.Transition(name=TRANSITIONS[kind], transition_type=kind_type,
                                  in_offset=_rt(item.start - first, rate), out_offset=_rt(end - item.start, rate),
                                  metadata={"studio": {"kind": kind, "frames": frames}})


def project_to_otio(project: Project) -> otio.schema.Timeline:
    rate = float(project.fps)
    timeline = otio.schema.Timeline(name=project.name, global_start_time=_rt(0, rate))
    meta = project.metadata
    timeline.metadata["studio"] = {"width": project.width, "height": project.height, "fps": str(project.fps),
                                   "caption": meta.full_caption(), "hashtags": meta.all_hashtags(),
                                   "creator": meta.creator, "cover_frame": meta.cover_frame}
    for track in project.timeline.tracks:
        timeline.tracks.append(_otio_track(track, rate))
    return timeline


def export_otio(project: Project, out: str | os.PathLike) -> Path:
    """Write `out` (.otio JSON) atomically."""
    out = Path(os.path.abspath(out))
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent}: output folder does not exist")
    outputs = OutputSet(out.parent)
    try:
        outputs.write_bytes(out, otio.adapters.write_to_string(project_to_otio(project), "otio_json").encode())
        outputs.publish()
    except OSError as exc:
        raise disk_error(exc, out) from None
    finally:
        outputs.discard()
    return out
