"""A template's animated preview: the template filled with generated placeholder pictures (a
numbered card per medium), rendered by the one renderer at a small size and kept as an animated
WebP of at most MAX_BYTES. tools/gen_templates makes the built-in ones; the window can make one for
a user's template the same way (off the UI thread: it takes a few seconds)."""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from studio.library.errors import LibraryError
from studio.library.fonts import font_path
from studio.render.compositor import Renderer

from .apply import apply_template
from .format import Template
from .liveliness import MediaAnalyzer

SIZE = (144, 256)  # preview pixels (9:16)
FPS = 10
MAX_BYTES = 250_000  # the gallery loads every preview: each stays small
QUALITIES = (60, 50, 40, 30, 20)  # the first that fits MAX_BYTES
# placeholder cards: one colour pair per medium, far apart so each slot reads as a new shot
PALETTE = [((255, 94, 98), (255, 195, 113)), ((64, 120, 255), (120, 230, 255)), ((46, 204, 113), (200, 255, 140)),
           ((155, 89, 182), (255, 140, 220)), ((241, 196, 15), (255, 250, 180)), ((26, 188, 156), (40, 60, 120)),
           ((230, 126, 34), (120, 40, 40)), ((52, 73, 94), (150, 170, 200))]
CARD_SIZE = (360, 640)


def placeholder_card(index: int, label: str, size: tuple[int, int] = CARD_SIZE) -> np.ndarray:
    """An RGB card: a diagonal gradient in the medium's colours, rings, and its number."""
    w, h = size
    top, bottom = (np.array(c, np.float32) for c in PALETTE[index % len(PALETTE)])
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = ((ys / h) * 0.7 + (xs / w) * 0.3)[..., None]
    rgb = top * (1 - t) + bottom * t
    image = Image.fromarray(rgb.astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for r in range(w // 6, w, w // 6):  # rings: the slow zoom shows on them
        draw.ellipse((w / 2 - r, h * 0.45 - r, w / 2 + r, h * 0.45 + r), outline=(255, 255, 255), width=3)
    try:
        big = ImageFont.truetype(str(font_path("roboto-black")), w // 2)
        small = ImageFont.truetype(str(font_path("roboto-bold")), w // 12)
    except (LibraryError, OSError):
        big = small = ImageFont.load_default()
    draw.text((w / 2, h * 0.45), str(index + 1), font=big, fill=(255, 255, 255), anchor="mm")
    draw.text((w / 2, h * 0.82), label[:24], font=small, fill=(255, 255, 255), anchor="mm")
    return np.asarray(image)


def placeholder_media(template: Template, folder: Path) -> list[str]:
    """One placeholder card (PNG) per medium the template asks for, written into `folder`."""
    labels: dict[int, str] = {}
    for slot in template.slots:
        labels.setdefault(slot.medium, slot.label or f"Clip {slot.medium + 1}")
    paths = []
    for medium in range(template.media_count):
        path = folder / f"medium-{medium + 1}.png"
        Image.fromarray(placeholder_card(medium, labels.get(medium, ""))).save(path)
        paths.append(str(path))
    return paths


def render_preview_frames(template: Template, size: tuple[int, int] = SIZE, fps: int = FPS) -> list[np.ndarray]:
    with tempfile.TemporaryDirectory(prefix="studio-template-preview-") as tmp:
        media = placeholder_media(template, Path(tmp))
        with MediaAnalyzer(faces=False) as analyzer:
            project = apply_template(template, media, analyzer=analyzer)
        step = project.fps / fps
        frames = []
        with Renderer() as renderer:
            k = 0
            while int(k * step) < project.duration:
                frames.append(renderer.render(project, int(k * step), size))
                k += 1
    return frames


def make_preview(template: Template, out: str | os.PathLike, *, size: tuple[int, int] = SIZE, fps: int = FPS,
                 max_bytes: int = MAX_BYTES) -> Path:
    """Write `template`'s animated WebP preview to `out` (atomically); returns its path."""
    out = Path(out)
    images = [Image.fromarray(f) for f in render_preview_frames(template, size, fps)]
    data = b""
    for quality in QUALITIES:
        buffer = io.BytesIO()
        images[0].save(buffer, "WEBP", save_all=True, append_images=images[1:], duration=round(1000 / fps),
                       loop=0, quality=quality, method=4)  # 6: 25x slower, 3% smaller
        data = buffer.getvalue()
        if len(data) <= max_bytes:
            break
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
