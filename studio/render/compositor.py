"""The one frame renderer. Preview calls it at preview size, export at full size, both through
`Renderer.render` (or `render_frame`), so what the creator sees is what gets exported."""
from __future__ import annotations

from fractions import Fraction
from typing import Hashable

import numpy as np

from studio.effects.chain import EffectChain
from studio.media.decode import open_visual
from studio.media.timelapse import frame_tolerance
from studio.model import Clip, Project

from .animation import keyed
from .canvas import I420, RGB, Canvas
from .follow import FollowPaths
from .kinds import render_kind
from .layers import clip_to_canvas, covers_canvas, draw_shown, layer_sprite, may_cut_out, shown_part, shown_rect
from .lru import LRU
from .overlays import OverlayCache, OverlayFrame


class Renderer:
    """Holds what is expensive to reopen between frames: one reader per source (decoders keep their
    position, so sequential export never seeks), effect chains, and overlay rasters."""

    def __init__(self, max_open_sources: int = 8):
        self._readers = LRU(max_open_sources, on_evict=lambda r: r.close())
        self._chains = LRU(32, on_evict=lambda c: c.close())
        self._overlays: dict[str, OverlayCache] = {}
        self._effect_resources: dict = {}  # LUTs etc. shared by the chains of all clips
        self._face_tracks = LRU(4, on_evict=lambda t: t.close())
        self._follow = FollowPaths()  # planned once per clip: the pan of a "follow" fit

    # -- resources -------------------------------------------------------------------------
    def reader(self, source: str, lane: Hashable = 0):
        """The reader of `source` for one lane of playback: layers that show the same file at
        different times (a duet of two takes of one file, a dissolve between two parts of a
        clip) each get their own decoder, so neither makes the other seek on every frame."""
        return self._readers.get((source, lane), lambda: open_visual(source))

    def chain(self, clip: Clip) -> EffectChain:
        key = (clip.source, repr(clip.effects))
        return self._chains.get(key, lambda: EffectChain(clip.effects, tracking_source=clip.source,
                                                         shared=self._effect_resources))

    def overlay_cache(self, fmt: str) -> OverlayCache:
        return self._overlays.setdefault(fmt, OverlayCache())

    def close(self) -> None:
        self._readers.clear()
        self._chains.clear()
        self._face_tracks.clear()
        self._follow.clear()
        self._overlays.clear()
        self._effect_resources.clear()

    def __enter__(self) -> "Renderer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- rendering -------------------------------------------------------------------------
    def source_picture(self, clip: Clip, frame_index: int, fps: Fraction) -> np.ndarray:
        """The clip's source picture at this timeline frame, with the clip's effects applied."""
        return self.source_rgba(clip, frame_index, fps)[0]

    def source_rgba(self, clip: Clip, frame_index: int, fps: Fraction, overrides: dict | None = None,
                    lane: Hashable = 0, shown_on: tuple[int, int] | None = None
                    ) -> tuple[np.ndarray, np.ndarray | None]:
        """(picture, opacity or None) of the clip at this timeline frame, effects applied
        (`overrides`: keyframed effect params). Before the clip's first source frame (the
        incoming side of a transition) it shows its first frame.

        With `shown_on` (a canvas size, w x h): only the part of the picture that shows there
        (`layers.shown_rect`). Then only that part is converted from the decoder's YUV, and the
        effects run on it alone when they are all pointwise (a look: a crop of its result is its
        result on the crop); other effects get the whole picture, cut after."""
        if shown_on is not None:
            part = self._part_first(clip, frame_index, fps, overrides, lane, shown_on)
            if part is not None:
                return part
        t, tolerance = self._source_time(clip, frame_index, fps)
        rgb = self.reader(clip.source, lane).frame_at(t, "rgb24", tolerance=tolerance)
        chain = self._effects(clip)
        alpha = None
        if chain is not None:
            rgb, alpha = chain.apply_rgba(rgb, frame_index=frame_index, time=float(t), overrides=overrides)
        if shown_on is None:
            return rgb, alpha
        width, height = shown_on
        centre_x = self.follow_centre(clip, frame_index, fps, width, height, rgb)
        return shown_part(rgb, alpha, clip, width, height, centre_x)

    def _part_first(self, clip: Clip, frame_index: int, fps: Fraction, overrides: dict | None, lane: Hashable,
                    size: tuple[int, int]) -> tuple[np.ndarray, None] | None:
        """The shown part cut before conversion and effects, or None when they need the whole picture."""
        reader = self.reader(clip.source, lane)
        chain = self._effects(clip)
        # a follow window over a still is planned on the processed picture: keep that picture whole
        if (chain is not None and not chain.pointwise) or (clip.fit == "follow" and reader.info.kind == "image"):
            return None
        width, height = size
        t, tolerance = self._source_time(clip, frame_index, fps)
        picture = reader.picture_at(t, tolerance=tolerance)
        x, y, w, h = shown_rect(clip, picture.width, picture.height, width, height,
                                self.follow_centre(clip, frame_index, fps, width, height))
        pic = picture.rgb(x, y, w, h)
        if chain is None:
            return pic, None
        pic, alpha = chain.apply_rgba(pic, frame_index=frame_index, time=float(t), overrides=overrides)
        # a pointwise effect that cut something out changes where the clip goes: do it whole
        return (pic, None) if alpha is None else None

    def _effects(self, clip: Clip) -> EffectChain | None:
        if not clip.effects:
            return None
        chain = self.chain(clip)
        return None if chain.is_empty else chain

    @staticmethod
    def _source_time(clip: Clip, frame_index: int, fps: Fraction) -> tuple[Fraction, float]:
        """(source time, tolerance) of the clip's picture at this timeline frame."""
        position = clip.source_frame(frame_index)
        # a timelapse shows a frame near t (a keyframe when one is near), not every frame it skips;
        # the local speed decides, so a ramp's fast part skips and its slow part stays exact
        tolerance = frame_tolerance(abs(clip.source_frame(frame_index + 1) - position), fps)
        return max(Fraction(0), position) / fps, tolerance

    def render(self, project: Project, frame_index: int, size: tuple[int, int] | None = None,
               fmt: str = RGB) -> np.ndarray:
        """Frame `frame_index` of the project at `size` (w, h; default the project canvas).
        fmt "rgb" -> HxWx3 uint8; "i420" -> (h*3/2, w) uint8 buffer ready for the encoder.

        Video tracks are layers, bottom to top; drawing starts at the top-most layer that covers
        the whole canvas (nothing under it can show), then overlays go on top."""
        width, height = size or (project.width, project.height)
        layers = self._layers(project, frame_index)
        first = 0
        for i, layer in enumerate(layers):
            if isinstance(layer, Clip) and covers_canvas(keyed(layer, frame_index - layer.start)[0], may_cut_out(layer)):
                first = i
        covered = bool(layers) and isinstance(layers[first], Clip) and covers_canvas(
            keyed(layers[first], frame_index - layers[first].start)[0], may_cut_out(layers[first]))
        canvas = Canvas(width, height, fmt, fill=not covered)
        base = None
        for lane, layer in enumerate(layers[first:], start=first):
            if isinstance(layer, Clip):
                base = layer
                clip, overrides = keyed(layer, frame_index - layer.start)
                draw_shown(canvas, *self.source_rgba(clip, frame_index, project.fps, overrides, lane, (width, height)),
                           clip)
            else:
                outgoing, incoming, kind, progress = layer
                base = incoming if progress >= 0.5 else outgoing
                from .transitions import transition_sprite  # drawn only at transition frames

                sides = [self._layer_sprite(c, frame_index, project.fps, width, height, fmt, (lane, side))
                         for side, c in enumerate((outgoing, incoming))]
                canvas.blend(transition_sprite(kind, progress, *sides), 0, 0)
        frame = OverlayFrame(project, width, height, fmt, self.overlay_cache(fmt),
                             lambda: self.face_anchor(base, frame_index, project.fps, width, height))
        for track in project.timeline.tracks:
            if track.kind != "overlay" or track.hidden:
                continue
            for item in track.items:
                if not item.start <= frame_index < item.end:
                    continue
                rasterise = render_kind(item).rasterise
                if rasterise is None:
                    continue
                local = frame_index - item.start
                placed = rasterise(keyed(item, local)[0], local, frame)
                if placed is not None:
                    canvas.blend(placed.sprite, placed.x, placed.y, placed.opacity)
        return canvas.buffer

    def _layer_sprite(self, layer: Clip, frame_index: int, fps: Fraction, width: int, height: int, fmt: str,
                      lane: Hashable):
        clip, overrides = keyed(layer, frame_index - layer.start)
        pic, alpha = self.source_rgba(clip, frame_index, fps, overrides, lane, (width, height))
        return layer_sprite(pic, alpha, clip, width, height, fmt)

    @staticmethod
    def _layers(project: Project, frame_index: int) -> list:
        """What each visible video track shows at this frame, bottom to top: a clip, or a
        transition (outgoing clip, incoming clip, kind, progress)."""
        out = []
        for track in project.timeline.tracks:
            if track.kind != "video" or track.hidden:
                continue
            if any(getattr(i, "transition", "none") != "none" for i in track.items):
                from .transitions import transition_at

                found = transition_at(track.items, frame_index)
                if found is not None:
                    out.append(found)
                    continue
            item = track.item_at(frame_index)
            if item is not None:
                out.append(item)
        return out

    def follow_centre(self, clip: Clip, frame_index: int, fps: Fraction, width: int, height: int,
                      rgb: np.ndarray | None = None) -> float | None:
        """Crop centre (fraction of the source width) of a "follow" clip at this frame; else None."""
        if clip.fit != "follow":
            return None
        frame_index = min(max(frame_index, clip.start), clip.end - 1)  # a transition's side holds its path's ends
        info = self.reader(clip.source).info
        still = None
        if info.kind == "image":
            still = rgb if rgb is not None else self.reader(clip.source).frame_at(0, "rgb24")
        return self._follow.centre(clip, frame_index, fps, (info.width, info.height), (width, height), still)

    def face_anchor(self, clip: Clip | None, frame_index: int, fps: Fraction, width: int, height: int):
        """(x, y, face width, roll) in canvas fractions of the first face in the clip under a
        face-anchored sticker, from the clip's tracking cache; None without a clip or a face."""
        if clip is None:
            return None
        from studio.tracking.cache import tracking_for  # MediaPipe loads only for face-anchored items

        clip = keyed(clip, frame_index - clip.start)[0]
        t = float(max(Fraction(0), clip.source_frame(frame_index)) / fps)
        tracking = self._face_tracks.get(clip.source, lambda: tracking_for(clip.source, frozenset({"face"})))
        frame = tracking.at(t)
        if frame is None or not frame.faces:
            return None
        face = frame.faces[0]
        fw, fh = face.size
        info = self.reader(clip.source).info
        scale, ox, oy = clip_to_canvas(clip, info.width, info.height, width, height,
                                       self.follow_centre(clip, frame_index, fps, width, height))
        x0, y0, x1, y1 = face.box
        sx, sy = info.width / fw, info.height / fh
        cx = ((x0 + x1) / 2 * sx * scale + ox) / width
        cy = ((y0 + y1) / 2 * sy * scale + oy) / height
        return cx, cy, (x1 - x0) * sx * scale / width, face.roll


def render_frame(project: Project, frame_index: int, size: tuple[int, int] | None = None,
                 fmt: str = RGB, renderer: Renderer | None = None) -> np.ndarray:
    """Render one frame. Pass a long-lived Renderer when rendering many frames."""
    if renderer is not None:
        return renderer.render(project, frame_index, size, fmt)
    with Renderer() as temporary:
        return temporary.render(project, frame_index, size, fmt)


__all__ = ["I420", "RGB", "Renderer", "render_frame"]
