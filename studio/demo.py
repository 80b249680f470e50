"""The built-in demo project: media generated here (a clip with sound), a title, a caption, a
sticker and a music bed from the library, so Studio's main job can be shown on any machine."""
from __future__ import annotations

from fractions import Fraction
import shutil
from pathlib import Path

import cv2
import numpy as np

from studio.model import (Clip, EffectRef, Keyframe, Metadata, Project, SoundItem, StickerItem, TextItem, Timeline,
                          Track, save_project)
from studio.model import edits

FPS = 30
SECONDS = 8
SIZE = (540, 960)  # generated at half size: the export scales it to 1080x1920 like any source
PROJECT_NAME = "demo.studio"


def _frame(i: int, w: int, h: int) -> np.ndarray:
    """A moving colour gradient with orbiting discs: enough motion and colour to judge an export."""
    t = i / FPS
    x = np.arange(w, dtype=np.float32)
    y = np.arange(h, dtype=np.float32)
    img = np.empty((h, w, 3), np.uint8)
    # red varies along x only and green along y only: computed on one row / column and broadcast
    img[..., 0] = (128 + 100 * np.sin(x / w * 3 + t * 1.1)).clip(0, 255).astype(np.uint8)[None, :]
    img[..., 1] = (110 + 90 * np.sin(y / h * 4 - t * 0.8)).clip(0, 255).astype(np.uint8)[:, None]
    # blue = cos(ax + ay) as cos ax cos ay - sin ax sin ay: two outer products instead of a full grid of cos
    ax = x / (w + h) * 5 + t * 0.6
    ay = y / (w + h) * 5
    b = 150 + 90 * (np.outer(np.cos(ay), np.cos(ax)) - np.outer(np.sin(ay), np.sin(ax)))
    img[..., 2] = b.clip(0, 255).astype(np.uint8)
    for k in range(5):
        angle = t * (0.6 + 0.25 * k) + k * 1.3
        cx = int(w / 2 + np.cos(angle) * w * (0.18 + 0.05 * k))
        cy = int(h / 2 + np.sin(angle * 1.3) * h * (0.2 + 0.04 * k))
        colour = tuple(int(c) for c in np.array([255, 230, 90]) * (0.6 + 0.1 * k) % 256)
        cv2.circle(img, (cx, cy), 28 + 8 * k, colour, -1, lineType=cv2.LINE_AA)
    return img


def _tone(n: int, rate: int = 48000) -> np.ndarray:
    """A soft plucked arpeggio, the clip's own sound (the music bed plays under it)."""
    out = np.zeros(n, np.float32)
    notes = [261.63, 329.63, 392.0, 523.25]
    step = rate // 2
    for start in range(0, n, step):
        f = notes[(start // step) % len(notes)]
        length = min(step, n - start)
        tt = np.arange(length) / rate
        out[start:start + length] += 0.25 * np.sin(2 * np.pi * f * tt) * np.exp(-tt * 5)
    return np.stack([out, out])


def make_demo_clip(path: Path, preset: str = "veryfast") -> Path:
    from studio.media.encode import EncodeSettings, Mp4Writer

    w, h = SIZE
    # untagged, FFmpeg's default RGB->YUV: the pictures the shipped clip was made with
    settings = EncodeSettings(w, h, Fraction(FPS), 20, preset, audio_bitrate=128_000, tag_bt709=False)
    writer = Mp4Writer(path, settings)
    try:
        writer.queue_audio(writer.encode_audio(np.ascontiguousarray(_tone(SECONDS * 48000).T)))
        for i in range(SECONDS * FPS):
            writer.write_rgb(_frame(i, w, h))
            writer.mux_audio_until((i + 1) / FPS)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    return path


def shipped_demo_clip() -> Path:
    from studio.library.paths import assets_dir

    return assets_dir() / "demo" / "demo_clip.mp4"


def build_demo_project(folder: Path) -> Path:
    """Write the demo media and project into `folder`; returns the project file."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    clip_path = folder / "demo_clip.mp4"
    shipped = shipped_demo_clip()
    if shipped.is_file():
        # the clip `python -m tools.gen_demo` generated into the assets: copying it is instant,
        # which keeps the window's first start (it opens the demo) quick
        shutil.copyfile(shipped, clip_path)
    else:
        make_demo_clip(clip_path, preset="ultrafast")
    frames = SECONDS * FPS
    timeline = Timeline((Track("video", name="Video"),))
    timeline = edits.append_clip(timeline, Clip("clip-1", str(clip_path), 0, frames, source_frames=frames,
                                                effects=(EffectRef("look", {"name": "vivid", "intensity": 0.8}),)))
    timeline = edits.add_item(timeline, TextItem("text-1", 0, 3 * FPS, "Made with Studio", x=0.47, y=0.2, width=0.74,
                                                 size=1.3, anim_in="pop"))
    timeline = edits.add_item(timeline, TextItem("text-2", 3 * FPS, frames - 3 * FPS, "record · edit · export",
                                                 style="highlight", x=0.47, y=0.6, width=0.74, anim_in="slide_up"))
    timeline = edits.add_item(timeline, StickerItem(
        "sticker-1", 0, frames, "heart_beat", x=0.78, y=0.32, scale=0.22,
        keyframes=(Keyframe(0, 0.78, 0.32, 0.22), Keyframe(frames - 1, 0.25, 0.5, 0.3, -15.0))))
    timeline = edits.add_item(timeline, SoundItem("sound-1", "sunny-pop", 0, frames, volume_db=-6.0, fade_in=15,
                                                  fade_out=30))
    project = Project(name="Studio demo", fps=Fraction(FPS), timeline=timeline,
                      metadata=Metadata(title="Studio demo", caption="My first short made with Studio #studio #shorts",
                                        hashtags=("demo",), creator="Studio", cover_frame=45))
    return save_project(project, folder / PROJECT_NAME)
