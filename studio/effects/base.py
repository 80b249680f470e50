"""The effect contract: a small stateless class with declared params and one `apply`."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from studio.effects.params import Param
from studio.tracking.types import FrameTracking


@dataclass
class FrameContext:
    """What an effect may know about the frame besides its pixels.

    `tracking` is already in pixels of `size` (= the frame being processed, (width, height)), or None
    when nothing was tracked. `cache` is a dict private to one effect instance in one chain, kept
    across frames (e.g. stickers resized for this size); None means "don't cache".
    Effects never run MediaPipe: everything they know about faces/hands/people is in `tracking`.
    """

    frame_index: int
    time: float
    tracking: FrameTracking | None
    size: tuple[int, int]
    cache: dict | None = field(default=None, repr=False)
    # shared by every chain of one renderer: read-only resources such as LUTs are built once
    shared: dict | None = field(default=None, repr=False)
    # the frame's opacity (HxW uint8, None = opaque): an effect that cuts the subject out (a
    # transparent chroma key, remove background) narrows it with `cut_out`, so a clip can stand
    # over the layers below it; effects after it still see and return plain RGB
    alpha: np.ndarray | None = field(default=None, repr=False)

    def cut_out(self, matte: np.ndarray) -> None:
        """Keep only what `matte` keeps (float 0..1 or uint8 0..255, HxW) of the frame's opacity."""
        m = matte if matte.dtype == np.uint8 else np.clip(matte * 255.0 + 0.5, 0, 255).astype(np.uint8)
        self.alpha = m if self.alpha is None else np.minimum(self.alpha, m)

    @property
    def faces(self):
        return self.tracking.faces if self.tracking is not None else ()

    @property
    def hands(self):
        return self.tracking.hands if self.tracking is not None else ()

    @property
    def person_mask(self):
        return self.tracking.person_mask if self.tracking is not None else None

    def shared_memo(self, key, make):
        """Like memo, but for immutable resources that any chain of the same renderer may reuse."""
        if self.shared is None:
            return self.memo(key, make)
        try:
            return self.shared[key]
        except KeyError:
            v = self.shared[key] = make()
            return v

    def memo(self, key, make):
        """Value for `key` from the per-effect cache, made by `make()` once."""
        if self.cache is None:
            return make()
        try:
            return self.cache[key]
        except KeyError:
            v = self.cache[key] = make()
            return v


class Effect:
    """Base class. Subclasses set the class attributes and implement `apply`.

    `apply(rgb, ctx, params)` gets an HxWx3 uint8 frame and validated params (defaults filled) and
    returns a frame of the same shape and dtype. It does not modify `rgb` in place.
    """

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    category: ClassVar[str] = ""
    params: ClassVar[tuple[Param, ...]] = ()
    needs: ClassVar[frozenset[str]] = frozenset()
    # True for an effect whose output pixel depends on that input pixel's value alone (a look/LUT,
    # a colour curve): it commutes with cropping, so the renderer may run it on just the part of
    # the picture a clip shows instead of the whole source. Such an effect needs no tracking,
    # moves no pixels, reads no position and cuts nothing out.
    pointwise: ClassVar[bool] = False

    def apply(self, rgb: np.ndarray, ctx: FrameContext, params: dict[str, Any]) -> np.ndarray:
        raise NotImplementedError

    def check(self, params: dict[str, Any]) -> None:
        """Raise EffectError if a resource named by `params` (sticker, look, file) is unusable.

        Called once by EffectChain's constructor, so a missing file fails early, not mid-export."""

    def describe(self) -> dict:
        """JSON-friendly description for the UI."""
        return {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "needs": sorted(self.needs),
            "params": [
                {"name": p.name, "type": p.type, "default": p.default, "min": p.min, "max": p.max,
                 "choices": list(p.choices), "animatable": p.animatable, "title": p.title or p.name}
                for p in self.params
            ],
        }
