"""Build a short straight from media files: what `studio quick` does.

Clips go in order, reframed to 9:16 (landscape media with a face or a person in it follow that
subject with a panning crop, fit "follow"; the rest are centre-cropped, fit "fill"; with `cut_to_beat=N`: a clip every N beats of the sound, each
its liveliest part, by studio.templates' beat cut); the first text is a title over the first 3 s and later texts
are spread over the rest; stickers sit in corners clear of the face and the platform buttons; a
sound plays under the clips' own audio. With `speed` every video plays that many times as fast over
its whole source (120: a 30-minute recording becomes a 15 s timelapse; its own sound is muted
outside media.tempo's 0.25x-4x), the short capped at `max_seconds`."""
from __future__ import annotations

import dataclasses
import re
from fractions import Fraction
from pathlib import Path

from studio.media.probe import probe
from studio.media.tempo import keeps_sound
from studio.model import (Clip, EffectRef, Metadata, Project, SoundItem, StickerItem, TextItem, Timeline,
                          Track, is_library_ref)
from studio.model import EditError, edits
from studio.model.layouts import apply_layout

STILL_SECONDS = 3
TITLE_SECONDS = 3
MIN_TEXT_SECONDS = 0.5  # shorter than this, a line of text cannot be read
# sticker spots (centre x, y as canvas fractions): beside the centre where faces usually are, below
# the title (y 0.22) and above the later texts (y 0.7). A sticker STICKER_SCALE wide (up to 1.4 times
# as tall) stays inside every platform's safe zone: x 0.2..0.74 keeps clear of TikTok's right-hand
# buttons (150 px), y 0.36..0.55 of Reels' top bar and bottom caption (270 / 670 px).
STICKER_SPOTS = [(0.74, 0.36), (0.22, 0.55), (0.74, 0.55), (0.22, 0.36)]
STICKER_SCALE = 0.24
UNDER_CLIP_AUDIO_DB = -10.0
# Texts sit a little left of centre and wrap at 74% of the width, and captions above 62% of the
# height: inside the safe zone of every preset (the platforms' buttons are on the right and bottom)
TEXT_X, TEXT_WIDTH, CAPTION_Y = 0.47, 0.74, 0.6


LOOK_NEAR = 0.25  # seconds: a cached frame this close to where quick would look stands in for it


def _cached(path: str, times, part: str) -> list | None:
    """Raw cached `part` (studio.tracking.cache) at the cached frame nearest each of `times`, or
    None when one is missing: a clip made into a short before (the follow pan tracked it) is looked
    at without loading MediaPipe, which alone takes about half a second to import."""
    from studio.tracking.cache import tracking_for

    info = probe(path)
    if info.kind != "video" or not info.fps:
        return None
    fps = float(info.fps)
    with tracking_for(path, frozenset({part})) as cache:
        hits = [cache.nearest(int(round(t * fps)), part, int(LOOK_NEAR * fps)) for t in times]
    return None if any(h is None for h in hits) else [h[1] for h in hits]


def face_band(path: str, fps: Fraction) -> tuple[float, float] | None:
    """Vertical extent (y0, y1 as canvas fractions, after the 9:16 fill crop) of the first face in
    the clip's first second, so titles and stickers can keep clear of it; None without a face."""
    import numpy as np

    from studio.media.decode import open_visual
    from studio.render.reframe import fill_crop
    from studio.tracking.types import FaceLandmarks

    info = probe(path)
    at = min(0.5, info.duration / 2)
    cached = _cached(path, [at], "face")
    if cached is not None:
        w, h = info.width, info.height
        faces = [FaceLandmarks(f * np.float32([w, h, w]), (w, h)) for f in cached[0]]
    else:
        from studio.tracking.tracker import Tracker

        with open_visual(path) as reader:
            rgb = reader.frame_at(0) if reader.info.kind == "image" else reader.frame_at(at)
        with Tracker(frozenset({"face"}), smooth=False) as tracker:
            faces = tracker.track(rgb, 0.0).faces
        h, w = rgb.shape[:2]
    if not faces:
        return None
    _, y, _, ch = fill_crop(w, h, 1080, 1920)
    _, y0, _, y1 = faces[0].box
    return max(0.0, (y0 - y) / ch), min(1.0, (y1 - y) / ch)


SUBJECT_LOOKS = (0.1, 0.5, 0.9)  # where in a landscape clip to look for a face or person
# each look may take any frame this share of the clip's length either side of it: the decoder then
# takes a keyframe there alone where it has one, instead of decoding up to a few seconds of frames
# from the keyframe before (0.45 s of a cold 30 s short's 0.7 s look, issue 13)
SUBJECT_LOOK_SLACK = 0.1
PERSON_MIN_AREA = 0.01  # a person mask covering less of the picture than this is noise


def _person(mask) -> bool:
    import numpy as np

    return mask is not None and np.count_nonzero(mask > 127) > PERSON_MIN_AREA * mask.size


def has_subject(path: str) -> bool:
    """Whether a face or a person shows in a few frames spread over the clip (cheap: 3 looks, from
    the tracking cache when the clip was tracked before)."""
    from studio.media.decode import open_visual
    from studio.tracking.tracker import Tracker

    info = probe(path)
    times = [info.duration * f for f in SUBJECT_LOOKS] if info.kind == "video" else [0.0]
    faces = _cached(path, times, "face")
    if faces is not None:
        if any(len(f) for f in faces):
            return True
        masks = _cached(path, times, "segmentation")
        if masks is not None:
            return any(_person(m) for m in masks)
    slack = SUBJECT_LOOK_SLACK * info.duration if info.kind == "video" else 0.0
    with open_visual(path) as reader:
        pictures = [reader.frame_at(t, "rgb24", tolerance=slack) for t in times]
    # faces first: a face in any picture answers, and the person model is loaded only without one
    with Tracker(frozenset({"face", "segmentation"}), smooth=False) as tracker:
        if any(tracker.track(rgb, 0.0, {"face"}).faces for rgb in pictures):
            return True
        for rgb in pictures:
            mask = tracker.track(rgb, 0.0, {"segmentation"}).person_mask
            if mask is not None and _person(mask.mask):
                return True
    return False


def quick_fit(path: str, width: int, height: int) -> str:
    """"follow" for landscape media with a subject to follow, else "fill" (a centred crop)."""
    return "follow" if width > height and has_subject(path) else "fill"


def title_y(face: tuple[float, float] | None) -> float:
    """Title height: the upper fifth, unless a face is there; then just below the chin."""
    if face is None or face[0] > 0.3 or face[1] < 0.12:
        return 0.2
    return min(0.62, face[1] + 0.07)


def parse_effect(spec: str) -> EffectRef:
    """'look:name=vivid,intensity=0.8' -> EffectRef('look', {'name': 'vivid', 'intensity': 0.8});
    a gesture after '@' switches the effect on while the hand shows it: 'sparkles@open_palm'."""
    spec, _, trigger = spec.partition("@")
    name, _, rest = spec.partition(":")
    params: dict = {}
    for part in filter(None, rest.split(",")):
        key, eq, value = part.partition("=")
        if not eq or not key:
            raise ValueError(f"--effect {spec!r}: parameters are key=value pairs separated by commas")
        params[key.strip()] = _parse_value(value.strip())
    if not name:
        raise ValueError(f"--effect {spec!r}: give an effect id, e.g. look:name=vivid")
    trigger = trigger.strip() or params.pop("trigger", None)  # 'trigger=peace' reads the same
    return EffectRef(name.strip(), params, trigger=trigger or None)


def _parse_value(value: str):
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return float(value)
    except ValueError:
        return value


def split_caption(text: str) -> tuple[str, tuple[str, ...]]:
    tags = tuple(dict.fromkeys(m.group(1) for m in re.finditer(r"#(\w+)", text)))
    return text.strip(), tags


MIN_SPEED, MAX_SPEED = Fraction(1, 10), Fraction(200)


def parse_speed(text: str) -> Fraction:
    """'120', '0.1', '1/3' or '120x' -> an exact speed within MIN_SPEED..MAX_SPEED; ValueError
    (one line, for the command) otherwise."""
    try:
        speed = Fraction(text.strip().rstrip("xX").strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"--speed {text!r}: give a number such as 0.5, 2 or 120") from None
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise ValueError(f"--speed {text}: speeds go from {float(MIN_SPEED):g}x to {float(MAX_SPEED):g}x")
    return speed


def build_quick_project(media: list[str], *, texts: list[str] = (), stickers: list[str] = (),
                        sound: str | None = None, effects: list[EffectRef] = (), caption: str = "",
                        creator: str = "", name: str = "Quick short", fps: Fraction = Fraction(30),
                        cut_to_beat: int | None = None, speed: Fraction = Fraction(1),
                        max_seconds: float | None = None, layout: str | None = None,
                        auto_captions=None, report=None) -> Project:
    """speed: every video clip plays at it, covering its whole source (a 30 min recording at 120x
    lasts 15 s; stills keep their 3 s); outside media.tempo's audible range its sound is muted.
    max_seconds: the short stops there (the last clip cut short, later media left out).
    layout: the media play at once in a layout (studio.model.layouts: duet, react, pip, split3),
    first at the bottom; the short lasts as long as the first, longer ones are cut there."""
    timeline = Timeline((Track("video", name="Video"),))
    any_clip_audio = False
    speed = Fraction(speed)
    limit = None if max_seconds is None else max(1, int(Fraction(max_seconds).limit_denominator(1000) * fps))
    if cut_to_beat:
        if not sound:
            raise EditError("cutting to the beat needs a sound to cut to")
        if speed != 1:
            raise EditError("a cut to the beat picks each clip's liveliest part at normal speed: leave out --speed")
        from studio.templates import beat_cut_clips  # the clips are muted: the sound carries the beat

        clips = beat_cut_clips(media, sound, cut_to_beat, fps=fps, effects=effects)
        timeline = Timeline((Track("video", tuple(clips), name="Video"),))
        media = ()
    for index, path in enumerate(media, start=1):
        if limit is not None and timeline.duration >= limit:
            break
        info = probe(path)
        source = str(Path(path).resolve())
        fit = quick_fit(source, info.width, info.height)
        if info.kind == "image":
            clip = Clip(f"clip-{index}", source, 0, STILL_SECONDS * int(fps), fit=fit, effects=tuple(effects))
        else:
            frames = max(1, round(Fraction(info.duration).limit_denominator(100000) * fps))
            # the whole source at this speed: as many timeline frames as fit in it; a source shorter
            # than one timeline frame at this speed is one frame (slower, to stay inside the source)
            length = max(1, int(frames / speed))
            clip = Clip(f"clip-{index}", source, 0, length, speed=min(speed, Fraction(frames, length)),
                        fit=fit, effects=tuple(effects), source_frames=frames)
            any_clip_audio |= info.has_audio and keeps_sound(clip.speed)
        if limit is not None and timeline.duration + clip.duration > limit:
            clip = dataclasses.replace(clip, duration=limit - timeline.duration)
        timeline = edits.append_clip(timeline, clip)
    if layout:
        timeline = _laid_out(timeline, layout)
    total = timeline.duration
    first_visual = next((c.source for c in timeline.tracks[0].items), None)
    face = face_band(first_visual, fps) if first_visual and texts else None
    read_frames = round(MIN_TEXT_SECONDS * fps)
    if texts and total < len(texts) * read_frames:
        raise EditError(f"{len(texts)} texts need at least {len(texts) * MIN_TEXT_SECONDS:g} s to be read "
                        f"({MIN_TEXT_SECONDS:g} s each); the media last {float(total / fps):.1f} s")
    # the title gets the first 3 s when the later texts can still be read, else all share equally
    title_end = min(TITLE_SECONDS * int(fps), total)
    if len(texts) > 1 and total - title_end < (len(texts) - 1) * read_frames:
        title_end = total // len(texts)
    span = (total - title_end) // max(1, len(texts) - 1)
    for index, text in enumerate(texts):
        if index == 0:
            item = TextItem("text-1", 0, title_end, text, style="classic", x=TEXT_X, y=title_y(face),
                            width=TEXT_WIDTH, size=1.3, anim_in="pop", anim_out="fade")
        else:
            start = title_end + (index - 1) * span
            length = total - start if index == len(texts) - 1 else span  # the last one runs to the end
            item = TextItem(f"text-{index + 1}", start, length, text, style="highlight",
                            x=TEXT_X, y=CAPTION_Y, width=TEXT_WIDTH, anim_in="slide_up", anim_out="fade")
        timeline = edits.add_item(timeline, item)
    for index, sticker in enumerate(stickers):
        x, y = STICKER_SPOTS[index % len(STICKER_SPOTS)]
        ref = sticker if is_library_ref(sticker) else str(Path(sticker).resolve())
        timeline = edits.add_item(timeline, StickerItem(f"sticker-{index + 1}", 0, total, ref, x=x, y=y,
                                                        scale=STICKER_SCALE))
    if sound:
        ref = sound if is_library_ref(sound) else str(Path(sound).resolve())
        volume = UNDER_CLIP_AUDIO_DB if any_clip_audio else 0.0
        fade = min(int(fps), total // 4)
        timeline = edits.add_item(timeline, SoundItem("sound-1", ref, 0, total, volume_db=volume,
                                                      fade_in=fade // 2, fade_out=fade))
    text, tags = split_caption(caption)
    # the cover shows the title whole: 1 s in (its pop-in is over), inside the title's time
    cover = min(int(fps), max(0, title_end - 1)) if texts else 0
    meta = Metadata(title=name, caption=text, hashtags=tags, creator=creator, cover_frame=cover)
    project = Project(name=name, fps=fps, timeline=timeline, metadata=meta)
    if auto_captions is not None:  # a studio.captions.quick_step.AutoCaptions; report(line) hears its steps
        from studio.captions.quick_step import caption_quick_project

        project = caption_quick_project(project, auto_captions, report).project
    return project


def _laid_out(timeline: Timeline, layout: str) -> Timeline:
    clips = timeline.tracks[0].items
    timeline = apply_layout(timeline, layout, [c.id for c in clips])
    length = clips[0].duration
    for clip in clips[1:]:
        if clip.duration > length:
            timeline = edits.trim(timeline, clip.id, end=length)
    return timeline


__all__ = ["build_quick_project", "parse_effect", "parse_speed", "split_caption"]
