"""Tracking cached per source clip on disk, so AR stays editable and export never re-tracks.

File: `<user cache dir>/studio/tracking/<key>.npz` ($XDG_CACHE_HOME, else ~/.cache), shared by the
window, capture and the command line, never beside the user's media (which may be read-only, and is
the creator's folder, not ours). The folder is kept under a size limit by removing the least
recently used files. The key hashes the first and last MiB of the file plus its size (not its mtime, so a
copied take keeps its cache), the model version and the working size. Raw (unsmoothed, normalised)
results are stored per frame and per part; smoothing is applied at lookup over a short window of
preceding frames, so the result for a frame does not depend on the order frames were asked for.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections import OrderedDict
from pathlib import Path

import numpy as np

from studio.media.sequential import IndexedFrames
from studio.tracking.one_euro import SetSmoother
from studio.tracking.tracker import MODEL_VERSION, PARTS, RawFrame, Tracker, raw_to_tracking, working_size
from studio.tracking.types import FrameTracking

SMOOTH_WINDOW = 8  # frames of history the One Euro filter sees at each lookup
AUTOSAVE_EVERY = 60  # new frames between automatic saves
MIB = 1 << 20


def content_key(path: Path, working_long_side: int) -> str:
    size = path.stat().st_size
    h = hashlib.sha1()
    with open(path, "rb") as f:
        h.update(f.read(MIB))
        if size > MIB:
            f.seek(max(MIB, size - MIB))
            h.update(f.read(MIB))
    h.update(f"|{size}|{MODEL_VERSION}|{working_long_side}".encode())
    return h.hexdigest()[:20]


def user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "studio" / "tracking"


DEFAULT_LIMIT_MB = 2048  # a few hours of tracked 1080p takes with segmentation masks


def cache_limit_bytes() -> int:
    """$STUDIO_TRACKING_CACHE_MB, else DEFAULT_LIMIT_MB."""
    try:
        return int(float(os.environ.get("STUDIO_TRACKING_CACHE_MB", DEFAULT_LIMIT_MB)) * MIB)
    except ValueError:
        return DEFAULT_LIMIT_MB * MIB


def evict_least_recent(folder: Path, limit: int, keep: Path | None = None) -> list[Path]:
    """Remove the least recently used cache files until the folder holds at most `limit` bytes."""
    entries = []
    for f in folder.glob("*.npz"):
        try:
            st = f.stat()
        except OSError:
            continue
        entries.append((st.st_mtime, st.st_size, f))
    total = sum(size for _, size, _ in entries)
    removed = []
    for _, size, f in sorted(entries):
        if total <= limit:
            break
        if keep is not None and f == keep:
            continue
        try:
            f.unlink()
        except OSError:
            continue
        total -= size
        removed.append(f)
    return removed


class TrackingCache:
    """Per-clip store of raw tracking; `at(source_time)` returns smoothed FrameTracking in source pixels.

    Missing frames are decoded from the file and tracked (then stored); `tracker` may be passed in
    (tests count its calls) or is created on first need.
    """

    def __init__(self, path, needs=frozenset({"face"}), *, working_long_side: int = 512,
                 cache_dir: str | os.PathLike | None = None, tracker: Tracker | None = None):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"tracking: no such media file '{self.path}'")
        self.needs = frozenset(needs) & PARTS
        self.working_long_side = working_long_side
        self.key = content_key(self.path, working_long_side)
        self.file = self._choose_file(cache_dir)
        self._tracker = tracker
        self._own_tracker = tracker is None
        self._source: IndexedFrames | None = None
        self._raw: dict[str, dict[int, object]] = {p: {} for p in PARTS}
        self._unsaved = 0
        self._memo: OrderedDict[int, FrameTracking] = OrderedDict()
        self._seen: int | None = None  # mtime of the cache file as last read or written
        self._load()

    # -- storage --
    def _choose_file(self, cache_dir) -> Path:
        # by content, not name: a renamed or copied take finds its tracking
        return Path(cache_dir or user_cache_dir()) / f"{self.key}.npz"

    def _load(self) -> None:
        """Merge what the cache file holds into memory. Called again whenever the file changed
        since (another cache of the same clip open at once, e.g. an effect chain's and the follow
        pan's, flushed), so neither tracks the frames the other did, and neither's flush drops
        them. Results already in memory win: they are the same frames, tracked the same way."""
        try:
            seen = self.file.stat().st_mtime_ns
        except OSError:
            return
        if seen == self._seen:
            return
        try:
            os.utime(self.file)  # used now: the last file the size limit would remove
            seen = self.file.stat().st_mtime_ns
        except OSError:
            pass
        loaded: dict[str, dict[int, object]] = {p: {} for p in PARTS}
        try:
            with np.load(self.file, allow_pickle=False) as z:
                if "face_idx" in z:
                    pts, off = z["face_pts"], 0
                    for k, n in zip(z["face_idx"].tolist(), z["face_n"].tolist()):
                        loaded["face"][k] = pts[off:off + n]
                        off += n
                if "hands_idx" in z:
                    pts, side, off = z["hands_pts"], z["hands_side"], 0
                    for k, n in zip(z["hands_idx"].tolist(), z["hands_n"].tolist()):
                        loaded["hands"][k] = (pts[off:off + n], side[off:off + n])
                        off += n
                if "seg_idx" in z:
                    for k, m in zip(z["seg_idx"].tolist(), z["seg"]):
                        loaded["segmentation"][k] = m
        except (OSError, ValueError, KeyError):
            loaded = {}  # a damaged cache is only a lost optimisation: what is in memory stands
        self._seen = seen
        for part, frames in loaded.items():
            for k, v in frames.items():
                self._raw[part].setdefault(k, v)
                self._memo.pop(k, None)

    def flush(self) -> None:
        """Write new results to disk (atomically: temp file + rename)."""
        if not self._unsaved:
            return
        self._load()  # keep what another cache of this clip wrote meanwhile
        arrays: dict[str, np.ndarray] = {}
        f = self._raw["face"]
        if f:
            idx = sorted(f)
            arrays["face_idx"] = np.array(idx, np.int32)
            arrays["face_n"] = np.array([len(f[k]) for k in idx], np.int32)
            arrays["face_pts"] = np.concatenate([f[k] for k in idx]).astype(np.float32).reshape(-1, 478, 3)
        hd = self._raw["hands"]
        if hd:
            idx = sorted(hd)
            arrays["hands_idx"] = np.array(idx, np.int32)
            arrays["hands_n"] = np.array([len(hd[k][0]) for k in idx], np.int32)
            arrays["hands_pts"] = np.concatenate([hd[k][0] for k in idx]).astype(np.float32).reshape(-1, 21, 3)
            arrays["hands_side"] = np.concatenate([hd[k][1] for k in idx]).astype(np.int8)
        sg = self._raw["segmentation"]
        if sg:
            idx = sorted(sg)
            arrays["seg_idx"] = np.array(idx, np.int32)
            arrays["seg"] = np.stack([sg[k] for k in idx])
        self.file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=self.file.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)
            os.replace(tmp, self.file)
            self._seen = self.file.stat().st_mtime_ns
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._unsaved = 0
        evict_least_recent(self.file.parent, cache_limit_bytes(), keep=self.file)

    def close(self) -> None:
        self.flush()
        if self._source is not None:
            self._source.close()
        if self._tracker is not None and self._own_tracker:
            self._tracker.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def put(self, k: int, raw: RawFrame) -> None:
        """Store results computed elsewhere for frame `k` (live capture tracks as it records), so
        they are never re-tracked; only the parts in `raw.parts` are stored. Call flush() after."""
        if "face" in raw.parts:
            self._raw["face"][k] = np.asarray(raw.faces, np.float32).reshape(-1, 478, 3)
        if "hands" in raw.parts:
            self._raw["hands"][k] = (np.asarray(raw.hands, np.float32).reshape(-1, 21, 3),
                                     np.asarray(raw.handedness, np.int8))
        if "segmentation" in raw.parts and raw.mask is not None:
            self._raw["segmentation"][k] = raw.mask
        self._memo.pop(k, None)
        self._unsaved += 1

    # -- lookup --
    @property
    def source(self) -> IndexedFrames:
        """The clip's frames in order (decoded by studio.media, scaled to the working size as asked)."""
        if self._source is None:
            self._source = IndexedFrames(self.path)
        return self._source

    @property
    def size(self) -> tuple[int, int]:
        return self.source.size

    def _missing(self, k: int) -> frozenset[str]:
        return frozenset(p for p in self.needs if k not in self._raw[p])

    def _track_range(self, first: int, last: int) -> None:
        if self._tracker is None:
            self._tracker = Tracker(self.needs, working_long_side=self.working_long_side, smooth=False)
        for k, rgb in self.source.frames(first, last, working_size(self.size, self.working_long_side)):
            missing = self._missing(k)
            if not missing:
                continue
            raw = self._tracker.track_raw(rgb, missing)
            if "face" in missing:
                self._raw["face"][k] = raw.faces
            if "hands" in missing:
                self._raw["hands"][k] = (raw.hands, raw.handedness)
            if "segmentation" in missing:
                self._raw["segmentation"][k] = raw.mask
            self._unsaved += 1
        if self._unsaved >= AUTOSAVE_EVERY or (self._unsaved and not self.source.positioned):
            self.flush()  # periodically, and when the decoder ran off the end of the clip

    def raw(self, frames, part: str = "face") -> dict[int, object]:
        """Unsmoothed, normalised `part` at these source frames, for an offline pass that smooths on
        its own (the follow pan plans from every other frame): faces (n, 478, 3) arrays, hands
        (points, sides), segmentation uint8 masks. Only frames not cached yet are tracked, in one
        forward pass; the frames between them are decoded (the codec needs them) but neither
        converted nor tracked, and no smoothing window around them is tracked either (unlike
        `frame_tracking`)."""
        frames = sorted(set(int(k) for k in frames))
        todo = [k for k in frames if k not in self._raw[part]]
        if todo:
            self._load()  # another cache of this clip may have tracked them meanwhile
            todo = [k for k in todo if k not in self._raw[part]]
        if todo:
            if self._tracker is None:
                self._tracker = Tracker(self.needs | {part}, working_long_side=self.working_long_side, smooth=False)
            size, wanted = working_size(self.size, self.working_long_side), set(todo)
            for want in todo:
                # one frame at a time: the decoder walks on through the frames between without
                # converting them to RGB (about as costly as decoding them), and seeks only far ahead
                for k, rgb in self.source.frames(want, want, size) if want not in self._raw[part] else ():
                    if k in wanted and k not in self._raw[part]:
                        self.put(k, self._tracker.track_raw(rgb, frozenset({part})))
        # None for a frame the decoder never reached (an index past the clip's end)
        return {k: self._raw[part].get(k) for k in frames}

    def nearest(self, k: int, part: str = "face", within: int = 0) -> tuple[int, object] | None:
        """(frame, raw result) of the cached frame nearest to `k` (at most `within` frames away),
        without tracking anything; None when there is none. For a quick look at a clip (is there
        a face?) that need not load MediaPipe once a pass has filled the cache."""
        store = self._raw[part]
        for d in range(within + 1):
            for i in ((k,) if d == 0 else (k - d, k + d)):
                if i in store:
                    return i, store[i]
        return None

    def _raw_frame(self, k: int) -> RawFrame | None:
        if self._missing(k):
            return None
        raw = RawFrame.empty(self.needs)
        if "face" in self.needs:
            raw.faces = self._raw["face"][k]
        if "hands" in self.needs:
            raw.hands, raw.handedness = self._raw["hands"][k]
        if "segmentation" in self.needs:
            raw.mask = self._raw["segmentation"][k]
        return raw

    def frame_tracking(self, k: int) -> FrameTracking | None:
        """Smoothed tracking of frame `k` in source pixels; None past the end of the clip."""
        hit = self._memo.get(k)
        if hit is not None:
            return hit
        first = max(0, k - SMOOTH_WINDOW + 1)
        todo = [i for i in range(first, k + 1) if self._missing(i)]
        if todo:
            self._load()  # another cache of this clip may have tracked them meanwhile
            todo = [i for i in todo if self._missing(i)]
        if todo:
            self._track_range(todo[0], k)
        fps = float(self.source.fps)
        faces_sm, hands_sm = SetSmoother(), SetSmoother()
        raw = faces = hands = None
        for i in range(first, k + 1):
            r = self._raw_frame(i)
            if r is None:
                continue
            t = i / fps
            raw, faces, hands = r, faces_sm(list(r.faces), t), hands_sm(list(r.hands), t)
        if raw is None or self._missing(k):
            return None
        out = raw_to_tracking(raw, self.size, faces, hands)
        self._memo[k] = out
        if len(self._memo) > 16:
            self._memo.popitem(last=False)
        return out

    def at(self, source_time: float) -> FrameTracking | None:
        return self.frame_tracking(self.source.index_at(source_time))

    def tracked_frames(self, part: str = "face") -> int:
        return len(self._raw[part])


def tracking_for(path, needs=frozenset({"face"}), **kw) -> TrackingCache:
    """The cached tracking of one media file: `.at(source_time) -> FrameTracking | None`."""
    return TrackingCache(path, needs, **kw)
