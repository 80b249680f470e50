"""Built-in text style presets (captions, titles) for a 1080-wide canvas."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import LibraryError
from .fonts import font_path

DEFAULT_STYLE_ID = "classic"

RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class TextStyle:
    id: str
    title: str
    font_path: Path
    font_size: int  # px on a 1080-wide canvas
    fill: RGBA
    stroke_color: RGBA | None
    stroke_width: int
    box_color: RGBA | None
    box_padding: int
    box_radius: int
    shadow_color: RGBA | None
    shadow_offset: tuple[int, int]
    shadow_blur: int
    glow_color: RGBA | None
    glow_radius: int
    uppercase: bool
    line_spacing: float  # multiple of the font's line height
    align: str = "center"  # "left" | "center" | "right"


# Defaults shared by every preset; each preset overrides what makes it distinct.
_BASE = dict(
    font_size=72, fill=(255, 255, 255, 255), stroke_color=None, stroke_width=0,
    box_color=None, box_padding=0, box_radius=0, shadow_color=None, shadow_offset=(0, 0),
    shadow_blur=0, glow_color=None, glow_radius=0, uppercase=False, line_spacing=1.1, align="center",
)

# id -> (title, font family, overrides)
_PRESETS: dict[str, tuple[str, str, dict]] = {
    "classic": ("Classic", "roboto-black", dict(
        font_size=76, stroke_color=(0, 0, 0, 255), stroke_width=6,
        shadow_color=(0, 0, 0, 110), shadow_offset=(0, 4), shadow_blur=6)),
    "typewriter": ("Typewriter", "dejavu-sans-mono-bold", dict(
        font_size=56, fill=(24, 24, 24, 255), box_color=(250, 247, 238, 240), box_padding=22,
        box_radius=6, line_spacing=1.2)),
    "neon": ("Neon", "fredoka-one", dict(
        font_size=84, fill=(255, 250, 255, 255), stroke_color=(255, 60, 200, 255), stroke_width=3,
        glow_color=(255, 40, 200, 220), glow_radius=18)),
    "highlight": ("Highlight", "source-sans-black", dict(
        font_size=70, fill=(20, 20, 20, 255), box_color=(255, 214, 10, 255), box_padding=20,
        box_radius=18, line_spacing=1.15)),
    "serif": ("Serif", "source-serif-black", dict(
        font_size=80, fill=(255, 255, 255, 255), shadow_color=(0, 0, 0, 170), shadow_offset=(0, 5),
        shadow_blur=10)),
    "handwriting": ("Handwriting", "amatic-sc-bold", dict(
        font_size=110, fill=(255, 255, 255, 255), stroke_color=(30, 30, 30, 230), stroke_width=4,
        shadow_color=(0, 0, 0, 120), shadow_offset=(3, 4), shadow_blur=4, line_spacing=1.0)),
    "bold_caps": ("Bold caps", "roboto-black", dict(
        font_size=92, fill=(255, 255, 255, 255), stroke_color=(0, 0, 0, 255), stroke_width=8,
        uppercase=True, line_spacing=1.0)),
    "bubble": ("Bubble", "fredoka-one", dict(
        font_size=84, fill=(255, 255, 255, 255), stroke_color=(255, 60, 130, 255), stroke_width=9,
        shadow_color=(120, 0, 60, 140), shadow_offset=(0, 7), shadow_blur=2)),
    "label_dark": ("Dark label", "source-sans-bold", dict(
        font_size=60, fill=(255, 255, 255, 255), box_color=(0, 0, 0, 170), box_padding=18,
        box_radius=14, line_spacing=1.15)),
    "elegant": ("Elegant", "caladea-bold-italic", dict(
        font_size=86, fill=(255, 240, 214, 255), shadow_color=(0, 0, 0, 150), shadow_offset=(0, 3),
        shadow_blur=8, glow_color=(255, 200, 120, 90), glow_radius=10)),
    "subtitle": ("Subtitle", "source-sans-bold", dict(
        font_size=54, fill=(255, 255, 255, 255), stroke_color=(0, 0, 0, 220), stroke_width=3,
        shadow_color=(0, 0, 0, 140), shadow_offset=(0, 2), shadow_blur=3, line_spacing=1.15)),
}


def _build(style_id: str) -> TextStyle:
    title, family, overrides = _PRESETS[style_id]
    values = {**_BASE, **overrides}
    return TextStyle(id=style_id, title=title, font_path=font_path(family), **values)


def list_styles() -> list[TextStyle]:
    """All presets, default first."""
    return [_build(sid) for sid in _PRESETS]


def get_style(style_id: str) -> TextStyle:
    if style_id not in _PRESETS:
        raise LibraryError(f"unknown text style '{style_id}' (known: {', '.join(_PRESETS)})")
    return _build(style_id)
