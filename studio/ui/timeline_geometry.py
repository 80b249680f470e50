"""Timeline geometry as pure functions (no Qt): frame <-> pixel mapping, track rows, hit testing,
snapping, ruler ticks, keyframe marks and transition badges. The timeline widget only paints what
these return, so the maths is testable without a window."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Sequence

TRACK_HEIGHTS = {"video": 56, "overlay": 30, "audio": 44}
EDGE_PX = 6          # how close to an item's edge a press grabs the edge (trim) instead of the body
SNAP_PX = 8          # snapping distance on screen; converted to frames at the current zoom
MIN_PX_PER_FRAME = 0.05
MAX_PX_PER_FRAME = 40.0


@dataclass(frozen=True)
class Layout:
    """Where things are: a left header column, a ruler on top, then one row per track."""
    px_per_frame: float = 4.0
    header: int = 96
    ruler: int = 24
    gap: int = 2

    def x_of(self, frame: float) -> float:
        return self.header + frame * self.px_per_frame

    def frame_at(self, x: float) -> int:
        """The nearest frame to pixel x (never negative)."""
        return max(0, round((x - self.header) / self.px_per_frame))

    def rows(self, kinds: Sequence[str]) -> list[tuple[int, int]]:
        """(top, height) of each track's row, by track index (see display_order for where each goes)."""
        out: list[tuple[int, int]] = [(0, 0)] * len(kinds)
        y = self.ruler + self.gap
        for index in display_order(kinds):
            h = TRACK_HEIGHTS.get(kinds[index], 40)
            out[index] = (y, h)
            y += h + self.gap
        return out

    def height(self, kinds: Sequence[str]) -> int:
        rows = self.rows(kinds)
        return (rows[-1][0] + rows[-1][1] + self.gap) if rows else self.ruler + self.gap

    def track_at(self, y: float, kinds: Sequence[str]) -> int | None:
        for index, (top, h) in enumerate(self.rows(kinds)):
            if top <= y < top + h + self.gap:
                return index
        return None

    def item_rect(self, start: int, duration: int, row: tuple[int, int]) -> tuple[float, float, float, float]:
        """(x, y, w, h) of an item drawn on a row (at least 2 px wide so short items stay visible)."""
        top, h = row
        return self.x_of(start), top + 1, max(2.0, duration * self.px_per_frame), h - 2

    def width_for(self, frames: int, extra_frames: int = 90) -> int:
        return int(self.x_of(frames + extra_frames)) + 1

    def snap_tolerance(self) -> int:
        """Snapping distance in frames for the current zoom (at least one frame)."""
        return max(1, round(SNAP_PX / self.px_per_frame))


def display_order(kinds: Sequence[str]) -> list[int]:
    """Track indexes from the top row down. Video tracks are layers composited from the first
    (bottom) up, so their rows show the top layer above: the video tracks' rows take them in
    reverse; every other track keeps its place."""
    videos = [i for i, kind in enumerate(kinds) if kind == "video"]
    top_first = iter(reversed(videos))
    return [next(top_first) if kind == "video" else i for i, kind in enumerate(kinds)]


def zoomed(px_per_frame: float, factor: float) -> float:
    return min(MAX_PX_PER_FRAME, max(MIN_PX_PER_FRAME, px_per_frame * factor))


def fit_zoom(frames: int, width_px: int, header: int = 96) -> float:
    """Zoom that shows `frames` in `width_px` (with a little room after the end)."""
    usable = max(50, width_px - header - 20)
    return min(MAX_PX_PER_FRAME, max(MIN_PX_PER_FRAME, usable / max(1, frames * 1.05)))


def hit_part(x: float, left: float, right: float, edge_px: int = EDGE_PX) -> str:
    """Which part of an item spanning [left, right] a press at x grabs: 'left', 'right' or 'body'.
    Narrow items keep a body in the middle so they can still be moved."""
    edge = min(edge_px, max(1.0, (right - left) / 4))
    if x <= left + edge:
        return "left"
    if x >= right - edge:
        return "right"
    return "body"


def snap(frame: int, targets: Iterable[int], tolerance: int) -> tuple[int, int | None]:
    """`frame` moved onto the nearest target within `tolerance` frames; (frame, target or None)."""
    best, best_d = None, tolerance + 1
    for t in targets:
        d = abs(t - frame)
        if d < best_d:
            best, best_d = t, d
    return (best, best) if best is not None else (frame, None)


def snap_span(start: int, end: int, targets: Iterable[int], tolerance: int) -> tuple[int, int | None]:
    """Shift for a moved span so that its start or end lands on the nearest target; (delta, target)."""
    targets = list(targets)
    s, ts = snap(start, targets, tolerance)
    e, te = snap(end, targets, tolerance)
    options = [(abs(s - start), s - start, ts) if ts is not None else None,
               (abs(e - end), e - end, te) if te is not None else None]
    options = [o for o in options if o is not None]
    if not options:
        return 0, None
    _, delta, target = min(options, key=lambda o: o[0])
    return delta, target


def snap_targets(items: Iterable[tuple[str, int, int]], playhead: int, beats: Iterable[int] = (),
                 exclude: Iterable[str] = ()) -> list[int]:
    """Frames worth snapping to: the playhead, 0, the edges of the other items, and music beats."""
    skip = set(exclude)
    targets = {0, playhead}
    for item_id, start, end in items:
        if item_id not in skip:
            targets.add(start)
            targets.add(end)
    targets.update(beats)
    return sorted(targets)


def beat_frames(beats_s: Iterable[float], item_start: int, source_in: int, duration: int, fps: Fraction,
                sound_length_s: float | None = None) -> list[int]:
    """Timeline frames of a sound's beats inside its item (looping sounds repeat their beat grid)."""
    fps = Fraction(fps)
    beats = sorted(beats_s)
    if not beats:
        return []
    out = []
    period = sound_length_s if sound_length_s and sound_length_s > 0 else None
    offset_s = float(source_in / fps)
    end_s = offset_s + float(duration / fps)
    repeat = 0
    while True:
        base = repeat * period if period else 0.0
        if base > end_s:
            break
        for b in beats:
            t = base + b
            if offset_s <= t < end_s:
                out.append(item_start + round((t - offset_s) * fps))
        if not period:
            break
        repeat += 1
    return sorted(set(out))


def ruler_step(px_per_frame: float, fps: Fraction, min_label_px: int = 70) -> int:
    """Frames between labelled ruler ticks: a 'nice' step (frames, then seconds) at least min_label_px apart."""
    fps_i = max(1, round(float(fps)))
    candidates = [1, 2, 5, 10, 15] + [fps_i * s for s in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600)]
    for step in candidates:
        if step * px_per_frame >= min_label_px:
            return step
    return candidates[-1]


def timecode_label(frame: int, fps: Fraction) -> str:
    """m:ss for whole seconds, m:ss.s otherwise: seconds to a tenth, as a creator reads time (a
    frame number after the seconds reads like a decimal and is not one)."""
    tenths = round(frame * 10 / Fraction(fps))
    seconds, tenth = divmod(abs(tenths), 10)
    m, s = divmod(seconds, 60)
    sign = "-" if tenths < 0 else ""
    return f"{sign}{m}:{s:02d}" if tenth == 0 else f"{sign}{m}:{s:02d}.{tenth}"


def seconds_label(frames: int, fps: Fraction) -> str:
    """A length for a creator: "0.5 s", "2 s", "1:05.5"."""
    seconds = frames / Fraction(fps)
    if seconds >= 60:
        return timecode_label(frames, fps)
    return f"{float(seconds):.2f}".rstrip("0").rstrip(".") + " s"


def moved_track(kinds: Sequence[str], from_index: int, to_index: int | None) -> int:
    """The track a dragged item ends on: the hovered one when it holds the same kind, else its own."""
    if to_index is None or not 0 <= to_index < len(kinds) or kinds[to_index] != kinds[from_index]:
        return from_index
    return to_index


def rubber_band(items: Iterable[tuple[str, float, float, float, float]], x0: float, y0: float, x1: float,
                y1: float) -> list[str]:
    """Ids of items (id, x, y, w, h) that intersect the rectangle spanned by two corners."""
    left, right = sorted((x0, x1))
    top, bottom = sorted((y0, y1))
    return [i for i, x, y, w, h in items if x < right and x + w > left and y < bottom and y + h > top]


# -- keyframe marks -------------------------------------------------------------------------------

KEY_MARK_PX = 5  # half the width of a keyframe diamond, and how close a click must come to it


def key_mark_y(top: float, height: float) -> float:
    """The height at which an item's keyframe diamonds sit: near its bottom edge (its label is on top)."""
    return top + height - KEY_MARK_PX - 2


def key_mark_at(x: float, y: float, marks: Iterable[tuple[object, float, float]],
                radius: float = KEY_MARK_PX + 1) -> object | None:
    """The mark (what, x, y) a click at (x, y) hits: the nearest within `radius` (last drawn wins ties)."""
    best, best_d = None, None
    for what, mx, my in marks:
        d = max(abs(mx - x), abs(my - y))
        if d <= radius and (best_d is None or d <= best_d):
            best, best_d = what, d
    return best


# -- transitions ----------------------------------------------------------------------------------

TRANSITION_BADGE_PX = 18  # height of a transition's badge, centred on its video row
MIN_BADGE_PX = 12         # a badge narrower than this is drawn (and grabbed) this wide


@dataclass(frozen=True)
class TransitionSpan:
    """A transition drawn on the timeline: into `incoming` (its id) from the clip before it, over
    timeline frames first..end (end excluded), `frames` long after fitting both clips."""
    incoming: str
    outgoing: str
    kind: str
    cut: int
    first: int
    end: int
    frames: int
    limit: int  # the most frames it can take: the shorter of the two clips


def transition_spans(items: Sequence) -> list[TransitionSpan]:
    """The transitions that show on one track (items sorted by start): only where the cut exists."""
    from studio.render.transitions import transition_kind, transition_length, window

    out = []
    for previous, item in zip(items, items[1:]):
        d = transition_length(previous, item)
        if d:
            first, end = window(item.start, d)
            out.append(TransitionSpan(item.id, previous.id, transition_kind(item), item.start, first, end, d,
                                      min(previous.duration, item.duration)))
    return out


def badge_span(left: float, right: float) -> tuple[float, float]:
    """A badge's drawn (left, right): at least MIN_BADGE_PX wide, around the same centre."""
    if right - left >= MIN_BADGE_PX:
        return left, right
    centre = (left + right) / 2
    return centre - MIN_BADGE_PX / 2, centre + MIN_BADGE_PX / 2


def badge_part(x: float, left: float, right: float, edge_px: int = EDGE_PX) -> str:
    """Which part of a transition badge a press grabs: an edge ('left'/'right') changes its length,
    the body ('body') selects the clip it leads into. A narrow badge is all edges, split in the middle."""
    if right - left < 3 * edge_px:
        return "left" if x < (left + right) / 2 else "right"
    if x <= left + edge_px:
        return "left"
    if x >= right - edge_px:
        return "right"
    return "body"


def badge_label(title: str, kind: str, frames: int, width: float, advance, fps: Fraction = Fraction(30)) -> str:
    """The longest label of a transition badge that fits `width` pixels (advance(text) measures one):
    "Cross-dissolve · 0.5 s", "Cross-dissolve", "Dissolve · 0.5 s", "Dissolve", "0.5 s", or nothing.
    Never an elided word: the hover names it in full."""
    short = kind.split("_")[0].capitalize()
    length = seconds_label(frames, fps)
    for text in (f"{title} · {length}", title, f"{short} · {length}", short, length):
        if advance(text) <= width:
            return text
    return ""


def dragged_transition_frames(frames: int, edge: str, delta: int, limit: int, minimum: int = 2) -> int:
    """A transition's length after its `edge` moved `delta` frames: the window stays centred on the
    cut, so an edge moved outwards by n frames makes it 2n frames longer (within minimum..limit)."""
    grow = delta if edge == "right" else -delta
    return max(minimum, min(max(minimum, limit), frames + 2 * grow))


# ---------------------------------------------------------------- a sound's volume line and fades

VOLUME_TOP_DB, VOLUME_BOTTOM_DB = 12.0, -40.0  # the line's range on an audio item (below: the floor)
LINE_GRAB_PX = 4
FADE_GRAB_PX = 7


def volume_y(db: float, top: float, h: float) -> float:
    """Where a sound's volume line sits in its item (0 dB a quarter of the way down, louder above)."""
    db = max(VOLUME_BOTTOM_DB, min(VOLUME_TOP_DB, db))
    inner = h - 6
    return top + 3 + inner * (VOLUME_TOP_DB - db) / (VOLUME_TOP_DB - VOLUME_BOTTOM_DB)


def db_at_y(y: float, top: float, h: float) -> float:
    """The volume a drag of the line to `y` sets, in half decibels; the bottom is -120 dB (silence)."""
    inner = h - 6
    frac = (y - top - 3) / inner
    if frac > 1.0 + 1e-9:  # below the line's range, into the item's bottom edge: silence
        return -120.0
    db = VOLUME_TOP_DB - max(0.0, frac) * (VOLUME_TOP_DB - VOLUME_BOTTOM_DB)
    return round(db * 2) / 2


def fade_points(left: float, right: float, fade_in: int, fade_out: int, px_per_frame: float) -> tuple[float, float]:
    """x of the fade-in handle (where the fade reaches full volume) and of the fade-out handle."""
    return min(right, left + fade_in * px_per_frame), max(left, right - fade_out * px_per_frame)


def audio_part(x: float, y: float, left: float, right: float, top: float, h: float, volume_db: float,
               fade_in: int, fade_out: int, px_per_frame: float) -> str:
    """What a press on a selected sound grabs: 'fade_in'/'fade_out' (the handles at the line's
    top corners), 'volume' (the line), else what hit_part says."""
    line = volume_y(volume_db, top, h)
    fin, fout = fade_points(left, right, fade_in, fade_out, px_per_frame)
    if abs(y - line) <= FADE_GRAB_PX:
        if abs(x - fin) <= FADE_GRAB_PX and x < (left + right) / 2:
            return "fade_in"
        if abs(x - fout) <= FADE_GRAB_PX and x >= (left + right) / 2:
            return "fade_out"
    part = hit_part(x, left, right)
    if part == "body" and abs(y - line) <= LINE_GRAB_PX:
        return "volume"
    return part
