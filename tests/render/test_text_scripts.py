"""Text in every script, and emoji: decoded frames of an export compared with the same strings drawn
directly with the right font (not tofu, Arabic joined and right to left, Latin left of Arabic in
mixed text, emoji in colour), sequences kept whole, wrapping, and the pre-flight glyph warning."""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from studio.library.fonts import FALLBACK_PACKAGES, coverage, fallback_fonts, package_for
from studio.library.styles import get_style
from studio.model import Clip, Metadata, Project, SoundItem, TextItem, Timeline, Track, edits
from studio.render.export import ExportOptions, export_project
from studio.render.preflight import check_project
from studio.render.text import clusters, missing_glyphs, rasterise, wrap

NOTO = Path("/usr/share/fonts/truetype/noto")
ARABIC = NOTO / "NotoSansArabic-Bold.ttf"
HEBREW = NOTO / "NotoSansHebrew-Bold.ttf"
DEVANAGARI = NOTO / "NotoSansDevanagari-Bold.ttf"
THAI = NOTO / "NotoSansThai-Bold.ttf"
EMOJI = NOTO / "NotoColorEmoji.ttf"
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
CJK_SC = 2  # the Simplified Chinese face of the collection, the one the fallback chain picks

pytestmark = pytest.mark.skipif(
    not all(p.is_file() for p in (ARABIC, HEBREW, DEVANAGARI, THAI, EMOJI, CJK)),
    reason="the Noto font packages are not installed (./setup.sh: " + " ".join(FALLBACK_PACKAGES) + ")")

W, H = 1080, 1920
BG = (40, 90, 160)
STYLE = "label_dark"  # white text on a dark box, no outline: the ink is easy to separate
SIZE = 1.5            # label_dark's 60 px at 1.5: the glyphs are drawn at 90 px
PX = 90
ITEMS = {             # content -> centre y (fraction of the height)
    "你好世界": 0.15,
    "مرحبا": 0.30,
    "Hello مرحبا": 0.45,
    "👋🔥": 0.60,
    "Day 1 👋🔥 Привет 你好 مرحبا": 0.75,
}


def _font(path: Path, size: int = PX, index: int = 0, basic: bool = False) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.BASIC if basic else ImageFont.Layout.RAQM
    return ImageFont.truetype(str(path), size, index=index, layout_engine=engine)


def _reference(text: str, font: ImageFont.FreeTypeFont, colour: bool = False) -> np.ndarray:
    """The ink of `text` drawn directly with one font (white on black), as a 0/1 float mask."""
    left, top, right, bottom = font.getbbox(text)
    img = Image.new("RGBA", (right - left + 8, bottom - top + 8), (0, 0, 0, 0))
    ImageDraw.Draw(img).text((4 - left, 4 - top), text, font=font, fill=(255, 255, 255, 255), embedded_color=colour)
    return _crop((np.asarray(img)[..., 3] > 127).astype(np.float32))


def _crop(mask: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(mask > 0.5)
    return mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    """Overlap of two ink masks once b is scaled onto a's box."""
    b = cv2.resize(b, (a.shape[1], a.shape[0]), interpolation=cv2.INTER_AREA) > 0.5
    a = a > 0.5
    return float((a & b).sum() / max(1, (a | b).sum()))


def _band(frame: np.ndarray, y: float) -> np.ndarray:
    centre = round(y * H)
    return frame[centre - 120:centre + 120]


def _white(region: np.ndarray) -> np.ndarray:
    return (region.min(axis=2) > 170).astype(np.float32)


def _where(template: np.ndarray, ink: np.ndarray) -> tuple[float, float]:
    """Best match of a glyph template in a line's ink: (centre x as a fraction of the ink width, score)."""
    pad = np.pad(ink, ((8, 8), (8, 8)))
    scores = cv2.matchTemplate(pad, template, cv2.TM_CCOEFF_NORMED)
    _, best, _, (x, _) = cv2.minMaxLoc(scores)
    return (x - 8 + template.shape[1] / 2) / ink.shape[1], best


@pytest.fixture(scope="module")
def frame(tmp_path_factory) -> np.ndarray:
    """One decoded frame of an exported project with a text item per script."""
    import av

    folder = tmp_path_factory.mktemp("scripts")
    still = folder / "bg.png"
    Image.fromarray(np.full((H, W, 3), BG, np.uint8)).save(still)
    texts = tuple(TextItem(f"t{i}", 0, 6, content, style=STYLE, y=y, size=SIZE, width=0.9,
                           anim_in="none", anim_out="none") for i, (content, y) in enumerate(ITEMS.items()))
    tracks = (Track("video", (Clip("bg", str(still), 0, 6),)),) + tuple(Track("overlay", (t,)) for t in texts)
    project = Project(name="scripts", width=W, height=H, fps=Fraction(30), timeline=Timeline(tracks))
    out = folder / "scripts.mp4"
    export_project(project, out, ExportOptions(quality="draft", crf=16, cover=False, sidecar=False, preflight=False))
    with av.open(str(out)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == 6
    Image.fromarray(frames[3]).save(folder / "frame.png")
    return frames[3]


def test_cjk_is_drawn_with_a_cjk_font_not_boxes(frame):
    ink = _crop(_white(_band(frame, ITEMS["你好世界"])))
    right = _reference("你好世界", _font(CJK, index=CJK_SC))
    tofu = _reference("你好世界", _font(get_style(STYLE).font_path))  # the style's font alone: .notdef boxes
    boxes = _reference("\uffff" * 4, _font(CJK, index=CJK_SC))
    assert _iou(ink, right) > 0.9
    assert _iou(ink, tofu) < 0.5 and _iou(ink, boxes) < 0.5
    assert abs(ink.shape[1] - right.shape[1]) <= 6


def test_arabic_is_joined_and_right_to_left(frame):
    ink = _crop(_white(_band(frame, ITEMS["مرحبا"])))
    font = _font(ARABIC)
    shaped = _reference("مرحبا", font)
    isolated = _reference("مرحبا", _font(ARABIC, basic=True))  # no shaping: isolated letters, left to right
    assert _iou(ink, shaped) > 0.7
    assert _iou(ink, isolated) < 0.5
    # joined: narrower than the isolated letters and fewer pieces (مر + حبا + the dot, not 5 letters + dot)
    assert ink.shape[1] < 0.9 * isolated.shape[1]
    pieces, _ = cv2.connectedComponents((ink > 0.5).astype(np.uint8))
    assert pieces - 1 <= 4
    # right to left: the first letter (meem, initial form) sits at the right end, the last (alef) at the left
    meem, meem_score = _where(_reference("م\u200d", font), ink)
    alef, alef_score = _where(_reference("\u200dا", font), ink)
    assert meem > 0.7 and meem_score > 0.6
    assert alef < 0.3 and alef_score > 0.6


def test_mixed_direction_keeps_latin_left_of_arabic(frame):
    ink = _crop(_white(_band(frame, ITEMS["Hello مرحبا"])))
    hello, hello_score = _where(_reference("Hello", _font(get_style(STYLE).font_path)), ink)
    arabic, arabic_score = _where(_reference("مرحبا", _font(ARABIC)), ink)
    assert hello_score > 0.7 and arabic_score > 0.7
    assert hello < 0.4 < 0.6 < arabic


def test_emoji_are_in_colour(frame):
    region = _band(frame, ITEMS["👋🔥"]).astype(int)
    box = np.array(BG) * (1 - get_style(STYLE).box_color[3] / 255)  # the dark label box over the background
    ys, xs = np.nonzero((np.abs(region - box).sum(axis=2) < 30))
    inside = region[ys.min() + 6:ys.max() - 6, xs.min() + 6:xs.max() - 6]  # the box, without its edges
    drawn = np.abs(inside - box).sum(axis=2) > 90
    # the emoji font drawn directly (at its bitmap size, scaled to the line) over the same box colour
    font = _font(EMOJI, 109)
    left, top, right, bottom = font.getbbox("👋🔥")
    emoji = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    ImageDraw.Draw(emoji).text((-left, -top), "👋🔥", font=font, embedded_color=True)
    emoji = np.asarray(emoji.resize((round(emoji.width * PX / 109), round(emoji.height * PX / 109)), Image.LANCZOS))
    alpha = emoji[..., 3:].astype(int) / 255
    over_box = emoji[..., :3] * alpha + box * (1 - alpha)
    reference = _crop((np.abs(over_box - box).sum(axis=2) > 90).astype(np.float32))
    assert _iou(_crop(drawn.astype(np.float32)), reference) > 0.8
    hsv = cv2.cvtColor(inside.astype(np.uint8), cv2.COLOR_RGB2HSV)[drawn]
    saturated = (hsv[:, 1] > 120) & (hsv[:, 2] > 120)
    assert saturated.mean() > 0.5  # colour, not white text or empty boxes
    assert np.mean(hsv[saturated, 0] < 35) > 0.8  # yellow hand and orange/red flame (OpenCV hue 0..35)


def test_issue_string_has_every_script(frame):
    """The string from the issue: Latin, emoji, Cyrillic, CJK and Arabic all drawn (no boxes)."""
    style = get_style(STYLE)
    region = _band(frame, ITEMS["Day 1 👋🔥 Привет 你好 مرحبا"])
    assert missing_glyphs("Day 1 👋🔥 Привет 你好 مرحبا", style) == ()
    white = _white(region)
    assert white.sum() > 2000
    fonts = {"你好": _font(CJK, index=CJK_SC), "مرحبا": _font(ARABIC), "Привет": _font(style.font_path)}
    for text, font in fonts.items():
        _, score = _where(_reference(text, font), _crop(white))
        assert score > 0.6, text


# ------------------------------------------------------------------ the rasteriser on its own

def _ink(rgba: np.ndarray) -> np.ndarray:
    return _crop((rgba[..., 3] > 127).astype(np.float32))


def _draw(text: str, style_id: str | None = None, visible: int | None = None, width: int = 2000) -> np.ndarray:
    """Rasterised alone: with no style named, label_dark without its box (plain white text)."""
    style = get_style(style_id) if style_id else dataclasses.replace(get_style(STYLE), box_color=None, box_padding=0)
    return rasterise(wrap(text, style, PX, width), style, PX / style.font_size, visible)


def test_emoji_sequences_are_one_glyph():
    one = _ink(_draw("👋")).shape[1]
    england = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # a flag of tag characters
    for sequence in ("👨\u200d👩\u200d👧\u200d👦", "🇫🇷", "👋🏽", england, "1️⃣"):
        assert len(clusters(sequence)) == 1
        assert _ink(_draw(sequence)).shape[1] < 1.3 * one, sequence
    flag = _draw("🇫🇷")
    hsv = cv2.cvtColor(np.ascontiguousarray(flag[..., :3]), cv2.COLOR_RGB2HSV)
    opaque = flag[..., 3] > 200
    hues = hsv[..., 0][opaque & (hsv[..., 1] > 120)]
    assert np.mean((hues > 100) & (hues < 130)) > 0.2 and np.mean((hues < 10) | (hues > 170)) > 0.2  # blue, red
    # a skin tone changes the colour, not just the code points
    plain, toned = _draw("👋"), _draw("👋🏽")
    assert np.abs(plain[..., :3].astype(int) - toned[..., :3].astype(int))[plain[..., 3] > 200].mean() > 30


def test_hebrew_devanagari_thai_use_their_fonts_shaped():
    hebrew = _ink(_draw("שלום"))
    assert _iou(hebrew, _reference("שלום", _font(HEBREW))) > 0.8
    shin, _ = _where(_reference("ש", _font(HEBREW)), hebrew)
    assert shin > 0.7  # the first letter at the right end
    devanagari = _ink(_draw("नमस्ते"))
    assert _iou(devanagari, _reference("नमस्ते", _font(DEVANAGARI))) > 0.8
    unshaped = _reference("नमस्ते", _font(DEVANAGARI, basic=True))
    assert _iou(devanagari, unshaped) < 0.7  # the conjunct and the vowel sign are shaped
    thai = _ink(_draw("สวัสดี"))
    assert _iou(thai, _reference("สวัสดี", _font(THAI))) > 0.8


def test_brackets_stay_round_latin_in_hebrew():
    """Bidi with bracket pairs: 'שלום (abc)' shows '(abc)' left of the Hebrew, brackets facing in."""
    ink = _ink(_draw("שלום (abc)"))
    right = _reference("(abc) ", _font(get_style(STYLE).font_path))
    where, score = _where(right, ink)
    assert score > 0.6 and where < 0.4


def test_typewriter_reveals_arabic_from_the_right():
    full = _draw("مرحبا")
    part = _draw("مرحبا", visible=2)
    assert full.shape == part.shape  # the reveal never moves the text
    xs = np.nonzero((part[..., 3] > 127).any(axis=0))[0]
    full_xs = np.nonzero((full[..., 3] > 127).any(axis=0))[0]
    assert xs.min() > full_xs.min() + 0.4 * (full_xs.max() - full_xs.min())
    assert abs(int(xs.max()) - int(full_xs.max())) <= 3


def test_emoji_cast_the_style_shadow_but_take_no_outline():
    rgba = _draw("🔥", "classic")  # black outline and a soft shadow below
    alpha = rgba[..., 3] > 127
    dark = alpha & (rgba[..., :3].max(axis=2) < 40)
    ys, xs = np.nonzero(alpha)
    assert dark[ys.min():ys.min() + 5].sum() < 5  # no black rim along the top of the flame
    assert (rgba[..., 3][ys.max() + 1:] > 0).any()  # the shadow reaches below the glyph


def test_wrap_measures_with_the_fallback_runs():
    style = get_style("classic")
    text = "Day 1 👋🔥 Привет 你好 مرحبا Hello world שלום עולם 🇫🇷🇯🇵 नमस्ते"
    layout = wrap(text, style, PX, 500)
    assert len(layout.lines) > 2 and "".join(layout.lines).replace(" ", "") == text.replace(" ", "")
    for line in layout.lines:
        rgba = rasterise(dataclasses.replace(layout, lines=(line,), rtl=layout.rtl[:1]), style, 1.0)
        assert _ink(rgba).shape[1] <= 500 + 2 * style.stroke_width + 4, line
    # an unspaced CJK sentence and a row of emoji families break between clusters only
    cjk = wrap("你好世界" * 12, style, PX, 500)
    assert len(cjk.lines) > 3 and "".join(cjk.lines) == "你好世界" * 12
    family = "👨\u200d👩\u200d👧\u200d👦"
    rows = wrap(family * 10, style, PX, 300).lines
    assert len(rows) > 2 and all(row == family * (len(row) // len(family)) for row in rows)


def test_character_maps_are_read_once():
    _draw("你好 مرحبا 👋")
    before = coverage.cache_info()
    _draw("你好 مرحبا 👋 again")
    after = coverage.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


# ------------------------------------------------------------------ pre-flight and missing packages

UNSHOWN = "\U00018B00"  # KHITAN SMALL SCRIPT CHARACTER-18B00: no Noto package has it


def _still_project(tmp_path, texts) -> Project:
    still = tmp_path / "still.png"
    Image.fromarray(np.full((1920, 1080, 3), (80, 80, 80), np.uint8)).save(still)
    timeline = edits.append_clip(Timeline((Track("video"),)), Clip("clip-1", str(still), 0, 120))
    for n, text in enumerate(texts, start=1):
        timeline = edits.add_item(timeline, TextItem(f"text-{n}", 0, 120, text, y=0.2 + 0.2 * n, anim_in="none"))
    timeline = edits.add_item(timeline, SoundItem("sound-1", "lofi-study", 0, 120))
    return Project(timeline=timeline, metadata=Metadata(caption="scripts #test"))


def test_preflight_warns_only_for_glyphs_no_font_has(tmp_path):
    if shutil.which("fc-list"):  # cross-check with fontconfig that no font here has it
        listed = subprocess.run(["fc-list", f":charset={ord(UNSHOWN):x}", "file"], capture_output=True, text=True)
        if listed.stdout.strip():
            pytest.skip(f"a font here has U+{ord(UNSHOWN):X}: {listed.stdout.strip()}")
    covered = "Day 1 👋🔥 Привет 你好 مرحبا שלום नमस्ते สวัสดี 𓀀 🇫🇷"  # 𓀀: Noto's Egyptian hieroglyphs
    report = check_project(_still_project(tmp_path, [covered, f"Ancient {UNSHOWN} text"]))
    glyphs = [f for f in report.findings if f.code == "missing_glyphs"]
    assert len(glyphs) == 1, glyphs
    assert glyphs[0].level == "warning"
    assert glyphs[0].message == f"text “Ancient {UNSHOWN} text”: no font here shows {UNSHOWN} (U+18B00)"


def test_missing_font_packages_are_named(tmp_path):
    empty = fallback_fonts(True, dirs=(tmp_path,))
    assert empty.faces == () and empty.emoji is None and empty.more == ()
    assert set(empty.missing) >= set(FALLBACK_PACKAGES)
    assert package_for(ord("你")) == "fonts-noto-cjk"
    assert package_for(ord("👋")) == "fonts-noto-color-emoji"
    assert package_for(ord("م")) == "fonts-noto-core"
    installed = fallback_fonts(True)
    assert installed.missing == () and installed.emoji is not None
    assert missing_glyphs("abc " + UNSHOWN, get_style("classic")) == (UNSHOWN,)
