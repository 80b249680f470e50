"""Rasterise styled text once per (content, style, size): outline, box, shadow, glow, wrapping.

Returns straight-alpha RGBA (numpy). The compositor caches the result, so Pillow runs when the text
or its size changes, not on every frame."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from studio.library.styles import TextStyle


@dataclass(frozen=True)
class TextLayout:
    lines: tuple[str, ...]
    font_size: int


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # opened per call (~1 ms): the callers' raster caches mean this runs once per text look, so a
    # process-wide font cache would be global state for no measurable gain
    return ImageFont.truetype(path, size)


def wrap(content: str, style: TextStyle, font_size: int, max_width: int) -> TextLayout:
    """Greedy word wrap to max_width pixels; explicit newlines are kept; a word longer than the
    line is broken by characters so nothing spills outside the box."""
    text = content.upper() if style.uppercase else content
    font = _font(str(style.font_path), font_size)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if font.getlength(candidate) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            while font.getlength(word) > max_width and len(word) > 1:
                cut = max(1, next((i for i in range(len(word), 0, -1) if font.getlength(word[:i]) <= max_width), 1))
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return TextLayout(tuple(lines), font_size)


def rasterise(layout: TextLayout, style: TextStyle, scale: float, visible_chars: int | None = None) -> np.ndarray:
    """Draw wrapped text; `scale` scales outline, padding, shadow and glow with the font size.
    visible_chars limits how many characters are drawn (typewriter) without moving the others."""
    font = _font(str(style.font_path), layout.font_size)
    ascent, descent = font.getmetrics()
    line_h = int(round((ascent + descent) * style.line_spacing))
    stroke = int(round(style.stroke_width * scale))
    widths = [int(np.ceil(font.getlength(line))) for line in layout.lines]
    block_w = max(widths, default=1) + 2 * stroke
    block_h = line_h * (len(layout.lines) - 1) + ascent + descent + 2 * stroke
    pad = int(round(style.box_padding * scale)) if style.box_color else 0
    blur = int(round(max(style.shadow_blur, style.glow_radius) * scale))
    off = (int(round(style.shadow_offset[0] * scale)), int(round(style.shadow_offset[1] * scale)))
    margin = pad + 2 * blur + max(abs(off[0]), abs(off[1])) + 2
    size = (block_w + 2 * margin, block_h + 2 * margin)

    def text_layer(fill, stroke_fill, stroke_width) -> Image.Image:
        layer = Image.new("RGBA", size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        remaining = visible_chars
        for i, line in enumerate(layout.lines):
            if remaining is not None:
                line, remaining = line[:max(remaining, 0)], max(remaining - len(line), 0)
            if not line:
                continue
            x = margin + stroke + _align_offset(style.align, widths[i], block_w - 2 * stroke)
            y = margin + stroke + i * line_h
            draw.text((x, y), line, font=font, fill=fill, stroke_width=stroke_width, stroke_fill=stroke_fill)
        return layer

    out = Image.new("RGBA", size, (0, 0, 0, 0))
    if style.box_color:
        box = Image.new("RGBA", size, (0, 0, 0, 0))
        ImageDraw.Draw(box).rounded_rectangle(
            (margin - pad, margin - pad, margin + block_w + pad, margin + block_h + pad),
            radius=int(round(style.box_radius * scale)), fill=tuple(style.box_color))
        out.alpha_composite(box)
    if style.glow_color and style.glow_radius:
        glow = text_layer(tuple(style.glow_color), tuple(style.glow_color), stroke + max(1, blur // 3))
        glow = glow.filter(ImageFilter.GaussianBlur(max(1, int(round(style.glow_radius * scale)))))
        out.alpha_composite(glow)
        out.alpha_composite(glow)  # twice: a blurred glow alone is too faint to read as neon
    if style.shadow_color:
        shadow = text_layer(tuple(style.shadow_color), tuple(style.shadow_color), stroke)
        if style.shadow_blur:
            shadow = shadow.filter(ImageFilter.GaussianBlur(max(1, int(round(style.shadow_blur * scale)))))
        moved = Image.new("RGBA", size, (0, 0, 0, 0))
        moved.paste(shadow, off)
        out.alpha_composite(moved)
    stroke_fill = tuple(style.stroke_color) if style.stroke_color and stroke else None
    out.alpha_composite(text_layer(tuple(style.fill), stroke_fill, stroke if stroke_fill else 0))
    # not trimmed to the visible pixels: a typewriter reveal must not move the text as it grows
    return np.asarray(out)


def _align_offset(align: str, width: int, block: int) -> int:
    if align == "left":
        return 0
    if align == "right":
        return block - width
    return (block - width) // 2
