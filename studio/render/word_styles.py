"""Word-by-word text styles: each word of a text item drawn on its own at the item's frame, after
the words' times: the word being said highlighted (a colour and/or a rounded box behind it), words
popping in at their start, karaoke fill, one word at a time, and keywords in an emphasis colour
(studio.library.styles says which style does what).

Words. The text's words are its whitespace-separated tokens; in Chinese and Japanese, written
without spaces, every Han/kana character is a word of its own (punctuation stays with the one
before), so karaoke and highlight step through the characters as karaoke of those languages does.
Arabic, Hebrew and every other script with spaces: its tokens, wherever bidi places them.

Keywords. Words wrapped in asterisks in the text ("this is *huge*", "*two words*") are drawn in
the style's emphasis colour, without the asterisks (only by styles that have an emphasis colour).

Times. A text item's `words` (WordTime, frames after its start) give each word its time when there
are as many as the text has words (a typo fixed keeps the times), or when they spell the same
characters (a Chinese caption whose recognised words are two characters long: each character gets
its share of its word's time). Otherwise the words are spread one after another over the time the
given words cover, or over the whole item without any, each taking a share proportional to its
length plus one (so a long word takes longer to say, a short one is still seen).

The word being said at local frame f is the last one whose start is at or before f: it stays
highlighted through a pause until the next begins. All of this is pixels from the same rasteriser
the preview and export share (render.text.TextRaster): one glow/shadow layer and one letters layer
per colour are drawn once per layout; a frame picks each word's pixels from the layer of its
colour (the sprite is divided into one cell per word, cut halfway between words), so a new word or
pop phase costs a numpy selection, not a rasterisation; and the overlay cache keys the result on
the per-word state, so frames with the same state share one sprite.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from studio.library.styles import TextStyle
from studio.model import WordTime

from .text import TextLayout, TextRaster, _composite, clusters

KEYWORD = re.compile(r"\*(\S(?:[^*\n]*?\S)?)\*")
POP_FRAMES = 6          # a word's pop lasts this many frames
KARAOKE_STEPS = 16      # a word fills in this many steps (sprites per word at most)
BOX_PAD = 0.16          # the highlight box: padding around the word, fraction of the font size
BOX_RADIUS = 0.22

RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class Word:
    text: str        # as shown (no asterisks)
    start: int       # frames after the item's start
    end: int
    keyword: bool
    span: tuple[int, int]   # characters of the shown text


@dataclass(frozen=True)
class Words:
    shown: str                 # the text as drawn (keyword asterisks taken out)
    words: tuple[Word, ...]

    def active(self, local: int) -> int:
        """The word being said at `local` (the last one started), -1 before the first."""
        k = -1
        for i, w in enumerate(self.words):
            if w.start <= local:
                k = i
            else:
                break
        return k


def shown_text(content: str) -> tuple[str, list[tuple[int, int]]]:
    """`content` without keyword asterisks, and the character spans of the keywords in it."""
    out, spans, last = [], [], 0
    length = 0
    for m in KEYWORD.finditer(content):
        out.append(content[last:m.start()])
        length += m.start() - last
        spans.append((length, length + len(m.group(1))))
        out.append(m.group(1))
        length += len(m.group(1))
        last = m.end()
    out.append(content[last:])
    return "".join(out), spans


def _cjk(cluster: str) -> bool:
    cp = ord(cluster[0])
    return (0x3040 <= cp <= 0x30FF or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3134F or 0x31F0 <= cp <= 0x31FF)


def tokens(text: str) -> list[tuple[int, int]]:
    """Character spans of the words: whitespace-separated tokens, Han/kana characters one each."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"\S+", text):
        pos, piece_start, prev_cjk = m.start(), m.start(), False
        for cluster in clusters(m.group()):
            cjk = _cjk(cluster)
            letter = unicodedata.category(cluster[0])[0] in "LNS"
            if pos > piece_start and (cjk or (prev_cjk and letter)):
                spans.append((piece_start, pos))
                piece_start = pos
            if cjk or letter:
                prev_cjk = cjk
            pos += len(cluster)
        spans.append((piece_start, m.end()))
    return spans


def spread(weights: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) frames of words one after another over start..end, by weight."""
    total, span, acc, out = sum(weights) or 1, max(0, end - start), 0, []
    for w in weights:
        a = start + round(span * acc / total)
        acc += w
        out.append((a, max(a, start + round(span * acc / total))))
    return out


def _normal(text: str) -> str:
    return "".join(ch for ch in text.replace("*", "").casefold() if not ch.isspace())


def _by_characters(texts: list[str], words: tuple[WordTime, ...]) -> list[tuple[int, int]] | None:
    """Times of `texts` from `words` that spell the same characters (split or joined otherwise)."""
    normal = [_normal(t) for t in texts]
    said = [_normal(w.text) for w in words]
    if "".join(normal) != "".join(said) or not all(said):
        return None
    bounds, at = [], 0          # (first char, end char, start, end) of each given word
    for text, w in zip(said, words):
        bounds.append((at, at + len(text), w.start, max(w.start, w.end)))
        at += len(text)

    def time(c: int, closing: bool) -> int:
        for a, b, s, e in bounds:
            if a <= c < b or (closing and a < c <= b):
                return round(s + (e - s) * (c - a) / (b - a))
        return bounds[-1][3]

    out, at = [], 0
    for text in normal:
        out.append((time(at, False), time(at + len(text), True)))
        at += len(text)
    return out


def timed_words(content: str, words: tuple[WordTime, ...], duration: int, uppercase: bool = False,
                keywords: bool = True) -> Words:
    """The words of a text item with their times (see the module's notes)."""
    shown, marks = shown_text(content) if keywords else (content, [])
    spans = tokens(shown)
    texts = [shown[a:b] for a, b in spans]
    times = None
    if words and len(words) == len(spans):
        times = [(w.start, max(w.start, w.end)) for w in words]
    elif words:
        times = _by_characters(texts, words) or spread([len(t) + 1 for t in texts], min(w.start for w in words),
                                                       max(w.end for w in words))
    else:
        times = spread([len(t) + 1 for t in texts], 0, duration)
    out = []
    for (a, b), text, (s, e) in zip(spans, texts, times):
        keyword = any(a < m1 and m0 < b for m0, m1 in marks)
        out.append(Word(text.upper() if uppercase else text, s, e, keyword, (a, b)))
    return Words(shown, tuple(out))


# ------------------------------------------------------------------ per-frame state

# a word's look at one frame: (fill or None when hidden, pop scale, box behind it, karaoke fill
# step 0..KARAOKE_STEPS of `second` over `fill` from the word's reading start)
State = tuple


def _pop_scale(since: int) -> float:
    if since >= POP_FRAMES or since < 0:
        return 1.0
    p = (since + 1) / (POP_FRAMES + 1)
    c1 = 1.70158
    back = 1 + (c1 + 1) * (p - 1) ** 3 + c1 * (p - 1) ** 2   # ease out with an overshoot
    return round(0.5 + 0.5 * back, 2)


def frame_states(style: TextStyle, words: Words, local: int) -> tuple[str, tuple[State, ...], tuple]:
    """(text to lay out, a state per word of it, the words' character spans in that text) at `local`;
    no states (None) when every word looks alike all the time (no word mode, no keyword)."""
    mode = style.word_mode
    ws = words.words
    if not ws or (not mode and not any(w.keyword for w in ws)):
        return words.shown, None, ()
    active = words.active(local)
    plain = tuple(style.fill)

    def colour(w: Word) -> RGBA:
        return tuple(style.emphasis_color) if w.keyword and style.emphasis_color else plain

    if mode == "one_word":
        k = max(active, 0)
        w = ws[k]
        return w.text, ((colour(w), _pop_scale(local - w.start) if active >= 0 else 1.0, False, 0, None),), \
            ((0, len(w.text)),)
    states = []
    for k, w in enumerate(ws):
        if mode == "highlight":
            on = k == active
            fill = tuple(style.word_color) if on and style.word_color else colour(w)
            states.append((fill, 1.0, on and style.word_box_color is not None, 0, None))
        elif mode == "pop":
            if local < w.start:
                states.append((None, 1.0, False, 0, None))
            else:
                fill = tuple(style.word_color) if k == active and style.word_color else colour(w)
                states.append((fill, _pop_scale(local - w.start), False, 0, None))
        elif mode == "karaoke":
            said = colour(w) if w.keyword else tuple(style.word_color or style.fill)
            rest = tuple(style.word_dim_color or style.fill)
            if k < active:
                states.append((said, 1.0, False, 0, None))
            elif k == active:
                p = (local - w.start + 1) / max(1, w.end - w.start)
                step = min(KARAOKE_STEPS, max(0, int(p * KARAOKE_STEPS)))
                states.append((rest, 1.0, False, step, said) if step < KARAOKE_STEPS else (said, 1.0, False, 0, None))
            else:
                states.append((rest, 1.0, False, 0, None))
        else:
            states.append((colour(w), 1.0, False, 0, None))
    return words.shown, tuple(states), tuple(w.span for w in ws)


# ------------------------------------------------------------------ drawing

class WordLook:
    """A layout's layers and word geometry, drawn once; `draw(states)` composes one frame."""

    def __init__(self, layout: TextLayout, style: TextStyle, scale: float, visible: int | None,
                 spans: tuple[tuple[int, int], ...], text: str):
        extra = round(layout.font_size * (BOX_PAD + 0.2))  # room for a pop's overshoot and the word box
        self.raster = raster = TextRaster(layout, style, scale, visible, extra)
        self.style, self.font_size = style, layout.font_size
        self.width, self.height = raster.size
        self.box = np.asarray(raster.box_layer())
        self.under = raster.under_layer()
        self._layers: dict = {}
        self.segments = self._segments(layout, text, spans, style.uppercase)
        self.cells = self._cells()

    def _segments(self, layout: TextLayout, text: str, spans, uppercase: bool) -> list[list[tuple]]:
        """Per word, its pieces (line, x0, x1) on the lines it was wrapped onto. Found by counting
        non-space characters, which wrapping keeps in order (it only drops spaces and newlines)."""
        where: list[tuple[int, int]] = []   # (line, offset) of every non-space character of the layout
        for i, line in enumerate(layout.lines):
            where += [(i, j) for j, ch in enumerate(line) if not ch.isspace()]
        out, g = [], 0
        for a, b in spans:
            piece = text[a:b].upper() if uppercase else text[a:b]
            n = sum(1 for ch in piece if not ch.isspace())
            chars = where[g:g + n]
            g += n
            lines: dict[int, list[int]] = {}
            for i, j in chars:
                lines.setdefault(i, []).append(j)
            pieces = []
            for i, js in lines.items():
                x = self.raster.span_x(i, min(js), max(js) + 1)
                if x is not None:
                    pieces.append((i, x[0], x[1]))
            out.append(pieces)
        return out

    def _band(self, i: int) -> tuple[int, int]:
        r = self.raster
        top = 0 if i == 0 else (r.baseline(i - 1) + r.descent + r.baseline(i) - r.ascent) // 2
        bottom = self.height if i == len(r.lines) - 1 else (r.baseline(i) + r.descent + r.baseline(i + 1) - r.ascent) // 2
        return top, bottom

    def _cells(self) -> np.ndarray:
        """Which word each pixel belongs to (-1: none): per line, cut halfway between words."""
        cells = np.full((self.height, self.width), -1, np.int16)
        by_line: dict[int, list[tuple[float, float, int]]] = {}
        for k, pieces in enumerate(self.segments):
            for i, x0, x1 in pieces:
                by_line.setdefault(i, []).append((x0, x1, k))
        for i, pieces in by_line.items():
            pieces.sort()
            top, bottom = self._band(i)
            for n, (x0, x1, k) in enumerate(pieces):
                left = 0 if n == 0 else int(round((pieces[n - 1][1] + x0) / 2))
                right = self.width if n == len(pieces) - 1 else int(round((x1 + pieces[n + 1][0]) / 2))
                cells[top:bottom, left:right] = k
        return cells

    def layer(self, fill: RGBA) -> np.ndarray:
        """Glow, shadow and the letters in `fill` (outlined as the style says)."""
        if fill not in self._layers:
            image = self.under.copy()
            image.alpha_composite(self.raster.text_layer(fill, self.style.stroke_color))
            self._layers[fill] = np.asarray(image)
        return self._layers[fill]

    def draw(self, states: tuple[State, ...]) -> np.ndarray:
        h, w = self.height, self.width
        r = self.raster
        out = Image.fromarray(self.box)
        style = self.style
        if any(s[2] for s in states):
            draw = ImageDraw.Draw(out)
            pad = round(self.font_size * BOX_PAD)
            for k, s in enumerate(states):
                if s[2]:
                    for i, x0, x1 in self.segments[k]:
                        base = r.baseline(i)
                        draw.rounded_rectangle((x0 - pad, base - r.ascent - pad // 2, x1 + pad, base + r.descent + pad // 2),
                                               radius=round(self.font_size * BOX_RADIUS), fill=tuple(style.word_box_color))
        letters = np.zeros((h, w, 4), np.uint8)
        choice = np.full(len(states) + 1, -1, np.int16)
        fills: list[RGBA] = []
        for k, (fill, scale, _box, step, second) in enumerate(states):
            if fill is None or scale != 1.0:
                continue
            if fill not in fills:
                fills.append(fill)
            choice[k] = fills.index(fill)
        picked = choice[self.cells]      # the cell -1 reads the last entry: -1 (nothing)
        for k, (fill, scale, _box, step, second) in enumerate(states):
            if step and second is not None and fill is not None and scale == 1.0:
                if second not in fills:
                    fills.append(second)
                for i, x0, x1 in self.segments[k]:
                    rtl = r.layout.rtl[i] if i < len(r.layout.rtl) else False
                    if rtl:  # a right-to-left line fills from the right
                        cols = slice(int(round(x1 - (x1 - x0) * step / KARAOKE_STEPS)), w)
                    else:
                        cols = slice(0, int(round(x0 + (x1 - x0) * step / KARAOKE_STEPS)))
                    top, bottom = self._band(i)
                    region = picked[top:bottom, cols]
                    region[self.cells[top:bottom, cols] == k] = fills.index(second)
        for n, fill in enumerate(fills):
            mask = picked == n
            if mask.any():
                np.copyto(letters, self.layer(fill), where=mask[..., None])
        image = Image.alpha_composite(out, Image.fromarray(letters))
        for k, (fill, scale, _box, _step, _second) in enumerate(states):
            if fill is not None and scale != 1.0:
                self._paste_scaled(image, k, fill, scale)
        return np.asarray(image)

    def _paste_scaled(self, image: Image.Image, k: int, fill: RGBA, scale: float) -> None:
        """Word k's pixels grown or shrunk by `scale` around its centre (a pop)."""
        mask = self.cells == k
        ys, xs = np.nonzero(mask)
        if not len(xs):
            return
        y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
        crop = self.layer(fill)[y0:y1, x0:x1].copy()
        crop[~mask[y0:y1, x0:x1]] = 0
        i, wx0, wx1 = self.segments[k][0]
        r = self.raster
        cx, cy = (wx0 + wx1) / 2, r.baseline(i) - (r.ascent - r.descent) / 2
        nw, nh = max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale))
        small = Image.fromarray(crop).convert("RGBa").resize((nw, nh), Image.Resampling.BILINEAR).convert("RGBA")
        _composite(image, small, round(cx + (x0 - cx) * scale), round(cy + (y0 - cy) * scale))
