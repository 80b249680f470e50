"""One Euro filter (Casiez et al. 2012) for whole landmark sets.

One cutoff per set (from the set's mean speed) rather than per point, so a face keeps its shape:
per-point cutoffs would let fast-moving points run ahead of slow ones.
"""
from __future__ import annotations

import math

import numpy as np


def _alpha(cutoff: float, dt: float) -> float:
    tau = 1.0 / (2.0 * math.pi * cutoff)
    return 1.0 / (1.0 + tau / dt)


class OneEuroFilter:
    """Filter an array of any shape over time. Units of `beta` are 1/(units of x per second)."""

    def __init__(self, min_cutoff: float = 1.0, beta: float = 10.0, d_cutoff: float = 1.0):
        self.min_cutoff, self.beta, self.d_cutoff = min_cutoff, beta, d_cutoff
        self.reset()

    def reset(self) -> None:
        self._x: np.ndarray | None = None
        self._dx = 0.0
        self._t: float | None = None

    def __call__(self, x: np.ndarray, t: float) -> np.ndarray:
        x = np.asarray(x, dtype=np.float32)
        if self._x is None or self._t is None or t <= self._t or self._x.shape != x.shape:
            self._x, self._dx, self._t = x.copy(), 0.0, t
            return x.copy()
        dt = t - self._t
        # mean per-point speed of the set drives the cutoff
        speed = float(np.abs(x - self._x).mean()) / dt
        a_d = _alpha(self.d_cutoff, dt)
        self._dx = a_d * speed + (1.0 - a_d) * self._dx
        a = _alpha(self.min_cutoff + self.beta * self._dx, dt)
        self._x = (a * x + (1.0 - a) * self._x).astype(np.float32)
        self._t = t
        return self._x.copy()


class SetSmoother:
    """One Euro filters for a varying number of landmark sets (faces or hands) across frames.

    Sets are matched to the previous frame's by nearest centroid; an unmatched set starts a new
    filter, a vanished set drops its filter. Works on normalised coordinates.
    """

    def __init__(self, min_cutoff: float = 1.0, beta: float = 10.0, max_jump: float = 0.25):
        self.min_cutoff, self.beta, self.max_jump = min_cutoff, beta, max_jump
        self._tracks: list[tuple[np.ndarray, OneEuroFilter]] = []  # (centroid xy, filter)

    def reset(self) -> None:
        self._tracks = []

    def __call__(self, sets: list[np.ndarray], t: float) -> list[np.ndarray]:
        out, new_tracks, free = [], [], list(range(len(self._tracks)))
        for pts in sets:
            c = pts[:, :2].mean(0)
            best, best_d = None, self.max_jump
            for i in free:
                d = float(np.hypot(*(self._tracks[i][0] - c)))
                if d < best_d:
                    best, best_d = i, d
            if best is None:
                f = OneEuroFilter(self.min_cutoff, self.beta)
            else:
                free.remove(best)
                f = self._tracks[best][1]
            sm = f(pts, t)
            out.append(sm)
            new_tracks.append((c, f))
        self._tracks = new_tracks
        return out
