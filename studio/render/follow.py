"""'follow' fit: a 9:16 crop window that pans across a wider source to keep the subject in view.

The export knows the whole clip, so the pan is planned offline, once per clip, from the cached
tracking (studio.tracking.cache, shared with the AR effects): the subject's x per frame (the
largest face; on frames without one, when faces are often missed, the person mask's centroid),
with gaps bridged by straight lines, then a path a camera operator would take: it holds still while the subject stays inside a dead
zone, moves with limited speed and acceleration (planned forwards and backwards and averaged, so
it starts moving as the subject starts rather than after), and is rounded by a zero-phase
exponential filter. The path is a crop centre per clip frame, as a fraction of the source width,
so preview and export (any output size of the same aspect) share it.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from studio.model import Clip

# all distances are fractions of the crop window's width (cw), so the feel is the same at any size
DEAD_ZONE = 0.15  # the subject may wander this far either side of the window centre before it moves
MAX_SPEED = 0.9  # cw per second
MAX_ACCEL = 2.5  # cw per second squared
SMOOTH_SECONDS = 0.12  # time constant of the forward-backward exponential filter
MEDIAN_FRAMES = 9  # a detection that jumps for up to four frames is ignored
PERSON_MIN_AREA = 0.01
FACE_MISSES_FOR_PERSON = 0.25  # share of frames without a face above which the person mask fills in  # mask fraction below which there is no person to follow


def crop_width(width: int, height: int, canvas_w: int, canvas_h: int) -> float:
    """Width (source pixels) of the canvas-shaped window spanning the full source height."""
    return min(float(width), height * canvas_w / canvas_h)


def _median(x: np.ndarray, n: int) -> np.ndarray:
    if len(x) < 3 or n < 3:
        return x
    r = n // 2
    padded = np.concatenate([np.full(r, x[0]), x, np.full(r, x[-1])])
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, n), axis=1)


def _fill_gaps(x: np.ndarray, default: float) -> np.ndarray:
    """Frames without a subject take a position on the line between the known ones around them
    (the export knows the future), held before the first and after the last."""
    known = np.flatnonzero(~np.isnan(x))
    if not len(known):
        return np.full(len(x), default)
    return np.interp(np.arange(len(x)), known, x[known])


def _dead_zone(subject: np.ndarray, half: float, start: float) -> np.ndarray:
    """The target only moves when the subject leaves the zone, just enough to keep it on the edge."""
    out = np.empty_like(subject)
    t = start
    for i, s in enumerate(subject):
        if s > t + half:
            t = s - half
        elif s < t - half:
            t = s + half
        out[i] = t
    return out


def _pursue(target: np.ndarray, dt: float, vmax: float, amax: float) -> np.ndarray:
    """Chase the target with bounded speed and acceleration, braking in time to stop on it."""
    out = np.empty_like(target)
    c, v = float(target[0]), 0.0
    for i, t in enumerate(target):
        err = t - c
        # brake as if the acceleration were lower: the discrete steps then stop on the target
        # instead of overshooting it and swinging back
        want = math.copysign(min(vmax, math.sqrt(amax * abs(err)), abs(err) / dt), err)
        v = min(max(want, v - amax * dt), v + amax * dt)
        c += v * dt
        out[i] = c
    return out


def _zero_phase_ema(x: np.ndarray, alpha: float) -> np.ndarray:
    def ema(seq):
        out = np.empty_like(seq)
        acc = seq[0]
        for i, v in enumerate(seq):
            acc += alpha * (v - acc)
            out[i] = acc
        return out

    return ema(ema(x)[::-1])[::-1]


def plan_path(subject_x: np.ndarray, width: float, crop_w: float, fps: float) -> np.ndarray:
    """Crop-centre x (source pixels) per frame from the subject's x per frame (NaN = not found)."""
    n = len(subject_x)
    lo, hi = crop_w / 2, width - crop_w / 2
    if n == 0 or hi <= lo:
        return np.full(n, width / 2)
    dt = 1.0 / fps
    s = _fill_gaps(np.asarray(subject_x, np.float64), width / 2)
    s = np.clip(_median(s, MEDIAN_FRAMES), lo, hi)  # a subject at the edge cannot be centred further
    # the dead zone leaves the subject on the zone's trailing edge while it moves; planned both
    # ways and averaged, the window is centred on a moving subject and still where it stops
    half = DEAD_ZONE * crop_w
    target = (_dead_zone(s, half, float(s[0])) + _dead_zone(s[::-1], half, float(s[-1]))[::-1]) / 2
    vmax, amax = MAX_SPEED * crop_w, MAX_ACCEL * crop_w
    path = (_pursue(target, dt, vmax, amax) + _pursue(target[::-1], dt, vmax, amax)[::-1]) / 2
    alpha = 1.0 - math.exp(-dt / SMOOTH_SECONDS)
    return np.clip(_zero_phase_ema(path, alpha), lo, hi)


def subject_x_of(tracking, width: int) -> float:
    """x (source pixels) of the largest face in a FrameTracking, else NaN."""
    if tracking is None or not tracking.faces:
        return math.nan
    sx = width / tracking.size[0]
    best = max(tracking.faces, key=lambda f: f.box[2] - f.box[0])
    x0, _, x1, _ = best.box
    return (x0 + x1) / 2 * sx


def person_x_of(tracking, width: int) -> float:
    if tracking is None or tracking.person_mask is None:
        return math.nan
    m = tracking.person_mask.mask.astype(np.float32)
    total = m.sum()
    if total < PERSON_MIN_AREA * 255 * m.size:
        return math.nan
    cols = m.sum(axis=0)
    return float((cols * (np.arange(m.shape[1]) + 0.5)).sum() / total) * width / m.shape[1]


def clip_source_indices(clip: Clip, fps: Fraction, source_fps: Fraction, frame_count: int) -> np.ndarray:
    """Source frame index shown at each frame of the clip (what TrackingCache indexes by)."""
    idx = [int(round(float(clip.source_frame(clip.start + i) / fps * source_fps))) for i in range(clip.duration)]
    return np.clip(np.array(idx, np.int64), 0, max(0, frame_count - 1))


def track_subject(source: str, indices: np.ndarray, width: int, tracking_for) -> np.ndarray:
    """Subject x per entry of `indices` from the cached tracking: the face; where faces are often
    missed (small faces in a wide shot), the person mask's centroid on the frames without one.
    Each distinct source frame is looked up once."""
    unique = sorted(set(indices.tolist()))
    with tracking_for(source, frozenset({"face"})) as cache:
        found = {k: subject_x_of(cache.frame_tracking(k), width) for k in unique}
    missing = [k for k, v in found.items() if math.isnan(v)]
    if len(missing) > FACE_MISSES_FOR_PERSON * len(unique):
        # a second pass only when needed, after the face pass has flushed: both write the same
        # per-source cache file
        with tracking_for(source, frozenset({"segmentation"})) as cache:
            person = {k: person_x_of(cache.frame_tracking(k), width) for k in unique}
        # a body's centroid is not where its face is (arms, a bag): shift it by the typical gap
        # on frames that have both, so switching between the two does not jolt the subject
        gaps = [found[k] - person[k] for k in unique if not math.isnan(found[k]) and not math.isnan(person[k])]
        offset = float(np.median(gaps)) if gaps else 0.0
        for k in missing:
            found[k] = person[k] + offset
    return np.array([found[k] for k in indices.tolist()], np.float64)


class FollowPaths:
    """Planned crop paths of the clips a renderer has met, keyed by what the path depends on."""

    def __init__(self, capacity: int = 8):
        from .lru import LRU

        self._paths = LRU(capacity)

    def centre(self, clip: Clip, frame_index: int, fps: Fraction, size: tuple[int, int],
               canvas: tuple[int, int], still_rgb=None) -> float:
        """Crop-centre x as a fraction of the source width at timeline frame `frame_index`."""
        width, height = size
        aspect = Fraction(canvas[0], canvas[1]).limit_denominator(1000)
        key = (clip.source, clip.source_in, clip.speed, clip.duration, fps, aspect, still_rgb is None)
        path = self._paths.get(key, lambda: self._plan(clip, fps, size, canvas, still_rgb))
        return float(path[min(max(frame_index - clip.start, 0), len(path) - 1)])

    @staticmethod
    def _plan(clip: Clip, fps: Fraction, size, canvas, still_rgb) -> np.ndarray:
        width, height = size
        cw = crop_width(width, height, *canvas)
        if still_rgb is not None:  # a still: one look at the picture, then a fixed window
            from studio.tracking.tracker import Tracker

            with Tracker(frozenset({"face"}), smooth=False) as tracker:
                x = subject_x_of(tracker.track(still_rgb, 0.0), width)
            path = plan_path(np.array([x]), width, cw, float(fps))
        else:
            from studio.media.sequential import IndexedFrames
            from studio.tracking.cache import tracking_for

            frames = IndexedFrames(clip.source)
            try:
                source_fps, count = frames.fps, frames.frame_count
            finally:
                frames.close()
            indices = clip_source_indices(clip, fps, source_fps, count)
            subject = track_subject(clip.source, indices, width, tracking_for)
            path = plan_path(subject, width, cw, float(fps))
        return (path / width).astype(np.float32)

    def clear(self) -> None:
        self._paths.clear()


__all__ = ["DEAD_ZONE", "FollowPaths", "MAX_ACCEL", "MAX_SPEED", "SMOOTH_SECONDS", "crop_width", "plan_path"]
