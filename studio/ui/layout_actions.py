"""What the window asks of video layers, turned into document edits: one-click layouts (duet,
reaction, picture in picture, split in three), a new layer, media added as a picture-in-picture,
transitions into a clip, green screen and background removal, and the key colour picked from a
clip's source picture. Qt-free (status goes out through EditActions' signal), so every rule here is
testable without a window; each action is one undo step with a human title."""
from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np

from studio.media.errors import MediaError
from studio.model import Clip, EffectRef, Timeline, edits
from studio.model.layouts import LAYOUTS, add_video_layer, apply_layout
from studio.render.transitions import DEFAULT_FRAMES, TRANSITIONS

from . import item_factory
from .names import item_name  # noqa: F401 (also imported from here)
from .timeline_geometry import seconds_label

# name -> (menu title, undo title, the selection it wants: "Select 2 clips for a duet")
LAYOUT_WORDS = {
    "duet": ("Duet", "Duet layout", "a duet"),
    "react": ("Reaction", "Reaction layout", "a reaction"),
    "pip": ("Picture in picture", "Picture-in-picture layout", "a picture in picture"),
    "split3": ("Split in three", "Split-in-three layout", "a split in three"),
}
KEY_EFFECT = "chroma_key"
CUT_OUT_TITLES = {"chroma_key": "Green screen", "remove_background": "Remove background"}


def _names(clips) -> str:
    names = [item_name(c) for c in clips]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def layout_clips(timeline: Timeline, selection, count: int, wants: str) -> list[str] | str:
    """The clip ids a layout of `count` clips takes from the selection (in selection order, first
    = bottom layer); one selected clip brings the clips after it on its track as needed. A message
    for the status bar when the selection does not fit."""
    clips = []
    for item_id in selection:
        try:
            item = timeline.get(item_id)
        except KeyError:
            continue
        if isinstance(item, Clip):
            clips.append(item)
    ask = f"Select {count} clips for {wants}"
    if len(clips) == count:
        return [c.id for c in clips]
    if len(clips) == 1:
        first = clips[0]
        track = timeline.tracks[timeline.find(first.id)[0]]
        after = [i for i in track.items if isinstance(i, Clip) and i.start >= first.end]
        if len(after) >= count - 1:
            return [first.id] + [c.id for c in after[:count - 1]]
        missing = count - 1 - len(after)
        return f"{ask} ({item_name(first)} has {'no' if not after else 'too few'} clips after it: " \
               f"{missing} more needed)"
    return ask + (f" ({len(clips)} are selected)" if clips else "")


def previous_clip(timeline: Timeline, clip: Clip) -> Clip | None:
    """The clip that ends where `clip` starts on its track (a transition leads from it), else None."""
    track = timeline.tracks[timeline.find(clip.id)[0]]
    return next((i for i in track.items if isinstance(i, Clip) and i.id != clip.id and i.end == clip.start), None)


def transition_target(timeline: Timeline, frame: int, track_index: int) -> Clip | None:
    """The clip a transition dropped at `frame` on a track goes into: the clip under the drop, or
    the next one when the drop is in the later half of a clip that another follows without a gap
    (so a drop near a cut takes that cut)."""
    if not 0 <= track_index < len(timeline.tracks) or timeline.tracks[track_index].kind != "video":
        return None
    track = timeline.tracks[track_index]
    under = track.item_at(frame)
    if not isinstance(under, Clip):
        return None
    following = next((i for i in track.items if isinstance(i, Clip) and i.start == under.end), None)
    if following is not None and frame >= under.start + under.duration / 2:
        return following
    return under


def rotate(x: float, y: float, cx: float, cy: float, degrees: float) -> tuple[float, float]:
    a = math.radians(degrees)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) - dy * math.sin(a), cy + dx * math.sin(a) + dy * math.cos(a)


def source_point(clip: Clip, fx: float, fy: float, canvas: tuple[int, int], source: tuple[int, int],
                 centre_x: float | None = None) -> tuple[float, float] | None:
    """The source pixel (x, y) shown at canvas fractions (fx, fy) by `clip` (its keyed values
    applied already): the click turned back through the clip's rotation, box, fit and crop
    (layers.clip_to_canvas: canvas = source * scale + offset). None outside the clip's picture."""
    from studio.render.layers import box_of, clip_to_canvas, is_untransformed

    width, height = canvas
    src_w, src_h = source
    px, py = fx * width, fy * height
    if not is_untransformed(clip):
        box = box_of(clip, width, height)
        px, py = rotate(px, py, box.x + box.w / 2, box.y + box.h / 2, -box.rotation)
        if not (box.x <= px < box.x + box.w and box.y <= py < box.y + box.h):
            return None
    scale, ox, oy = clip_to_canvas(clip, src_w, src_h, width, height, centre_x)
    sx, sy = (px - ox) / scale, (py - oy) / scale
    x0, x1 = clip.crop_left * src_w, src_w - clip.crop_right * src_w
    y0, y1 = clip.crop_top * src_h, src_h - clip.crop_bottom * src_h
    if not (x0 <= sx < x1 and y0 <= sy < y1):
        return None  # the bars of a fit, or off the picture
    return sx, sy


def colour_at(rgb: np.ndarray, x: float, y: float) -> str:
    """'#rrggbb' of the source around (x, y): the mean of a 3x3 patch, so one noisy pixel of a
    compressed frame does not decide the key."""
    h, w = rgb.shape[:2]
    cx, cy = min(w - 1, max(0, int(x))), min(h - 1, max(0, int(y)))
    patch = rgb[max(0, cy - 1):cy + 2, max(0, cx - 1):cx + 2].reshape(-1, 3).astype(np.float32)
    r, g, b = (int(round(v)) for v in patch.mean(axis=0))
    return f"#{r:02x}{g:02x}{b:02x}"


def pick_source_colour(project, clip: Clip, frame: int, fx: float, fy: float) -> str | None:
    """The colour of `clip`'s SOURCE picture (before its effects and the layers above it) under
    canvas fractions (fx, fy) at timeline `frame`, read through the engine's reader; None when the
    point is not on the clip's picture. MediaError when the source cannot be read."""
    from fractions import Fraction

    from studio.render.animation import keyed
    from studio.render.compositor import Renderer

    shown = keyed(clip, frame - clip.start)[0]
    with Renderer(max_open_sources=1) as renderer:
        t = max(Fraction(0), shown.source_frame(frame)) / project.fps
        rgb = renderer.reader(shown.source).frame_at(t, "rgb24")
        centre = renderer.follow_centre(shown, frame, project.fps, project.width, project.height, rgb)
    point = source_point(shown, fx, fy, (project.width, project.height), (rgb.shape[1], rgb.shape[0]), centre)
    return None if point is None else colour_at(rgb, *point)


def close_gap(timeline: Timeline, track_index: int, start: int, end: int) -> Timeline:
    """The items of a track from `end` on moved left by end - start, when nothing is in between."""
    track = timeline.tracks[track_index]
    if any(i.start < end and i.end > start for i in track.items):
        return timeline
    for item in sorted((i for i in track.items if i.start >= end), key=lambda i: i.start):
        timeline = edits.move(timeline, item.id, item.start - (end - start), track_index)
    return timeline


def layout_edit(timeline: Timeline, name: str, clip_ids: list[str]) -> Timeline:
    """apply_layout, then the track of the first clip closes the gaps the clips after it left there
    (a duet of two clips in a row must not leave a hole, black in the export, where the second
    was). Gaps before the first clip stay: closing them would pull the layout away from its layers."""
    first_track = timeline.find(clip_ids[0])[0]
    first = timeline.get(clip_ids[0])
    left = [timeline.get(i) for i in clip_ids[1:] if timeline.find(i)[0] == first_track]
    timeline = apply_layout(timeline, name, clip_ids)
    for clip in sorted(left, key=lambda c: c.start, reverse=True):
        if clip.start >= first.end:
            timeline = close_gap(timeline, first_track, clip.start, clip.end)
    return timeline


class LayerActions:
    """Layouts, layers, transitions and cut-outs for the window; `actions` is the window's
    EditActions (its document, its target clip and its status signal)."""

    def __init__(self, actions):
        self.actions = actions

    @property
    def document(self):
        return self.actions.document

    @property
    def timeline(self) -> Timeline:
        return self.document.project.timeline

    def _say(self, message: str) -> None:
        self.actions.status.emit(message)

    def _fail(self, message: str) -> bool:
        self._say(message)
        return False

    # -- layouts and layers ------------------------------------------------------------------------
    def apply_layout(self, name: str) -> bool:
        layout = LAYOUTS[name]
        _, undo_title, wants = LAYOUT_WORDS[name]
        picked = layout_clips(self.timeline, self.document.selection, layout.clips, wants)
        if isinstance(picked, str):
            return self._fail(picked)
        clips = [self.timeline.get(i) for i in picked]
        if not self.document.edit(undo_title, lambda tl: layout_edit(tl, name, picked)):
            return False
        self.document.select(picked)
        self.document.set_playhead(clips[0].start)
        self._say(f"{undo_title}: {_names(clips)}")
        return True

    def add_video_layer(self) -> bool:
        made = {}

        def run(tl):
            tl, index = add_video_layer(tl)
            made["name"] = tl.tracks[index].name
            return tl

        if not self.document.edit("Add video layer", run):
            return False
        self._say(f"Added video layer “{made['name']}”: drop a clip on it to show it over the layers below")
        return True

    def add_as_pip(self, path: Path, frame: int | None = None) -> bool:
        """`path` as a picture-in-picture on a new layer above every video layer, from the
        playhead (or `frame`), in the picture-in-picture layout's corner place."""
        path = Path(path)
        start = self.document.playhead if frame is None else frame
        try:
            clip = item_factory.make_clip(self.document.project, path, start)
        except (MediaError, ValueError) as exc:
            return self._fail(str(exc))
        clip = dataclasses.replace(clip, start=start, **LAYOUTS["pip"].slots[1])
        self.actions.media_imported.emit(path)

        def run(tl):
            tl, index = add_video_layer(tl)
            return edits.add_item(tl, clip, index)

        if not self.document.edit(f"Picture in picture “{path.name}”", run):
            return False
        self.document.select([clip.id])
        self._say(f"“{path.name}” is a picture in picture: drag it on the preview to move it, "
                  "a corner to resize it")
        return True

    # -- transitions -------------------------------------------------------------------------------
    def set_transition(self, kind: str, clip: Clip | None = None) -> bool:
        """The transition into `clip` (default: the selected clip, else the one under the
        playhead) from the clip before it on its track; "none" removes it."""
        if kind not in TRANSITIONS:
            return self._fail(f"Unknown transition “{kind}”")
        clip = clip or self.actions.target_clip()
        if clip is None:
            return self._fail("Select the clip a transition should lead into")
        title = TRANSITIONS[kind]
        if kind == "none":
            if clip.transition == "none":
                return self._fail(f"{item_name(clip)} has no transition to remove")
            return self.document.edit(f"Remove transition into {item_name(clip)}",
                                      lambda tl: edits.set_property(tl, clip.id, "transition", "none"))
        if previous_clip(self.timeline, clip) is None:
            return self._fail(f"{item_name(clip)} has no clip right before it on its track: a transition leads "
                              "into a clip from the one that ends where it starts")
        frames = clip.transition_frames if clip.transition != "none" else DEFAULT_FRAMES

        def run(tl):
            tl = edits.set_property(tl, clip.id, "transition", kind)
            return edits.set_property(tl, clip.id, "transition_frames", frames)

        if not self.document.edit(f"Transition “{title}” into {item_name(clip)}", run):
            return False
        self._say(f"Transition “{title}” into {item_name(clip)} ({seconds_label(frames, self.document.project.fps)})")
        return True

    def drop_transition(self, kind: str, frame: int, track: int) -> bool:
        """A transition dragged from the library onto the timeline: into the clip at the drop."""
        clip = transition_target(self.timeline, frame, track)
        if clip is None:
            return self._fail("Drop a transition on a clip of a video track (near the cut it should soften)")
        self.document.select([clip.id])
        return self.set_transition(kind, clip)

    # -- cut-outs ----------------------------------------------------------------------------------
    def add_cut_out(self, effect_id: str) -> bool:
        """Green screen (chroma_key, transparent: the layers below show through) or Remove
        background on the target clip; once per clip."""
        from studio.effects.registry import default_registry

        clip = self.actions.target_clip()
        title = CUT_OUT_TITLES[effect_id]
        if clip is None:
            return self._fail(f"Select a clip (or move the playhead over one) for {title.lower()}")
        if any(e.id == effect_id for e in clip.effects):
            return self._fail(f"{item_name(clip)} already has {title.lower()}: change it in the inspector")
        ref = EffectRef(effect_id, default_registry().validate(effect_id, {}))
        if not self.document.edit(f"{title} on {item_name(clip)}",
                                  lambda tl: edits.set_property(tl, clip.id, "effects", (*clip.effects, ref))):
            return False
        self.document.select([clip.id])
        if effect_id == KEY_EFFECT:
            self._say(f"Green screen on {item_name(clip)}: the layers below show through. "
                      "Effects ▸ Pick key colour from preview sets the colour to key out")
        else:
            self._say(f"Remove background on {item_name(clip)}: only the person stays over the layers below")
        return True

    def key_clip(self) -> Clip | None:
        """The target clip when it has a green screen (chroma_key) to pick a colour for."""
        clip = self.actions.target_clip()
        return clip if clip is not None and any(e.id == KEY_EFFECT for e in clip.effects) else None

    def pick_key_colour(self, clip_id: str, fx: float, fy: float) -> bool:
        """Set the clip's key colour to its source's colour under canvas fractions (fx, fy) at the
        playhead. One undo step."""
        try:
            clip = self.timeline.get(clip_id)
        except KeyError:
            return self._fail("The clip to pick a key colour for is gone")
        frame = self.document.playhead
        if not clip.start <= frame < clip.end:
            return self._fail(f"Move the playhead over {item_name(clip)} to pick its key colour")
        try:
            colour = pick_source_colour(self.document.project, clip, frame, fx, fy)
        except MediaError as exc:
            return self._fail(str(exc))
        if colour is None:
            return self._fail(f"That point is not on {item_name(clip)}: click on its background colour")
        index = next((n for n, e in enumerate(clip.effects) if e.id == KEY_EFFECT), None)
        if index is None:
            return self._fail(f"{item_name(clip)} has no green screen to pick a colour for")
        effects = list(clip.effects)
        effects[index] = dataclasses.replace(effects[index], params={**effects[index].params, "key_color": colour})
        if not self.document.edit(f"Key colour {colour} on {item_name(clip)}",
                                  lambda tl: edits.set_property(tl, clip.id, "effects", tuple(effects))):
            return self._fail(f"{item_name(clip)} already keys out {colour}")
        self._say(f"Keying out {colour} on {item_name(clip)}")
        return True
