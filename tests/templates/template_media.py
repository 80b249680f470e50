"""Media for the template tests (never seen by tools/gen_templates), and scene-cut detection on
decoded exports.

Each clip has its own colour, far from the others in hue and brightness, with shapes moving over
it, so a cut between two media is a jump of the whole picture while the motion inside a clip is
small; `detect_cuts` finds the jumps."""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SIZE = (360, 640)  # w, h: vertical, so the fill crop keeps the whole picture
# (background, shapes): hues far apart, so any two differ by far more than anything moving inside one
COLOURS = [((150, 30, 40), (250, 200, 60)), ((245, 220, 60), (40, 40, 160)), ((40, 90, 210), (250, 250, 250)),
           ((60, 200, 90), (120, 20, 120)), ((200, 60, 200), (20, 160, 160)), ((30, 30, 30), (230, 120, 20))]
CUT_LEVEL = 25.0  # mean |difference| (0..255) of consecutive frames at a cut; motion inside a clip stays far below


def moving_picture(index: int, i: int, size=SIZE) -> np.ndarray:
    """Frame i of clip `index`: its background, two discs circling, a bar sliding across."""
    w, h = size
    bg, fg = COLOURS[index % len(COLOURS)]
    img = np.empty((h, w, 3), np.uint8)
    img[:] = bg
    ys, xs = np.ogrid[:h, :w]
    for phase, radius in ((0.0, w // 8), (np.pi, w // 12)):
        cx = w / 2 + w / 4 * np.cos(i / 9 + phase)
        cy = h / 2 + h / 5 * np.sin(i / 9 + phase)
        img[(xs - cx) ** 2 + (ys - cy) ** 2 <= radius ** 2] = fg
    x = (i * 6) % w
    img[h // 4:h // 4 + 12, x:x + 40] = fg
    return img


def write_moving_clip(mediagen, path: Path, index: int, seconds: float = 5.0, audio: str | None = "tone") -> Path:
    return mediagen.write_clip(path, size=SIZE, seconds=seconds, audio=audio,
                               picture=lambda i: moving_picture(index, i), tone_hz=220.0 + 110 * index)


def write_still(path: Path, index: int) -> Path:
    """A photo: the clip's background with a ring and a grid of squares (detail for the slow zoom)."""
    w, h = SIZE
    bg, fg = COLOURS[index % len(COLOURS)]
    img = np.empty((h, w, 3), np.uint8)
    img[:] = bg
    ys, xs = np.ogrid[:h, :w]
    ring = np.abs(np.hypot(xs - w / 2, ys - h / 2) - w / 3) < 8
    img[ring] = fg
    img[(ys // 40 + xs // 40) % 7 == 0] = fg
    Image.fromarray(img).save(path)
    return path


def write_still_then_moving(mediagen, path: Path, still_s: float = 4.0, moving_s: float = 2.0) -> Path:
    """Still for `still_s` (one picture held), then the discs move for `moving_s`."""
    still_frames = round(still_s * 30)
    return mediagen.write_clip(path, size=SIZE, seconds=still_s + moving_s, audio=None,
                               picture=lambda i: moving_picture(2, max(0, i - still_frames)))


def frame_differences(path: Path, size=(54, 96)) -> np.ndarray:
    """d[k] = mean |frame k - frame k-1| of the decoded video at a small size (d[0] = 0)."""
    small = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            small.append(frame.reformat(width=size[0], height=size[1], format="rgb24").to_ndarray().astype(np.int16))
    diffs = [0.0] + [float(np.mean(np.abs(b - a))) for a, b in zip(small, small[1:])]
    return np.array(diffs)


def detect_cuts(diffs: np.ndarray, level: float = CUT_LEVEL) -> list[int]:
    """Frames that begin a new scene: the difference to the frame before is a local peak above `level`."""
    cuts = []
    for k in range(1, len(diffs)):
        left = diffs[k - 1]
        right = diffs[k + 1] if k + 1 < len(diffs) else 0.0
        if diffs[k] > level and diffs[k] >= left and diffs[k] >= right:
            cuts.append(k)
    return cuts


def library_beats(sound_id: str) -> list[float]:
    """The sound's beat grid as assets/sounds/library.json has it (read directly, not via Studio)."""
    data = json.loads((ROOT / "assets" / "sounds" / "library.json").read_text(encoding="utf-8"))
    entry = next(s for s in data["sounds"] if s["id"] == sound_id)
    return [float(b) for b in entry["beats"]]


def frame_error(frame: int, seconds: float, fps: Fraction = Fraction(30)) -> float:
    """How far (in frames) a cut at `frame` is from a beat at `seconds`."""
    return abs(frame - seconds * float(fps))
