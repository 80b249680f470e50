"""Built-in text style presets (captions, titles) for a 1080-wide canvas.

Word styles (render.word_styles) draw each word of a text on its own, following the words' times
(a caption's spoken words, or words spread over the item): `word_mode` "highlight" (the word being
said in `word_color` and/or on a rounded `word_box_color` box), "pop" (each word pops in at its
start), "karaoke" (words said in `word_color`, the one being said filling left to right, the rest
in `word_dim_color`), "one_word" (only the word being said, popping in). A style with an
`emphasis_color` draws keywords in it: words the creator wraps in asterisks in the text
("this is *huge*", or "*two words*"), drawn without the asterisks. Plain styles draw asterisks as
they are.
"""

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
    word_mode: str = ""    # "" (all words alike) | "highlight" | "pop" | "karaoke" | "one_word"
    word_color: RGBA | None = None      # highlight: the word being said; karaoke: the words said
    word_box_color: RGBA | None = None  # highlight: a rounded box behind the word being said
    word_dim_color: RGBA | None = None  # karaoke: the words not said yet
    emphasis_color: RGBA | None = None  # the *keywords* (wrapped in asterisks in the text)

    @property
    def by_word(self) -> bool:
        """Whether the style draws words on their own (a word mode or keyword emphasis)."""
        return bool(self.word_mode) or self.emphasis_color is not None


WORD_MODES = ("", "highlight", "pop", "karaoke", "one_word")


# Defaults shared by every preset; each preset overrides what makes it distinct.
_BASE = dict(
    font_size=72, fill=(255, 255, 255, 255), stroke_color=None, stroke_width=0,
    box_color=None, box_padding=0, box_radius=0, shadow_color=None, shadow_offset=(0, 0),
    shadow_blur=0, glow_color=None, glow_radius=0, uppercase=False, line_spacing=1.1, align="center",
)
_CAPTION = dict(  # the bold outlined white of short-video captions, shared by the word styles
    font_size=76, stroke_color=(0, 0, 0, 255), stroke_width=6, shadow_color=(0, 0, 0, 110), shadow_offset=(0, 4),
    shadow_blur=6, line_spacing=1.1)
_YELLOW = (255, 214, 10, 255)

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
    # word by word, following the words' times (captions from speech carry them)
    "word_highlight": ("Word highlight", "roboto-black", dict(
        _CAPTION, word_mode="highlight", word_box_color=(124, 77, 255, 255), emphasis_color=_YELLOW)),
    "word_color": ("Word colour", "roboto-black", dict(
        _CAPTION, word_mode="highlight", word_color=(46, 230, 110, 255), emphasis_color=_YELLOW)),
    "word_pop": ("Word pop", "roboto-black", dict(
        _CAPTION, font_size=80, word_mode="pop", emphasis_color=_YELLOW)),
    "karaoke": ("Karaoke", "source-sans-black", dict(
        _CAPTION, word_mode="karaoke", word_color=_YELLOW, word_dim_color=(255, 255, 255, 150),
        emphasis_color=(255, 90, 70, 255))),
    "one_word": ("One word", "roboto-black", dict(
        _CAPTION, font_size=112, stroke_width=8, uppercase=True, word_mode="one_word", emphasis_color=_YELLOW)),
    "keyword": ("Keyword", "roboto-black", dict(_CAPTION, emphasis_color=_YELLOW)),
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
