"""'follow' fit: a 9:16 crop window that pans across a wider source to keep the subject in view.

The export knows the whole clip, so the pan is planned offline, once per clip, from the cached
tracking (studio.tracking.cache, shared with the AR effects): the subject's x on every other
frame (the largest face; on frames without one, when faces are often missed, the person mask's
centroid), with the frames between and any gaps bridged by straight lines, then a path a camera
operator would take: it holds still while the subject stays inside a dead zone, moves with
limited speed and acceleration (planned forwards and backwards and averaged, so it starts moving
as the subject starts rather than after), is rounded by a zero-phase exponential filter, and is
pinned still where the subject stops. The path is a crop centre per clip frame, as a fraction of
the source width, so preview and export (any output size of the same aspect) share it.
"""
from __future__ import annotations

import math
from collections import deque
from fractions import Fraction

import numpy as np

from studio.model import Clip

# all distances are fractions of the crop window's width (cw), so the feel is the same at any size
DEAD_ZONE = 0.15  # the subject may wander this far either side of the window centre before it moves
MAX_SPEED = 0.9  # cw per second
MAX_ACCEL = 2.5  # cw per second squared
SMOOTH_SECONDS = 0.12  # time constant of the forward-backward exponential filter
# Holds: the dead zone's edge follows a still subject's small drift, and the pursue planned both
# ways arrives and leaves at different times, so a still window would creep by a pixel or two a
# frame. Where the subject stays inside a band HOLD_BAND zone-widths wide for HOLD_SECONDS, the
# window is pinned to one position, eased in and out over HOLD_EASE seconds.
HOLD_BAND = 0.8
HOLD_SECONDS = 1.0
HOLD_EASE = 0.4
MEDIAN_FRAMES = 9  # a detection that jumps for up to four frames is ignored
PERSON_MIN_AREA = 0.01  # mask fraction below which there is no person to follow
FACE_MISSES_FOR_PERSON = 0.25  # share of frames without a face above which the person mask fills in


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


def _reach(s: np.ndarray, band: float) -> np.ndarray:
    """For each i, the end (exclusive) of the longest stretch from i whose range fits in `band`
    (two pointers with running max/min queues: linear time)."""
    n = len(s)
    out = np.empty(n, np.int64)
    hi, lo = deque(), deque()
    j = 0
    for i in range(n):
        while j < n and max(s[hi[0]] if hi else s[j], s[j]) - min(s[lo[0]] if lo else s[j], s[j]) <= band:
            while hi and s[hi[-1]] <= s[j]:
                hi.pop()
            while lo and s[lo[-1]] >= s[j]:
                lo.pop()
            hi.append(j)
            lo.append(j)
            j += 1
        out[i] = j
        for q in (hi, lo):
            if q and q[0] == i:
                q.popleft()
    return out


def _holds(s: np.ndarray, band: float, min_len: int) -> list[tuple[int, int]]:
    """Non-overlapping stretches [a, b) of at least `min_len` frames where `s` stays within `band`,
    the longest taken first (so a stop is one hold, not split where a greedy scan would start)."""
    ends = _reach(s, band)
    taken = np.zeros(len(s), bool)
    out = []
    for i in np.argsort(np.arange(len(s)) - ends, kind="stable"):
        a, end = int(i), int(ends[i])
        while a < end and taken[a]:
            a += 1
        b = a
        while b < end and not taken[b]:
            b += 1
        if b - a >= min_len:
            taken[a:b] = True
            out.append((a, b))
    return out


def _pin_holds(path: np.ndarray, s: np.ndarray, half: float, fps: float, vmax: float) -> np.ndarray:
    """`path` pinned to one position over each hold of the subject `s`: the path's typical position
    there, moved if needed so the whole hold stays inside the dead zone; eased in and out, and left
    as it was where easing would break the speed limit."""
    ease = max(1, int(round(HOLD_EASE * fps)))
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0, math.pi, ease + 2)[1:-1])
    out = path.copy()
    for a, b in _holds(s, 2 * half * HOLD_BAND, max(int(round(HOLD_SECONDS * fps)), 2 * ease + 1)):
        c = float(np.clip(np.median(path[a:b]), s[a:b].max() - half, s[a:b].min() + half))
        w = np.ones(b - a)
        if a > 0:
            w[:ease] = ramp
        if b < len(s):
            w[-ease:] = ramp[::-1]
        pinned = (1 - w) * path[a:b] + w * c
        edges = np.concatenate([path[max(0, a - 1):a], pinned, path[b:b + 1]])
        if np.abs(np.diff(edges)).max(initial=0.0) <= vmax / fps:
            out[a:b] = pinned
    return out


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
    path = _pin_holds(_zero_phase_ema(path, alpha), s, half, fps, vmax)
    return np.clip(path, lo, hi)


def subject_x_of(tracking, width: int) -> float:
    """x (source pixels) of the largest face in a FrameTracking, else NaN."""
    if tracking is None or not tracking.faces:
        return math.nan
    sx = width / tracking.size[0]
    best = max(tracking.faces, key=lambda f: f.box[2] - f.box[0])
    x0, _, x1, _ = best.box
    return (x0 + x1) / 2 * sx


def clip_source_indices(clip: Clip, fps: Fraction, source_fps: Fraction, frame_count: int) -> np.ndarray:
    """Source frame index shown at each frame of the clip (what TrackingCache indexes by)."""
    idx = [int(round(float(clip.source_frame(clip.start + i) / fps * source_fps))) for i in range(clip.duration)]
    return np.clip(np.array(idx, np.int64), 0, max(0, frame_count - 1))


# The pan is planned from the subject found on every FOLLOW_STRIDE-th distinct source frame (10 a
# second at 30 fps), the frames between filled in on a straight line as frames without a face are:
# the plan's 9-frame median, dead zone, speed and acceleration limits and 0.12 s smoothing leave no
# detail finer than that, and tracking is most of the cost of a first export of a clip (issue 13).
# The raw (unsmoothed) landmarks are read, so no smoothing window around each frame is tracked.
# On the webcam clip moved across a wide canvas (tests/render/test_follow_reframe.py), strides 2 and
# 3 plan alike: still jitter 0.000 px both, peak speed 26.8 / 27.4 px a frame (limit 34), the face
# inside the middle 60% on every frame; stride 3 tracks a third fewer frames (about 1.5 s less CPU
# on a 30 s clip). Looks are further apart than frames, so the plan's 9-frame median would let a
# third of a one-look jump through at stride 3 (a false face on one look: a 20 px wobble where
# stride 2 had none): the looks get a median of LOOK_MEDIAN first, which ignores it again.
FOLLOW_STRIDE = 3
LOOK_MEDIAN = 3


def largest_face_x(faces, width: int) -> float:
    """x (source pixels) of the widest face's box centre in raw normalised (n, 478, 3) landmarks
    (FaceLandmarks.box's rounding), else NaN."""
    if faces is None or not len(faces):
        return math.nan
    xs = np.asarray(faces, np.float32).reshape(-1, 478, 3)[:, :, 0] * np.float32(width)
    x0 = np.maximum(0, np.floor(xs.min(1)))
    x1 = np.minimum(width, np.ceil(xs.max(1)) + 1)
    best = int(np.argmax(x1 - x0))
    return float((x0[best] + x1[best]) / 2)


def mask_x(mask, width: int) -> float:
    """x (source pixels) of a person mask's centroid; NaN when it covers almost nothing."""
    if mask is None:
        return math.nan
    m = np.asarray(mask, np.float32)
    total = m.sum()
    if total < PERSON_MIN_AREA * 255 * m.size:
        return math.nan
    cols = m.sum(axis=0)
    return float((cols * (np.arange(m.shape[1]) + 0.5)).sum() / total) * width / m.shape[1]


def track_subject(source: str, indices: np.ndarray, width: int, tracking_for,
                  stride: int = FOLLOW_STRIDE) -> np.ndarray:
    """Subject x per entry of `indices` (NaN where not looked at or not found) from the cached raw
    tracking of every `stride`-th distinct source frame (and the last): the face; where faces are
    often missed (small faces in a wide shot), the person mask's centroid on the frames without one;
    then a median of LOOK_MEDIAN looks, so a subject found far off on one look alone is ignored."""
    unique = sorted(set(indices.tolist()))
    looks = unique[::max(1, stride)]
    if unique and looks[-1] != unique[-1]:
        looks.append(unique[-1])  # the path's end is known, not held from the last look
    with tracking_for(source, frozenset({"face"})) as cache:
        found = {k: largest_face_x(f, width) for k, f in cache.raw(looks, "face").items()}
    missing = [k for k, v in found.items() if math.isnan(v)]
    if len(missing) > FACE_MISSES_FOR_PERSON * len(looks):
        # a second pass only when needed, after the face pass has flushed: both write the same
        # per-source cache file
        with tracking_for(source, frozenset({"segmentation"})) as cache:
            person = {k: mask_x(m, width) for k, m in cache.raw(looks, "segmentation").items()}
        # a body's centroid is not where its face is (arms, a bag): shift it by the typical gap
        # on frames that have both, so switching between the two does not jolt the subject
        gaps = [found[k] - person[k] for k in looks if not math.isnan(found[k]) and not math.isnan(person[k])]
        offset = float(np.median(gaps)) if gaps else 0.0
        for k in missing:
            found[k] = person[k] + offset
    seen = [k for k in looks if not math.isnan(found[k])]  # in order; the looks without a subject left out
    for k, x in zip(seen, _median(np.array([found[k] for k in seen], np.float64), LOOK_MEDIAN)):
        found[k] = float(x)
    return np.array([found.get(k, math.nan) for k in indices.tolist()], np.float64)


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


__all__ = ["DEAD_ZONE", "FOLLOW_STRIDE", "FollowPaths", "LOOK_MEDIAN", "MAX_ACCEL", "MAX_SPEED", "SMOOTH_SECONDS", "crop_width", "plan_path"]
