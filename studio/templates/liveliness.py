"""Which part of a clip is the liveliest: where a slot shorter than the clip takes its picture from.

Cheap on purpose (a minute of 1080p analyses in a few seconds): the clip is sampled SAMPLE_FPS
times a second, each sample's luma plane shrunk to ANALYSIS_WIDTH pixels wide, and

- **motion** at a sample is the mean absolute difference of that small picture to the next
  sample's (grey levels) less NOISE (what an encoder's grain amounts to on a still picture),
  capped at MOTION_CAP; a lone spike (a cut or a flash inside the clip:
  SPIKE_RATIO times both neighbours) counts as much as its neighbours, so it does not make the
  window around it look lively;
- **faces**: every FACE_EVERY-th sample goes through MediaPipe's face mesh at FACE_LONG_SIDE
  pixels; a sample near one that shows a face scores FACE_BONUS more (people watch faces).

A window of the slot's length scores the mean of its samples; the best window wins, or the
earliest that scores within TIE of it (motion measures are not that exact, and an early pick
leaves the rest of a lively stretch whole for another slot; a clip that never moves starts at its
beginning). A clip that fills several slots gives
them parts in its own order (the story moves forward, a reaction cuts back to where the video
went on) chosen together for the most liveliness in all, when they fit side by side; when they
do not, each takes the best part left, overlapping the others as little as it can. Parts other
clips of a project already show are avoided while the clip has room elsewhere."""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from studio.media.decode import open_visual
from studio.media.probe import MediaInfo, probe

SAMPLE_FPS = 6.0
ANALYSIS_WIDTH = 64
MOTION_CAP = 24.0  # grey levels
SPIKE_RATIO = 3.0
NOISE = 0.5  # grey levels: a still picture's compression noise measures 0.1-0.3
FACE_EVERY = 3  # samples: two face checks a second
FACE_LONG_SIDE = 256
FACE_BONUS = 4.0  # grey levels of motion a face is worth
TIE = 0.05  # windows scoring within 5% of the best count as equally lively
OVERLAP_PENALTY = 1000.0  # per second of a part shown again: only when nothing else fits


@dataclass(frozen=True)
class Liveliness:
    """A clip's samples: `times` (s), `motion` (grey levels, from each sample to the next) and
    `faces` (a face near that sample)."""
    duration: float
    times: np.ndarray
    motion: np.ndarray
    faces: np.ndarray

    @property
    def score(self) -> np.ndarray:
        return np.minimum(self.motion, MOTION_CAP) + FACE_BONUS * self.faces

    def window_scores(self, seconds: float, within: tuple[float, float] | None = None,
                      avoid: tuple[tuple[float, float], ...] = ()) -> tuple[np.ndarray, np.ndarray]:
        """(candidate starts, their scores) for a window of `seconds` inside `within` (s, s)."""
        lo, hi = within if within is not None else (0.0, self.duration)
        hi = min(hi, self.duration)
        last = hi - seconds
        if last <= lo + 1e-9:
            return np.array([max(0.0, min(lo, self.duration - seconds))]), np.zeros(1)
        step = 1.0 / SAMPLE_FPS
        starts = np.unique(np.append(np.arange(lo, last, step), last))
        score = self.score
        sums = np.concatenate([[0.0], np.cumsum(score)])
        # sample k covers [t_k, t_k + step): a window holds the samples that start inside it
        first = np.searchsorted(self.times, starts - 1e-9)
        end = np.searchsorted(self.times, starts + seconds - step + 1e-9, side="right")
        end = np.minimum(np.maximum(end, first + 1), len(self.times))  # a window shorter than a sample
        first = np.minimum(first, end - 1)
        count = np.maximum(end - first, 1)
        result = (sums[end] - sums[first]) / count
        if avoid:
            # the most a window repeats of any one part counts most: when a clip is too short for all
            # its uses, a part half-repeating two others beats one that shows another part again
            overlaps = np.array([np.clip(np.minimum(starts + seconds, b) - np.maximum(starts, a), 0.0, None)
                                 for a, b in avoid])
            result = result - OVERLAP_PENALTY * (overlaps.max(axis=0) + 0.1 * overlaps.sum(axis=0))
        return starts, result

    def best_start(self, seconds: float, within: tuple[float, float] | None = None,
                   avoid: tuple[tuple[float, float], ...] = ()) -> float:
        """Start (s) of the liveliest window of `seconds`; the earliest of equally lively ones."""
        starts, scores = self.window_scores(seconds, within, avoid)
        best = scores.max()
        return float(starts[np.flatnonzero(scores >= best - TIE * abs(best) - 1e-6)[0]])

    def best_starts(self, lengths: list[float], within: tuple[float, float] | None = None,
                    avoid: tuple[tuple[float, float], ...] = ()) -> list[float]:
        """Starts (s) of windows of `lengths` (s) for uses of the clip in that order: side by side in
        the clip's order with the most liveliness in all when they fit, else one by one."""
        lo, hi = within if within is not None else (0.0, self.duration)
        if len(lengths) > 1 and sum(lengths) <= min(hi, self.duration) - lo + 1e-9:
            side_by_side = self._in_order(lengths, within, avoid)
            if side_by_side is not None:
                return side_by_side
        chosen: list[float] = []
        taken = list(avoid)
        for length in lengths:
            start = self.best_start(length, within, tuple(taken))
            chosen.append(start)
            taken.append((start, start + length))
        return chosen

    def _in_order(self, lengths: list[float], within, avoid) -> list[float] | None:
        """Dynamic programming over the candidate starts: window j starts at or after window j-1
        ends; the sum of window scores is the greatest (the earliest such choice on ties)."""
        layers = [self.window_scores(length, within, avoid) for length in lengths]
        best = [layers[0][1]]
        back: list[np.ndarray] = [np.full(len(layers[0][0]), -1)]
        for j in range(1, len(lengths)):
            prev_starts, prev_best = layers[j - 1][0], best[j - 1]
            # running maximum of the previous layer (first index on ties) ...
            run_idx = np.zeros(len(prev_best), int)
            for i in range(1, len(prev_best)):
                run_idx[i] = i if prev_best[i] > prev_best[run_idx[i - 1]] + 1e-9 else run_idx[i - 1]
            starts, scores = layers[j]
            # ... over the starts whose window has ended by this start
            fits = np.searchsorted(prev_starts + lengths[j - 1], starts + 1e-9, side="right")
            total = np.full(len(starts), -np.inf)
            pick = np.full(len(starts), -1)
            ok = fits > 0
            pick[ok] = run_idx[fits[ok] - 1]
            total[ok] = scores[ok] + prev_best[pick[ok]]
            best.append(total)
            back.append(pick)
        if not np.isfinite(best[-1].max()):
            return None  # the sample grid leaves no room to put them side by side
        i = int(np.flatnonzero(best[-1] >= best[-1].max() - 1e-9)[0])
        chosen = []
        for j in range(len(lengths) - 1, -1, -1):
            chosen.append(float(layers[j][0][i]))
            i = int(back[j][i])
        return chosen[::-1]


def _small_rgb(planes, long_side: int) -> np.ndarray:
    """An RGB picture at most `long_side` pixels long from a frame's Y, U, V planes, scaled before
    the colour conversion (converting a full 1080p frame costs more than the face check)."""
    y, u, v = planes
    h, w = y.shape[:2]
    scale = min(1.0, long_side / max(h, w))
    size = (max(2, round(w * scale)), max(2, round(h * scale)))
    ycrcb = cv2.merge([cv2.resize(p, size, interpolation=cv2.INTER_AREA) for p in (y, v, u)])
    return cv2.cvtColor(ycrcb, cv2.COLOR_YCrCb2RGB)


def _without_spikes(motion: np.ndarray) -> np.ndarray:
    """Lone samples far above both neighbours (a cut, a flash) brought down to their neighbours."""
    if len(motion) < 3:
        return motion
    padded = np.concatenate([[motion[1]], motion, [motion[-2]]])
    neighbours = np.maximum(padded[:-2], padded[2:])
    spikes = motion > SPIKE_RATIO * neighbours + 2.0
    return np.where(spikes, neighbours, motion)


class MediaAnalyzer:
    """Probes and liveliness of media files, each worked out once per analyzer (keep one around
    while a creator tries templates on the same clips); MediaPipe is loaded on first use.
    Close it (or use it in a `with`) to release MediaPipe."""

    def __init__(self, faces: bool = True):
        self.faces = faces
        self._infos: dict[str, MediaInfo] = {}
        self._lively: dict[tuple, Liveliness] = {}
        self._tracker = None

    def info(self, path: str) -> MediaInfo:
        if path not in self._infos:
            self._infos[path] = probe(path)
        return self._infos[path]

    def liveliness(self, path: str) -> Liveliness:
        info = self.info(path)
        try:
            stat = info.path.stat()
            key = (path, stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = (path,)
        if key not in self._lively:
            self._lively[key] = self._analyse(path, info)
        return self._lively[key]

    def _face_tracker(self):
        if self._tracker is None:
            from studio.tracking.tracker import Tracker

            self._tracker = Tracker(frozenset({"face"}), smooth=False, working_long_side=FACE_LONG_SIDE)
        return self._tracker

    def _analyse(self, path: str, info: MediaInfo) -> Liveliness:
        duration = max(float(info.duration), 0.0)
        times = np.arange(0.0, max(duration, 1e-6), 1.0 / SAMPLE_FPS)
        small: list[np.ndarray] = []
        faces = np.zeros(len(times), bool)
        checked = np.zeros(len(times), bool)
        tracker = None
        if self.faces:
            tracker = self._face_tracker()
            tracker.reset()
        with open_visual(path) as reader:
            for k, t in enumerate(times):
                planes = reader.frame_at(t, "yuv420p")
                h, w = planes[0].shape[:2]
                size = (ANALYSIS_WIDTH, max(1, round(h * ANALYSIS_WIDTH / w)))
                small.append(cv2.resize(planes[0], size, interpolation=cv2.INTER_AREA).astype(np.int16))
                if tracker is not None and k % FACE_EVERY == 0:
                    faces[k] = len(tracker.track_raw(_small_rgb(planes, FACE_LONG_SIDE)).faces) > 0
                    checked[k] = True
        motion = np.zeros(len(times))
        for k in range(len(small) - 1):
            motion[k] = float(np.mean(np.abs(small[k + 1] - small[k])))
        if len(small) > 1:
            motion[-1] = motion[-2]  # the last sample has no next one: it moves as the one before did
        motion = np.clip(_without_spikes(motion) - NOISE, 0.0, None)
        if checked.any():  # each sample takes the nearest face check's answer
            where = np.flatnonzero(checked)
            nearest = where[np.abs(np.arange(len(times))[:, None] - where[None, :]).argmin(axis=1)]
            faces = faces[nearest]
        return Liveliness(duration, times, motion, faces.astype(float))

    def close(self) -> None:
        if self._tracker is not None:
            self._tracker.close()
            self._tracker = None

    def __enter__(self) -> "MediaAnalyzer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
