"""Rasterise styled text once per (content, style, size): outline, box, shadow, glow, wrapping.

Returns straight-alpha RGBA (numpy). The compositor caches the result, so Pillow runs when the text
or its size changes, not on every frame.

Text in any script: a line is cut into grapheme clusters (an emoji sequence with its joiners, skin
tones, variation selectors and flag pairs stays whole); each cluster takes the first font that has
all its characters: the style's font, then the fallback faces of studio.library.fonts (Noto for
Latin/Cyrillic/Greek, Arabic, Hebrew, Devanagari, Thai, CJK, symbols), and for emoji the colour
emoji font first. Neighbouring clusters with the same font and bidi level form a run; each run is
shaped on its own by libraqm (HarfBuzz: Arabic joining, Indic conjuncts, emoji ligatures) and the
runs are placed in visual order by the Unicode bidi algorithm (python-bidi), so "Hello مرحبا" reads
Latin left, Arabic right to left. Colour emoji are bitmaps at one size (109 px): drawn there and
scaled to the line. Emoji take the style's shadow and glow but not its outline, as in the apps.
A cluster no font here has is drawn with the style's font (a box); `missing_glyphs` lists those
for pre-flight. wrap() measures with the same runs that rasterise() draws."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from studio.library.fonts import COLOUR_EMOJI_SIZE, FontFace, coverage, fallback_fonts, is_bold
from studio.library.styles import TextStyle


@dataclass(frozen=True)
class TextLayout:
    lines: tuple[str, ...]
    font_size: int
    # per line: whether its paragraph reads right to left (empty: each line judged on its own)
    rtl: tuple[bool, ...] = ()


def wrap(content: str, style: TextStyle, font_size: int, max_width: int) -> TextLayout:
    """Greedy word wrap to max_width pixels; explicit newlines are kept; a word longer than the
    line is broken between characters (never inside an emoji sequence) so nothing spills outside
    the box. Widths are those of the shaped runs that rasterise() draws."""
    text = content.upper() if style.uppercase else content
    fonts = _Fonts(style, font_size)
    lines: list[str] = []
    directions: list[bool] = []
    for paragraph in text.split("\n"):
        rtl = base_rtl(paragraph)

        def width(s: str) -> float:
            return fonts.measure(s, rtl)

        start = len(lines)
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if width(candidate) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            while width(word) > max_width and len(parts := clusters(word)) > 1:
                cut = _longest_fit(parts, width, max_width)
                lines.append("".join(parts[:cut]))
                word = "".join(parts[cut:])
            current = word
        lines.append(current)
        directions += [rtl] * (len(lines) - start)
    return TextLayout(tuple(lines), font_size, tuple(directions))


def line_width(text: str, style: TextStyle, font_size: int) -> float:
    """Width in pixels of `text` on one line (as rasterise draws it, outline not included)."""
    text = text.upper() if style.uppercase else text
    return _Fonts(style, font_size).measure(text, base_rtl(text))


def _longest_fit(parts: list[str], width, max_width: int) -> int:
    """How many clusters (at least one) fit in max_width: a binary search, as a long unspaced CJK
    sentence is one 'word' of hundreds of clusters."""
    lo, hi = 1, len(parts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if width("".join(parts[:mid])) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def missing_glyphs(content: str, style: TextStyle) -> tuple[str, ...]:
    """The clusters of `content` that no font here can show (each once, in order of appearance)."""
    text = content.upper() if style.uppercase else content
    fonts = _Fonts(style, style.font_size)
    missing: dict[str, None] = {}
    for line in text.split("\n"):
        previous = None
        for cluster in clusters(line):
            face = fonts.face_for(cluster, previous)
            if face is None:
                missing[cluster] = None
            previous = face
    return tuple(missing)


def rasterise(layout: TextLayout, style: TextStyle, scale: float, visible_chars: int | None = None) -> np.ndarray:
    """Draw wrapped text; `scale` scales outline, padding, shadow and glow with the font size.
    visible_chars limits how many characters are drawn (typewriter) without moving the others."""
    raster = TextRaster(layout, style, scale, visible_chars)
    out = raster.under_layer(raster.box_layer())
    out.alpha_composite(raster.text_layer(style.fill, style.stroke_color))
    # not trimmed to the visible pixels: a typewriter reveal must not move the text as it grows
    return np.asarray(out)


class TextRaster:
    """One layout drawn in one style at one scale, as separate layers (the style's box; glow and
    shadow; the letters in a given fill), with the pixel geometry of its lines and characters, so
    word-by-word styles (render.word_styles) can draw each word in its own colour at the same
    place. `extra` widens the margin (pixels) for words that grow past their place (a pop)."""

    def __init__(self, layout: TextLayout, style: TextStyle, scale: float, visible_chars: int | None = None,
                 extra: int = 0):
        self.layout, self.style, self.scale, self.visible_chars = layout, style, scale, visible_chars
        fonts = self.fonts = _Fonts(style, layout.font_size)
        ascent, descent = self.ascent, self.descent = fonts.font(fonts.primary).getmetrics()
        line_h = self.line_h = int(round((ascent + descent) * style.line_spacing))
        stroke = self.stroke = int(round(style.stroke_width * scale))
        lines = self.lines = [fonts.line(text, layout.rtl[i] if i < len(layout.rtl) else base_rtl(text))
                              for i, text in enumerate(layout.lines)]
        widths = self.widths = [int(np.ceil(line.width)) for line in lines]
        # glyphs of other scripts (and emoji) may reach above the style font's ascent or below its descent
        over = self.over = int(np.ceil(max([0] + [-(i * line_h + ascent + line.top) for i, line in enumerate(lines)])))
        last = line_h * (len(lines) - 1) + ascent + descent
        under = int(np.ceil(max([0] + [i * line_h + ascent + line.bottom - last for i, line in enumerate(lines)])))
        self.block_w = max(widths, default=1) + 2 * stroke
        self.block_h = line_h * (len(lines) - 1) + ascent + descent + 2 * stroke + over + under
        self.pad = int(round(style.box_padding * scale)) if style.box_color else 0
        self.blur = int(round(max(style.shadow_blur, style.glow_radius) * scale))
        self.off = (int(round(style.shadow_offset[0] * scale)), int(round(style.shadow_offset[1] * scale)))
        self.margin = self.pad + 2 * self.blur + max(abs(self.off[0]), abs(self.off[1])) + 2 + extra
        self.size = (self.block_w + 2 * self.margin, self.block_h + 2 * self.margin)
        self._emoji: dict[tuple[str, bool], tuple[Image.Image, int, int]] = {}

    # -- geometry ------------------------------------------------------------------------------
    def line_x(self, i: int) -> int:
        """Left edge of line i's text."""
        return self.margin + self.stroke + _align_offset(self.style.align, self.widths[i], self.block_w - 2 * self.stroke)

    def baseline(self, i: int) -> int:
        return self.margin + self.stroke + self.over + i * self.line_h + self.ascent

    def span_x(self, i: int, a: int, b: int) -> tuple[float, float] | None:
        """Left and right pixel edges of characters [a, b) of line i (logical offsets), over the runs
        they fall in (a right-to-left run is measured from its right end); None when empty."""
        fonts, x0 = self.fonts, self.line_x(i)
        lefts, rights = [], []
        for run in self.lines[i].runs:
            s0, s1 = max(a, run.start) - run.start, min(b, run.start + len(run.text)) - run.start
            if s0 >= s1:
                continue
            w0 = fonts.run_width(run.text[:s0], run.face, run.rtl) if s0 else 0.0
            w1 = fonts.run_width(run.text[:s1], run.face, run.rtl) if s1 < len(run.text) else run.width
            if run.rtl:
                lefts.append(x0 + run.x + run.width - w1)
                rights.append(x0 + run.x + run.width - w0)
            else:
                lefts.append(x0 + run.x + w0)
                rights.append(x0 + run.x + w1)
        return (min(lefts), max(rights)) if lefts else None

    # -- layers --------------------------------------------------------------------------------
    def box_layer(self) -> Image.Image:
        """The style's box (or a transparent image of the raster's size)."""
        style, margin, pad = self.style, self.margin, self.pad
        out = Image.new("RGBA", self.size, (0, 0, 0, 0))
        if style.box_color:
            ImageDraw.Draw(out).rounded_rectangle(
                (margin - pad, margin - pad, margin + self.block_w + pad, margin + self.block_h + pad),
                radius=int(round(style.box_radius * self.scale)), fill=tuple(style.box_color))
        return out

    def under_layer(self, onto: Image.Image | None = None) -> Image.Image:
        """Glow and shadow (the same whatever colour the letters are), drawn onto `onto` (changed)
        or onto a transparent image."""
        style, scale, stroke, blur = self.style, self.scale, self.stroke, self.blur
        out = Image.new("RGBA", self.size, (0, 0, 0, 0)) if onto is None else onto
        if style.glow_color and style.glow_radius:
            glow = self._letters(tuple(style.glow_color), tuple(style.glow_color), stroke + max(1, blur // 3), False)
            glow = glow.filter(ImageFilter.GaussianBlur(max(1, int(round(style.glow_radius * scale)))))
            out.alpha_composite(glow)
            out.alpha_composite(glow)  # twice: a blurred glow alone is too faint to read as neon
        if style.shadow_color:
            shadow = self._letters(tuple(style.shadow_color), tuple(style.shadow_color), stroke, False)
            if style.shadow_blur:
                shadow = shadow.filter(ImageFilter.GaussianBlur(max(1, int(round(style.shadow_blur * scale)))))
            moved = Image.new("RGBA", self.size, (0, 0, 0, 0))
            moved.paste(shadow, self.off)
            out.alpha_composite(moved)
        return out

    def text_layer(self, fill, stroke_color) -> Image.Image:
        """The letters in `fill` with the style's outline in `stroke_color` (none when None)."""
        stroke_fill = tuple(stroke_color) if stroke_color and self.stroke else None
        return self._letters(tuple(fill), stroke_fill, self.stroke if stroke_fill else 0, True)

    def _letters(self, fill, stroke_fill, stroke_width, colour_emoji: bool) -> Image.Image:
        layout, fonts = self.layout, self.fonts
        layer = Image.new("RGBA", self.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        remaining = self.visible_chars
        for i, line in enumerate(self.lines):
            shown = None if remaining is None else max(remaining, 0)
            if remaining is not None:
                remaining = max(remaining - len(layout.lines[i]), 0)
            x0 = self.line_x(i)
            baseline = self.baseline(i)
            for run in line.runs:
                text, dx = run.text, 0.0
                if shown is not None and run.start + len(run.text) > shown:
                    text = run.prefix(shown - run.start)
                    if not text:
                        continue
                    if run.rtl:  # a right-to-left run grows from its right end
                        dx = run.width - fonts.run_width(text, run.face, run.rtl)
                x = x0 + run.x + dx
                if run.face.colour:
                    key = (text, run.rtl)
                    if key not in self._emoji:
                        self._emoji[key] = fonts.emoji_image(text, run.rtl)
                    image, left, top = self._emoji[key]
                    _composite(layer, image if colour_emoji else _tint(image, fill), round(x) + left, baseline + top)
                else:
                    draw.text((x, baseline), text, font=fonts.font(run.face), anchor="ls",
                              direction="rtl" if run.rtl else "ltr", fill=fill,
                              stroke_width=stroke_width, stroke_fill=stroke_fill)
        return layer


def _align_offset(align: str, width: int, block: int) -> int:
    if align == "left":
        return 0
    if align == "right":
        return block - width
    return (block - width) // 2


def _composite(layer: Image.Image, image: Image.Image, x: int, y: int) -> None:
    """alpha_composite that clips at the layer's edges (Pillow refuses negative offsets)."""
    cx, cy = max(0, -x), max(0, -y)
    if cx or cy:
        image = image.crop((cx, cy, image.width, image.height))
    if image.width > 0 and image.height > 0 and x + cx < layer.width and y + cy < layer.height:
        layer.alpha_composite(image, (x + cx, y + cy))


def _tint(image: Image.Image, fill) -> Image.Image:
    """An emoji's silhouette in one colour (for the shadow and glow layers)."""
    rgba = np.empty((image.height, image.width, 4), np.uint8)
    rgba[..., :3] = fill[:3]
    rgba[..., 3] = np.asarray(image)[..., 3].astype(np.uint16) * (fill[3] if len(fill) > 3 else 255) // 255
    return Image.fromarray(rgba)


# ------------------------------------------------------------------ clusters, emoji, bidi

_ZWJ = 0x200D


def _extends(cp: int) -> bool:
    """Characters that belong to the cluster before them."""
    return (0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF   # variation selectors
            or 0x1F3FB <= cp <= 0x1F3FF                         # skin tones
            or 0xE0020 <= cp <= 0xE007F                         # tags (subdivision flags)
            or cp in (_ZWJ, 0x200C)
            or unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me"))


def _regional(cp: int) -> bool:
    return 0x1F1E6 <= cp <= 0x1F1FF


def clusters(text: str) -> list[str]:
    """Grapheme clusters, simplified: a base character with its combining marks, variation
    selectors, skin tones and tags; ZWJ sequences; regional-indicator pairs (flags)."""
    out: list[str] = []
    for ch in text:
        cp = ord(ch)
        if out:
            last = out[-1]
            joined = ord(last[-1]) == _ZWJ
            pair = _regional(cp) and len(last) == 1 and _regional(ord(last))
            if joined or pair or _extends(cp):
                out[-1] = last + ch
                continue
        out.append(ch)
    return out


def _ignorable(cp: int) -> bool:
    """Characters a font need not map for the cluster to show (joiners, selectors, tags)."""
    return cp in (_ZWJ, 0x200C) or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or 0xE0020 <= cp <= 0xE007F


# characters below U+1F000 that are emoji without a variation selector (Emoji_Presentation=Yes)
_EMOJI_BMP = frozenset([0x231A, 0x231B, 0x23E9, 0x23EA, 0x23EB, 0x23EC, 0x23F0, 0x23F3, 0x25FD, 0x25FE,
                        0x2614, 0x2615, *range(0x2648, 0x2654), 0x267F, 0x2693, 0x26A1, 0x26AA, 0x26AB,
                        0x26BD, 0x26BE, 0x26C4, 0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2, 0x26F3, 0x26F5,
                        0x26FA, 0x26FD, 0x2705, 0x270A, 0x270B, 0x2728, 0x274C, 0x274E, 0x2753, 0x2754,
                        0x2755, 0x2757, 0x2795, 0x2796, 0x2797, 0x27B0, 0x27BF, 0x2B1B, 0x2B1C, 0x2B50,
                        0x2B55])


def _is_emoji(cluster: str) -> bool:
    cps = [ord(c) for c in cluster]
    if 0xFE0E in cps:  # text presentation asked for
        return False
    if 0xFE0F in cps or 0x20E3 in cps or any(0x1F3FB <= cp <= 0x1F3FF for cp in cps):
        return True
    return 0x1F000 <= cps[0] <= 0x1FAFF or cps[0] in _EMOJI_BMP


def _neutral(cps: list[int]) -> bool:
    """Spaces and punctuation: they stay in the font of the run they are in when it has them."""
    return all(unicodedata.category(chr(cp))[0] in "ZP" for cp in cps)


_RTL_CLASSES = frozenset(("R", "AL", "AN", "RLE", "RLO", "LRE", "LRO", "RLI", "LRI", "FSI", "PDF", "PDI"))


def base_rtl(text: str) -> bool:
    """A paragraph's direction: that of its first strong character (Unicode bidi rule P2)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


def _levels(text: str, rtl: bool) -> list[int]:
    """Resolved bidi embedding level of each character."""
    base = 1 if rtl else 0
    if not rtl and not any(unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text):
        return [0] * len(text)
    levels = _full_levels(text, rtl) or _reference_levels(text, rtl)
    # rule L1: trailing whitespace goes back to the paragraph level
    for k in range(len(text) - 1, -1, -1):
        if not text[k].isspace():
            break
        levels[k] = base
    return levels


_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _full_levels(text: str, rtl: bool) -> list[int] | None:
    """Levels from python-bidi's Rust engine (unicode-bidi: the whole algorithm, bracket pairs
    included, so "(abc)" in Hebrew keeps its brackets round it). It shows its resolved levels only
    in its debug dump, one per UTF-8 byte; None when that dump is not as expected."""
    from bidi import get_display

    dump = get_display(text, base_dir="R" if rtl else "L", debug=True)
    start = dump.find("levels: [") if isinstance(dump, str) else -1
    per_byte = [int(n) for n in _LEVEL.findall(dump[start:dump.find("]", start)])] if start >= 0 else []
    if len(per_byte) != len(text.encode("utf-8")):
        return None
    levels, i = [], 0
    for ch in text:
        levels.append(per_byte[i])
        i += len(ch.encode("utf-8"))
    return levels


def _reference_levels(text: str, rtl: bool) -> list[int]:
    """Levels from python-bidi's pure-Python algorithm (no bracket pairs)."""
    from bidi import algorithm

    base = 1 if rtl else 0
    storage = algorithm.get_empty_storage()
    storage["base_level"], storage["base_dir"] = base, "LR"[base]
    algorithm.get_embedding_levels(text, storage)
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    # the algorithm drops boundary neutrals (ZWJ, ...): they take the level of the character before
    resolved = storage["chars"]
    levels, j, level = [], 0, base
    for ch in text:
        if j < len(resolved) and resolved[j]["ch"] == ch:
            level = resolved[j]["level"]
            j += 1
        levels.append(level)
    return levels


def _visual_order(levels: list[int]) -> list[int]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every stretch at or
    above that level. Returns indices into `levels` in display order."""
    order = list(range(len(levels)))
    if not levels:
        return order
    lowest_odd = min(level for level in levels) | 1
    for level in range(max(levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


# ------------------------------------------------------------------ runs and fonts

@dataclass
class _Run:
    text: str
    start: int           # offset of the run in its line (logical order)
    face: FontFace
    rtl: bool
    level: int
    width: float = 0.0
    x: float = 0.0       # left edge in the line, in display order

    def prefix(self, n: int) -> str:
        """The first n characters, cut back to a cluster boundary."""
        if n <= 0:
            return ""
        taken = ""
        for cluster in clusters(self.text):
            if len(taken) + len(cluster) > n:
                break
            taken += cluster
        return taken


@dataclass
class _Line:
    runs: list[_Run]     # display order
    width: float
    top: float           # ink extent above (negative) and below the baseline
    bottom: float


class _Fonts:
    """The faces one wrap/rasterise call uses. Pillow font objects are opened per call and not
    shared (exports rasterise from worker threads); character maps are read once per process
    (studio.library.fonts.coverage)."""

    def __init__(self, style: TextStyle, size: int):
        self.size = size
        self.primary = FontFace(Path(style.font_path))
        self.fallback = fallback_fonts(is_bold(self.primary.path))
        self._open: dict[FontFace, ImageFont.FreeTypeFont] = {}
        self._faces: dict[str, FontFace | None] = {}
        self._widths: dict[tuple[str, bool], float] = {}

    def font(self, face: FontFace) -> ImageFont.FreeTypeFont:
        if face not in self._open:
            self._open[face] = ImageFont.truetype(str(face.path), COLOUR_EMOJI_SIZE if face.colour else self.size,
                                                  index=face.index, layout_engine=ImageFont.Layout.RAQM)
        return self._open[face]

    def face_for(self, cluster: str, previous: FontFace | None) -> FontFace | None:
        """The first face that has every character of the cluster; None when no font here has."""
        needed = [cp for cp in map(ord, cluster) if not _ignorable(cp)]
        if not needed:
            return previous or self.primary
        if previous is not None and not previous.colour and _neutral(needed) \
                and coverage(previous.path, previous.index).covers(needed):
            return previous
        if cluster not in self._faces:
            self._faces[cluster] = self._search(cluster, needed)
        return self._faces[cluster]

    def _search(self, cluster: str, needed: list[int]) -> FontFace | None:
        fb = self.fallback
        order = [self.primary, *fb.faces]
        if fb.emoji is not None:
            order = [fb.emoji, *order] if _is_emoji(cluster) else [*order, fb.emoji]
        for face in (*order, *fb.more):
            if coverage(face.path, face.index).covers(needed):
                return face
        return None

    def runs(self, text: str, rtl: bool) -> list[_Run]:
        """The line's runs in display order, measured."""
        levels = _levels(text, rtl)
        runs: list[_Run] = []
        previous, offset = None, 0
        for cluster in clusters(text):
            face = self.face_for(cluster, previous)
            previous = face
            face = face or self.primary  # no font has it: the style's font draws its box
            level = levels[offset]
            if runs and runs[-1].face == face and runs[-1].level == level:
                runs[-1].text += cluster
            else:
                runs.append(_Run(cluster, offset, face, level % 2 == 1, level))
            offset += len(cluster)
        shown = [runs[i] for i in _visual_order([run.level for run in runs])]
        x = 0.0
        for run in shown:
            run.width = self.run_width(run.text, run.face, run.rtl)
            run.x = x
            x += run.width
        return shown

    def run_width(self, text: str, face: FontFace, rtl: bool) -> float:
        scale = self.size / COLOUR_EMOJI_SIZE if face.colour else 1.0
        return self.font(face).getlength(text, direction="rtl" if rtl else "ltr") * scale

    def measure(self, text: str, rtl: bool) -> float:
        key = (text, rtl)
        if key not in self._widths:
            self._widths[key] = sum(run.width for run in self.runs(text, rtl))
        return self._widths[key]

    def line(self, text: str, rtl: bool) -> _Line:
        runs = self.runs(text, rtl) if text else []
        top, bottom = 0.0, 0.0
        for run in runs:
            scale = self.size / COLOUR_EMOJI_SIZE if run.face.colour else 1.0
            _, t, _, b = self.font(run.face).getbbox(run.text, anchor="ls", direction="rtl" if run.rtl else "ltr")
            top, bottom = min(top, t * scale), max(bottom, b * scale)
        return _Line(runs, sum(run.width for run in runs), top, bottom)

    def emoji_image(self, text: str, rtl: bool) -> tuple[Image.Image, int, int]:
        """Colour emoji drawn at the font's bitmap size and scaled to the line: the image and its
        top-left corner relative to the pen position on the baseline."""
        font = self.font(self.fallback.emoji)
        direction = "rtl" if rtl else "ltr"
        left, top, right, bottom = font.getbbox(text, anchor="ls", direction=direction)
        big = Image.new("RGBA", (max(1, right - left), max(1, bottom - top)), (0, 0, 0, 0))
        ImageDraw.Draw(big).text((-left, -top), text, font=font, anchor="ls", direction=direction, embedded_color=True)
        scale = self.size / COLOUR_EMOJI_SIZE
        size = (max(1, round(big.width * scale)), max(1, round(big.height * scale)))
        # resized premultiplied, so the edges do not pick up dark fringes
        small = big.convert("RGBa").resize(size, Image.Resampling.LANCZOS).convert("RGBA")
        return small, round(left * scale), round(top * scale)


def glyph_codes(cluster: str) -> str:
    """'U+13000' (or 'U+1F1FF U+1F1FF' for a sequence), leaving out joiners and selectors."""
    return " ".join(f"U+{ord(ch):04X}" for ch in cluster if not _ignorable(ord(ch))) or \
        " ".join(f"U+{ord(ch):04X}" for ch in cluster)
