"""Word-by-word text styles on rendered pixels: the highlight box sits over word k exactly while
word k is said, words pop in at their start, karaoke fills, one word at a time, *keywords* in the
emphasis colour; words without times are spread by length; right-to-left and Chinese text too."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from studio.library.styles import get_style, list_styles
from studio.model import Clip, Project, TextItem, Timeline, Track, WordTime
from studio.render.compositor import Renderer
from studio.render.word_styles import POP_FRAMES, timed_words

SIZE = (540, 960)          # rendered at half size: the properties hold at any size
BG = (40, 40, 40)
FRAMES = 60
TEXT = "go extraordinary now"
WORDS = (WordTime("go", 0, 10), WordTime("extraordinary", 12, 30), WordTime("now", 32, 55))
PURPLE = get_style("word_highlight").word_box_color[:3]
YELLOW = get_style("keyword").emphasis_color[:3]


@pytest.fixture(scope="module")
def bg(engine_media, mediagen) -> str:
    return str(mediagen.write_png(engine_media / "word_bg.png", mediagen.solid(270, 480, BG)))


@pytest.fixture(scope="module")
def renderer():
    with Renderer() as r:
        yield r


def render(renderer, bg, frame, content=TEXT, words=WORDS, **kw) -> np.ndarray:
    kw = {"style": "word_highlight", "y": 0.5, "anim_in": "none", "anim_out": "none", **kw}
    text = TextItem("t", 0, FRAMES, content, words=words, **kw)
    tracks = (Track("video", (Clip("bg", bg, 0, FRAMES),)), Track("overlay", (text,)))
    project = Project(name="w", fps=Fraction(30), timeline=Timeline(tracks))
    return renderer.render(project, frame, SIZE)


def near(img, rgb, tol=40) -> np.ndarray:
    return np.abs(img.astype(np.int16) - np.array(rgb, np.int16)).max(axis=2) <= tol


def cols(mask, least=2) -> tuple[int, int] | None:
    """First and last column with at least `least` pixels of the mask."""
    xs = np.nonzero(mask.sum(axis=0) >= least)[0]
    return (int(xs[0]), int(xs[-1])) if len(xs) else None


def white(img) -> np.ndarray:
    return near(img, (255, 255, 255), 30)


def word_columns(img, n=3) -> list[tuple[int, int]]:
    """Columns of each word's white letters: cut at the n-1 widest gaps (the spaces)."""
    xs = np.nonzero(white(img).sum(axis=0) > 0)[0]
    gaps = np.argsort(np.diff(xs))[::-1][:n - 1]
    cuts = sorted(gaps)
    out, start = [], 0
    for c in cuts:
        out.append((int(xs[start]), int(xs[c])))
        start = c + 1
    out.append((int(xs[start]), int(xs[-1])))
    return out


def active_at(f: int) -> int:
    return 0 if f < 12 else 1 if f < 32 else 2


def test_the_box_sits_over_word_k_exactly_while_word_k_is_said(renderer, bg):
    # where each word's letters are, from the same text drawn without any highlight
    letters = word_columns(render(renderer, bg, 0, style="keyword"))
    boxes = {}
    for f in (0, 5, 10, 11, 12, 20, 29, 31, 32, 45, 59):
        img = render(renderer, bg, f)
        box = cols(near(img, PURPLE), least=4)
        k = active_at(f)
        assert box is not None, f"no highlight at frame {f}"
        boxes.setdefault(k, set()).add(box)
        lo, hi = letters[k]
        assert box[0] < lo and hi < box[1], f"frame {f}: the box {box} does not cover word {k} at {letters[k]}"
        for other, (olo, ohi) in enumerate(letters):
            if other != k:
                assert ohi < box[0] or box[1] < olo, f"frame {f}: the box reaches word {other}"
        # the letters of the word stay readable on the box: white inside it
        assert white(img)[:, box[0]:box[1]].sum() > 50
    assert all(len(b) == 1 for b in boxes.values()), "the box of one word must not move"
    (b0,), (b1,), (b2,) = boxes[0], boxes[1], boxes[2]
    assert b0[0] < b1[0] < b2[0] and b0[1] < b1[1] < b2[1]
    assert b1[1] - b1[0] > 3 * (b0[1] - b0[0])  # as wide as its word: "extraordinary" against "go"


def test_words_without_times_are_spread_by_length(renderer, bg):
    # go (2+1), extraordinary (13+1), now (3+1) over 60 frames: changes at 60*3/21 ~ 9 and 60*17/21 ~ 49
    assert [(w.start, w.end) for w in timed_words(TEXT, (), FRAMES).words] == [(0, 9), (9, 49), (49, 60)]
    centre = {}
    for f in (8, 9, 48, 49):
        box = cols(near(render(renderer, bg, f, words=()), PURPLE), least=4)
        centre[f] = (box[0] + box[1]) / 2
    assert centre[8] < centre[9] - 20 and centre[48] < centre[49] - 20
    assert centre[9] == centre[48]


def test_each_word_pops_in_at_its_start(renderer, bg):
    letters = word_columns(render(renderer, bg, 40, style="word_pop"))  # all said and settled

    def width_of(img, k):
        """Width of the white letters between word k's neighbours."""
        lo = letters[k - 1][1] + 2 if k else 0
        hi = letters[k + 1][0] - 2 if k + 1 < len(letters) else img.shape[1]
        found = cols(white(img)[:, lo:hi], least=1)
        return 0 if found is None else found[1] - found[0]

    final = width_of(render(renderer, bg, 40, style="word_pop"), 1)
    assert width_of(render(renderer, bg, 11, style="word_pop"), 1) == 0  # not said yet: not shown
    assert width_of(render(renderer, bg, 11, style="word_pop"), 0) > 0
    growing = width_of(render(renderer, bg, 12, style="word_pop"), 1)
    over = width_of(render(renderer, bg, 15, style="word_pop"), 1)
    settled = width_of(render(renderer, bg, 12 + POP_FRAMES, style="word_pop"), 1)
    assert 0 < growing < 0.9 * final
    assert over > final + 2  # the pop overshoots, then settles
    assert abs(settled - final) <= 1
    assert width_of(render(renderer, bg, 20, style="word_pop"), 2) == 0


def test_karaoke_fills_the_word_being_said_left_to_right(renderer, bg):
    letters = word_columns(render(renderer, bg, 0, style="keyword"))
    said = get_style("karaoke").word_color[:3]

    def yellow_in(img, k):
        lo, hi = letters[k]
        return cols(near(img, said, 50)[:, lo:hi + 1], least=1)

    mid = render(renderer, bg, 20, style="karaoke")      # word 1 half said: (20 - 12 + 1) / 18
    assert yellow_in(mid, 0) is not None and yellow_in(mid, 2) is None
    lo, hi = letters[1]
    filled = yellow_in(mid, 1)
    assert filled is not None and filled[0] <= 3 and 0.3 < filled[1] / (hi - lo) < 0.7
    early = yellow_in(render(renderer, bg, 14, style="karaoke"), 1)
    assert early is not None and early[1] < filled[1]
    done = yellow_in(render(renderer, bg, 31, style="karaoke"), 1)
    assert done[1] >= hi - lo - 3  # the word is filled when it ends
    # the words not said yet are dimmed: no pure white letters right of the fill
    assert white(mid)[:, letters[2][0]:letters[2][1]].sum() == 0


def test_one_word_at_a_time_big_and_centred(renderer, bg):
    boxes = {}
    for f in (5, 20, 40):
        img = render(renderer, bg, f, style="one_word")
        ink = ~near(img, BG, 12)
        x = cols(ink, least=1)
        boxes[f] = x
        assert abs((x[0] + x[1]) / 2 - SIZE[0] / 2) <= 6
    wide = lambda f: boxes[f][1] - boxes[f][0]  # noqa: E731
    assert wide(5) < wide(40) < wide(20)         # GO < NOW < EXTRAORDINARY
    assert wide(5) < 0.25 * SIZE[0] and wide(20) <= 0.8 * SIZE[0] + 12  # a long word shrinks to fit


def test_keywords_marked_with_asterisks_take_the_emphasis_colour(renderer, bg):
    plain = render(renderer, bg, 10, "make money fast", words=(), style="keyword")
    assert not near(plain, YELLOW).any()
    ink = cols(~near(plain, BG, 12), least=1)
    found = []
    for content in ("*make* money fast", "make *money* fast", "make money *fast*"):
        img = render(renderer, bg, 10, content, words=(), style="keyword")
        assert cols(~near(img, BG, 12), least=1) == ink  # the asterisks are not drawn
        found.append(cols(near(img, YELLOW), least=2))
    assert found[0][1] < found[1][0] and found[1][1] < found[2][0]
    assert found[0][0] - ink[0] < 15 and ink[1] - found[2][1] < 15
    # a plain style draws the asterisks as typed
    starred = render(renderer, bg, 10, "make *money* fast", words=(), style="classic")
    bare = render(renderer, bg, 10, "make money fast", words=(), style="classic")
    s, b = cols(~near(starred, BG, 12), least=1), cols(~near(bare, BG, 12), least=1)
    assert s[1] - s[0] > b[1] - b[0] + 10


def test_right_to_left_and_chinese_step_through_their_words(renderer, bg):
    arabic = [cols(near(render(renderer, bg, f, "مرحبا بكم في القناة", words=()), PURPLE), least=4)
              for f in (0, 25, 59)]
    centres = [(a + b) / 2 for a, b in arabic]
    assert centres[0] > centres[1] > centres[2]  # read right to left
    chinese = [cols(near(render(renderer, bg, f, "你好世界", words=()), PURPLE), least=4) for f in (0, 20, 40, 59)]
    centres = [(a + b) / 2 for a, b in chinese]
    assert centres == sorted(centres) and len(set(centres)) == 4  # one character at a time
    widths = {b - a for a, b in chinese}
    assert max(widths) - min(widths) <= 4


def test_word_styles_are_listed_and_preview_as_thumbnails():
    from studio.render.text import rasterise, wrap

    ids = [s.id for s in list_styles()]
    for sid in ("word_highlight", "word_color", "word_pop", "karaoke", "one_word", "keyword"):
        assert sid in ids and get_style(sid).by_word
        style = get_style(sid)
        rgba = rasterise(wrap("Aa", style, 40, 200), style, 40 / style.font_size)  # the library panel's thumbnail
        assert rgba[..., 3].max() == 255


def test_a_word_look_is_drawn_once_not_every_frame(renderer, bg, monkeypatch):
    from studio.render import word_styles

    calls = []
    real = word_styles.WordLook.draw
    monkeypatch.setattr(word_styles.WordLook, "draw", lambda self, states: calls.append(1) or real(self, states))
    with Renderer() as fresh:
        for f in range(FRAMES):
            render(fresh, bg, f, words=WORDS)
    assert len(calls) == 3  # one look per word said, not one per frame
