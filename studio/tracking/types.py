"""Plain data produced by tracking: landmarks in pixels of a given frame size, hands, person mask.

Everything here is immutable-ish value data; effects read it, never MediaPipe.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Self

import cv2
import numpy as np

# MediaPipe face-mesh indices (refine_landmarks=True gives 478 points; 468.. are the irises).
RIGHT_IRIS_CENTRE = 468  # the subject's right eye: image-left on an unmirrored frame
LEFT_IRIS_CENTRE = 473
RIGHT_EYE_CORNERS = (33, 133)
LEFT_EYE_CORNERS = (362, 263)


class _Landmarks:
    """What faces and hands share: `points` (N, 3) in pixels of `size` = (width, height)."""

    @property
    def box(self) -> tuple[int, int, int, int]:
        """Bounding box (x0, y0, x1, y1) of all landmarks, clipped to the frame."""
        w, h = self.size
        x0, y0 = np.floor(self.points[:, :2].min(0)).astype(int)
        x1, y1 = np.ceil(self.points[:, :2].max(0)).astype(int)
        return max(0, x0), max(0, y0), min(w, x1 + 1), min(h, y1 + 1)

    def scaled_to(self, size: tuple[int, int]) -> Self:
        if tuple(size) == tuple(self.size):
            return self
        sx, sy = size[0] / self.size[0], size[1] / self.size[1]
        return dataclasses.replace(self, points=self.points * np.float32([sx, sy, sx]), size=tuple(size))


@dataclass(frozen=True)
class FaceLandmarks(_Landmarks):
    """One face: `points` is (478, 3) float32, x/y in pixels of `size`, z in the same pixel scale."""

    points: np.ndarray
    size: tuple[int, int]  # (width, height) of the frame the pixels refer to
    score: float = 1.0

    def eye_centres(self) -> tuple[np.ndarray, np.ndarray]:
        """(subject's right eye, subject's left eye) centres as (x, y); iris centres when present."""
        p = self.points
        if len(p) > LEFT_IRIS_CENTRE:
            return p[RIGHT_IRIS_CENTRE, :2].copy(), p[LEFT_IRIS_CENTRE, :2].copy()
        return p[list(RIGHT_EYE_CORNERS), :2].mean(0), p[list(LEFT_EYE_CORNERS), :2].mean(0)

    @property
    def inter_eye_distance(self) -> float:
        a, b = self.eye_centres()
        return float(np.hypot(*(b - a)))

    @property
    def roll(self) -> float:
        """Head roll in degrees: angle of the eye line in image coordinates (y down); 0 = upright."""
        a, b = self.eye_centres()
        return float(np.degrees(np.arctan2(b[1] - a[1], b[0] - a[0])))


@dataclass(frozen=True)
class HandLandmarks(_Landmarks):
    """One hand: `points` (21, 3) float32 in pixels of `size`; handedness 'Left'/'Right' as MediaPipe labels it."""

    points: np.ndarray
    size: tuple[int, int]
    handedness: str = ""
    score: float = 1.0
    gesture: str | None = None


class PersonMask:
    """Person probability mask kept at its (small) working size; `at(size)` resizes on demand.

    The resized versions are memoised in the object because several effects in one chain ask for
    the same size in the same frame.
    """

    def __init__(self, mask: np.ndarray):
        if mask.dtype != np.uint8:
            mask = np.clip(mask * 255.0 + 0.5, 0, 255).astype(np.uint8)
        self.mask = mask  # uint8 HxW, 255 = person
        self._resized: dict[tuple[int, int], np.ndarray] = {}

    @property
    def size(self) -> tuple[int, int]:
        return self.mask.shape[1], self.mask.shape[0]

    def at(self, size: tuple[int, int]) -> np.ndarray:
        """uint8 mask (H, W) at `size` = (width, height), 255 = person."""
        size = (int(size[0]), int(size[1]))
        m = self._resized.get(size)
        if m is None:
            m = self.mask if size == self.size else cv2.resize(self.mask, size, interpolation=cv2.INTER_LINEAR)
            self._resized[size] = m
        return m

    def float_at(self, size: tuple[int, int]) -> np.ndarray:
        return self.at(size).astype(np.float32) * (1.0 / 255.0)


@dataclass(frozen=True)
class FrameTracking:
    """What tracking found in one frame, in pixels of `size` = (width, height)."""

    size: tuple[int, int]
    faces: tuple[FaceLandmarks, ...] = ()
    hands: tuple[HandLandmarks, ...] = ()
    person_mask: PersonMask | None = None
    parts: frozenset[str] = field(default_factory=frozenset)  # which of face/hands/segmentation ran

    @property
    def gestures(self) -> frozenset[str]:
        return frozenset(h.gesture for h in self.hands if h.gesture)

    def scaled_to(self, size: tuple[int, int]) -> "FrameTracking":
        size = (int(size[0]), int(size[1]))
        if size == tuple(self.size):
            return self
        return FrameTracking(
            size,
            tuple(f.scaled_to(size) for f in self.faces),
            tuple(h.scaled_to(size) for h in self.hands),
            self.person_mask,  # the mask resizes itself on demand
            self.parts,
        )


def mirror_tracking(tr: FrameTracking) -> FrameTracking:
    """The same tracking for the left-right flipped frame (for effects placed after `mirror`)."""
    w = tr.size[0]

    def flip(p):
        q = p.copy()
        q[:, 0] = w - q[:, 0]
        return q

    # Flipping swaps the subject's sides: keep "index 468 = image-left eye" semantics by swapping
    # nothing in the mesh (indices are anatomical), only handedness labels of hands.
    faces = tuple(FaceLandmarks(flip(f.points), f.size, f.score) for f in tr.faces)
    swap = {"Left": "Right", "Right": "Left"}
    hands = tuple(HandLandmarks(flip(h.points), h.size, swap.get(h.handedness, h.handedness), h.score, h.gesture)
                  for h in tr.hands)
    mask = PersonMask(cv2.flip(tr.person_mask.mask, 1)) if tr.person_mask is not None else None
    return FrameTracking(tr.size, faces, hands, mask, tr.parts)
