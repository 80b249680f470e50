"""The public entry point for the renderer and capture: a validated list of effects applied in order.

    chain = EffectChain(item.effects, tracking_source="take1.mkv")
    out = chain.apply(rgb, frame_index=i, time=source_time)

`rgb` is the whole source picture at any scale (same aspect as the source): landmarks from the
cache are in source pixels and are scaled to `rgb`'s size. Crop/fit into the vertical canvas
after the chain, not before, unless the chain is `pointwise` (then a crop is as good as the whole).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from studio.effects.base import FrameContext
from studio.effects.errors import EffectError
from studio.effects.registry import EffectRegistry, default_registry
from studio.tracking.gestures import GESTURES
from studio.tracking.types import FrameTracking, mirror_tracking


@dataclass
class _Step:
    effect: Any
    params: dict
    trigger: str | None
    cache: dict = field(default_factory=dict)  # per-step memo (resized stickers, LUTs, masks...)


class EffectChain:
    """Effects from `refs` (objects with .id .params .enabled .trigger, e.g. model.EffectRef).

    tracking_source: None = live (an internal Tracker tracks each frame, only the parts the chain
    needs); a path = use the on-disk TrackingCache of that media file and pass the SOURCE time to
    `apply`. Raises EffectError for unknown effects, bad params or unknown triggers.
    """

    def __init__(self, refs: Iterable, *, registry: EffectRegistry | None = None,
                 tracking_source: str | Path | None = None, tracker=None, cache_dir=None,
                 shared: dict | None = None):
        self.registry = registry or default_registry()
        self._steps: list[_Step] = []
        for ref in refs:
            if not getattr(ref, "enabled", True):
                continue
            effect = self.registry.get(ref.id)
            params = self.registry.validate(ref.id, getattr(ref, "params", None) or {})
            trigger = getattr(ref, "trigger", None)
            if trigger is not None and trigger not in GESTURES:
                raise EffectError(f"effect '{ref.id}': trigger must be one of {', '.join(GESTURES)}, got {trigger!r}")
            effect.check(params)
            self._steps.append(_Step(effect, params, trigger))
        needs = set()
        for s in self._steps:
            needs |= s.effect.needs
            if s.trigger:
                needs.add("hands")
        self.needs = frozenset(needs)
        self.tracking_source = tracking_source
        self._tracker = tracker  # live tracker (created on first frame when needed)
        self._cache = None
        self._cache_dir = cache_dir
        self._shared = shared  # resources shared with other chains (see FrameContext.shared)

    @property
    def is_empty(self) -> bool:
        return not self._steps

    @property
    def pointwise(self) -> bool:
        """Every step maps each pixel by its value alone and nothing is tracked: applying the chain
        to a crop gives that crop of the chain applied to the whole picture."""
        return not self.needs and all(step.effect.pointwise for step in self._steps)

    def _tracking(self, rgb: np.ndarray, time: float) -> FrameTracking | None:
        if not self.needs:
            return None
        h, w = rgb.shape[:2]
        if self.tracking_source is None:
            if self._tracker is None:
                from studio.tracking.tracker import Tracker

                self._tracker = Tracker(self.needs)
            return self._tracker.track(rgb, time, self.needs)
        if self._cache is None:
            from studio.tracking.cache import TrackingCache

            self._cache = TrackingCache(self.tracking_source, self.needs, cache_dir=self._cache_dir,
                                        tracker=self._tracker)
        tr = self._cache.at(time)
        return None if tr is None else tr.scaled_to((w, h))

    def apply(self, rgb: np.ndarray, *, frame_index: int, time: float,
              overrides: dict[str, dict] | None = None) -> np.ndarray:
        """The frame with every enabled effect applied (a new array; `rgb` is not modified)."""
        return self.apply_rgba(rgb, frame_index=frame_index, time=time, overrides=overrides)[0]

    def apply_rgba(self, rgb: np.ndarray, *, frame_index: int, time: float,
                   overrides: dict[str, dict] | None = None) -> tuple[np.ndarray, np.ndarray | None]:
        """(frame, opacity or None when opaque) with every enabled effect applied. `overrides`:
        effect id -> {param: value} for this frame (keyframed params), applied to the first
        step with that id and kept inside the param's declared range."""
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError(f"effect chain: expected an HxWx3 uint8 frame, got {rgb.shape} {rgb.dtype}")
        if not self._steps:
            return rgb.copy(), None
        tracking = self._tracking(rgb, time)
        gestures = tracking.gestures if tracking is not None else frozenset()
        h, w = rgb.shape[:2]
        out = rgb
        alpha = None
        pending = dict(overrides or {})
        for step in self._steps:
            params = step.params
            if step.effect.id in pending:
                params = _overridden(step.effect, params, pending.pop(step.effect.id))
            if step.trigger is not None and step.trigger not in gestures:
                continue
            ctx = FrameContext(frame_index, time, tracking, (w, h), step.cache, self._shared, alpha)
            out = step.effect.apply(out, ctx, params)
            alpha = ctx.alpha
            if step.effect.id == "mirror":
                if tracking is not None:
                    tracking = mirror_tracking(tracking)  # later effects must see the flipped face
                if alpha is not None:
                    alpha = alpha[:, ::-1].copy()
        return (out if out is not rgb else rgb.copy()), alpha

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(step.effect.id for step in self._steps)

    def close(self) -> None:
        """Save new tracking to the cache and release MediaPipe."""
        if self._cache is not None:
            self._cache.close()
        if self._tracker is not None:
            self._tracker.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _overridden(effect, params: dict, values: dict) -> dict:
    """`params` with keyframed numbers in place, clamped to each param's declared range (keys hold
    any float; an effect only ever sees values its declaration allows)."""
    out = dict(params)
    for p in effect.params:
        if p.name in values and p.type in ("float", "int"):
            v = float(values[p.name])
            if p.min is not None:
                v = max(v, p.min)
            if p.max is not None:
                v = min(v, p.max)
            out[p.name] = int(round(v)) if p.type == "int" else v
    return out
