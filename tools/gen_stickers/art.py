"""The drawings of every built-in sticker. Each function returns RGBA uint8 frames (list)."""

from __future__ import annotations

import math

import numpy as np

from studio.library.fonts import font_path

from .draw import Canvas, arc_pts, heart_pts, lerp, rotate_pts, sparkle_pts, star_pts

S = 512  # static sticker size
A = 320  # animated frame size

BLACK = (25, 20, 25)
WHITE = (255, 255, 255)
FACE_OUT = (196, 110, 10)
EYE = (70, 40, 20)
MOUTH = (110, 30, 30)
RED = (235, 40, 60)


def _bold():
    return font_path("roboto-black")


def _round():
    return font_path("fredoka-one")


# ---- emoji faces --------------------------------------------------------------

def face_base(c: Canvas, cx, cy, r):
    m = c.ellipse(cx, cy, r)
    c.shape(m, c.radial((255, 236, 120), (250, 168, 20), (cx - r * 0.3, cy - r * 0.35), r * 1.5),
            outline=FACE_OUT, outline_width=r * 0.045)
    # soft top gloss
    c.paint(c.intersect(m, c.ellipse(cx - r * 0.25, cy - r * 0.55, r * 0.5, r * 0.28)), WHITE, 0.35)
    return m


def _eye(c, x, y, rx, ry):
    c.paint(c.ellipse(x, y, rx, ry), EYE)
    c.paint(c.ellipse(x - rx * 0.3, y - ry * 0.4, rx * 0.35, ry * 0.25), WHITE, 0.9)


def _cheeks(c, cx, cy, r):
    for sx in (-1, 1):
        c.paint(c.ellipse(cx + sx * r * 0.55, cy + r * 0.25, r * 0.17, r * 0.1), (255, 110, 110), 0.45)


def _open_mouth(c, cx, cy, w, h, tongue=True):
    m, d = c.new_mask()
    s = c.ss
    d.chord([(cx - w) * s, (cy - h) * s, (cx + w) * s, (cy + h) * s], 0, 180, fill=255)
    c.shape(m, MOUTH, outline=(120, 50, 20), outline_width=2)
    c.paint(c.intersect(m, c.rounded_rect(cx - w, cy - 4, cx + w, cy + h * 0.28, 6)), WHITE)
    if tongue:
        c.paint(c.intersect(m, c.ellipse(cx, cy + h * 0.95, w * 0.55, h * 0.45)), (240, 90, 110))


def tear(c, x, y, r):
    m = c.union(c.ellipse(x, y, r), c.polygon([(x - r * 0.96, y - r * 0.3), (x + r * 0.96, y - r * 0.3),
                                               (x, y - r * 2.3)]))
    m = c.shrink(c.grow(m, r * 0.15), r * 0.15)
    c.shape(m, c.linear((190, 235, 255), (40, 140, 240), (x, y - 2 * r), (x, y + r)), outline=(20, 90, 190),
            outline_width=3, shine=(x - r * 0.35, y - r * 0.2, r * 0.25, r * 0.35, 0.7))


def face(kind: str):
    c = Canvas(S, S)
    cx, cy, r = S / 2, S / 2 - 4, 220
    face_base(c, cx, cy, r)
    ex, ey = r * 0.36, cy - r * 0.18
    if kind == "smile":
        _eye(c, cx - ex, ey, 24, 36)
        _eye(c, cx + ex, ey, 24, 36)
        _cheeks(c, cx, cy, r)
        c.paint(c.stroke(arc_pts(cx, cy + r * 0.08, r * 0.5, r * 0.42, 25, 155), 20), EYE)
    elif kind == "laugh":
        for sx in (-1, 1):
            x = cx + sx * ex
            c.paint(c.stroke([(x - 34, ey + 8), (x, ey - 20), (x + 34, ey + 8)], 18), EYE)
        _open_mouth(c, cx, cy + r * 0.2, r * 0.6, r * 0.5)
        for sx in (-1, 1):  # tears of joy
            tear(c, cx + sx * r * 0.8, ey + 55, 26)
    elif kind == "heart_eyes":
        for sx in (-1, 1):
            m = c.polygon(heart_pts(cx + sx * ex, ey, 120))
            c.shape(m, c.linear((255, 110, 120), (210, 10, 40), (0, ey - 50), (0, ey + 50)),
                    outline=(150, 0, 30), outline_width=3,
                    shine=(cx + sx * ex - 22, ey - 22, 18, 12, 0.7))
        _open_mouth(c, cx, cy + r * 0.22, r * 0.5, r * 0.4)
    elif kind == "wow":
        for sx in (-1, 1):
            x = cx + sx * ex
            _eye(c, x, ey + 6, 30, 38)
            c.paint(c.stroke(arc_pts(x, ey - 40, 40, 24, 200, 340), 14), EYE)
        m = c.ellipse(cx, cy + r * 0.45, r * 0.2, r * 0.26)
        c.shape(m, MOUTH, outline=(120, 50, 20), outline_width=3)
    elif kind == "cool":
        sunglasses_on(c, cx, ey + 4, r * 1.7)
        c.paint(c.stroke(arc_pts(cx + 10, cy + r * 0.2, r * 0.42, r * 0.3, 20, 140), 18), EYE)
    elif kind == "wink":
        _eye(c, cx - ex, ey, 24, 36)
        c.paint(c.stroke(arc_pts(cx + ex, ey + 10, 34, 22, 200, 340), 16), EYE)
        _cheeks(c, cx, cy, r)
        _open_mouth(c, cx, cy + r * 0.2, r * 0.5, r * 0.38, tongue=True)
    elif kind == "sad":
        for sx in (-1, 1):
            _eye(c, cx + sx * ex, ey + 8, 22, 30)
            c.paint(c.stroke([(cx + sx * (ex - 40), ey - 62), (cx + sx * (ex + 30), ey - 42)], 12), EYE)
        c.paint(c.stroke(arc_pts(cx, cy + r * 0.68, r * 0.38, r * 0.26, 205, 335), 18), EYE)
        tear(c, cx - ex - 4, ey + 80, 22)
    return c.finish()


# ---- symbols -------------------------------------------------------------------

def heart(c0=(255, 105, 120), c1=(205, 10, 45), out=(140, 0, 25), size=None, canvas=S, scale=1.0):
    c = Canvas(canvas, canvas)
    w = (size or canvas * 0.8) * scale
    cx, cy = canvas / 2, canvas / 2
    m = c.polygon(heart_pts(cx, cy, w))
    c.shape(m, c.linear(c0, c1, (cx - w / 3, cy - w / 3), (cx + w / 4, cy + w / 2)), outline=out,
            outline_width=canvas * 0.016, shine=(cx - w * 0.22, cy - w * 0.2, w * 0.14, w * 0.09, 0.65))
    return c


def star_canvas(canvas=S, rot=0.0, squash=1.0):
    c = Canvas(canvas, canvas)
    cx, cy = canvas / 2, canvas / 2 + canvas * 0.02
    R = canvas * 0.42
    pts = star_pts(0, 0, R, R * 0.48, 5, rot)
    pts = [(cx + x * squash, cy + y) for x, y in pts]
    m = c.polygon(pts)
    c.shape(m, c.radial((255, 245, 150), (255, 170, 0), (cx - R * 0.2 * squash, cy - R * 0.3), R * 1.1),
            outline=(200, 100, 0), outline_width=canvas * 0.02)
    inner = [(cx + x * squash * 0.45, cy + y * 0.45 - R * 0.05) for x, y in star_pts(0, 0, R, R * 0.48, 5, rot)]
    c.paint(c.polygon(inner), WHITE, 0.3)
    return c


def sparkles_canvas(canvas=S, phase=None):
    c = Canvas(canvas, canvas)
    k = canvas / 512
    spec = [(250, 230, 150, 0.0), (385, 115, 70, 0.35), (120, 390, 60, 0.65), (400, 390, 45, 0.2)]
    for i, (x, y, r, ph) in enumerate(spec):
        scale = 1.0 if phase is None else 0.45 + 0.55 * (0.5 + 0.5 * math.cos(2 * math.pi * (phase + ph)))
        rr = r * k * scale
        m = c.polygon(sparkle_pts(x * k, y * k, rr, power=2.6, rot=0.0))
        col0, col1 = ((255, 255, 220), (255, 200, 40)) if i % 2 == 0 else ((230, 250, 255), (120, 190, 255))
        c.shape(m, c.radial(col0, col1, (x * k, y * k), rr), outline=(255, 255, 255), outline_width=2 * k)
    return c


def fire_canvas(canvas=S, phase=0.0):
    c = Canvas(canvas, canvas)
    k = canvas / 512

    def flame(cx, base, w, h, wobble):
        t = np.linspace(0, 1, 120)
        # right side then left side of a teardrop flame with a flicker on the tip
        ys = base - h * t
        half = w * np.sin(np.pi * np.clip(t * 0.95 + 0.05, 0, 1)) ** 0.9 * (1 - t) ** 0.35
        sway = wobble * np.sin(2 * np.pi * (t * 1.2 + phase)) * t * w * 0.35
        right = list(zip(cx + half + sway, ys))
        left = list(zip(cx - half + sway, ys))[::-1]
        return right + left

    base = 470 * k
    outer = c.polygon(flame(256 * k, base, 175 * k, 420 * k, 1.0))
    c.shape(outer, c.linear((255, 90, 20), (220, 20, 20), (0, 80 * k), (0, base)),
            outline=(160, 20, 0), outline_width=6 * k)
    c.paint(c.polygon(flame(256 * k, base - 6 * k, 120 * k, 300 * k, 1.3)),
            c.linear((255, 190, 30), (255, 110, 10), (0, 160 * k), (0, base)))
    c.paint(c.polygon(flame(256 * k, base - 10 * k, 65 * k, 170 * k, 1.6)),
            c.linear((255, 250, 200), (255, 220, 60), (0, 300 * k), (0, base)))
    return c


def arrow_down(canvas=S, dy=0.0, height=None):
    h = height or canvas
    c = Canvas(canvas, h)
    k = canvas / 512
    cx = canvas / 2
    top, tip = 40 * k + dy, h - 40 * k - (h - canvas) + dy
    pts = [(cx - 70 * k, top), (cx + 70 * k, top), (cx + 70 * k, tip - 190 * k), (cx + 170 * k, tip - 190 * k),
           (cx, tip), (cx - 170 * k, tip - 190 * k), (cx - 70 * k, tip - 190 * k)]
    m = c.polygon(pts)
    c.shape(m, c.linear((255, 80, 160), (255, 40, 60), (0, top), (0, tip)), outline=WHITE, outline_width=12 * k)
    return c


def arrow_curved():
    c = Canvas(S, S)
    path = arc_pts(300, 330, 210, 220, 190, 300, 80)
    body = c.tapered(path, np.linspace(26, 54, len(path)))
    ex, ey = path[-1]
    head = c.polygon(rotate_pts([(ex - 10, ey - 70), (ex + 95, ey + 5), (ex - 10, ey + 80)], ex, ey, 30))
    m = c.union(body, head)
    c.shape(m, c.linear((80, 230, 255), (30, 110, 255), (90, 330), (420, 130)), outline=WHITE, outline_width=10)
    return c.finish()


def arrow_swipe_up():
    c = Canvas(S, S)
    for i, y in enumerate((150, 270, 390)):
        m = c.stroke([(130, y + 70), (256, y - 40), (382, y + 70)], 50)
        c.shape(m, lerp((255, 255, 255), (180, 230, 255), i / 2), outline=(30, 30, 40), outline_width=8)
    return c.finish()


def arrow_right():
    c = Canvas(S, 320)
    pts = [(40, 120), (300, 120), (300, 50), (470, 160), (300, 270), (300, 200), (40, 200)]
    m = c.polygon(pts)
    c.shape(m, c.linear((255, 230, 60), (255, 150, 0), (0, 50), (0, 270)), outline=BLACK, outline_width=10,
            shine=(170, 130, 140, 14, 0.5))
    return c.finish()


# ---- bubbles and labels ---------------------------------------------------------

def bubble(kind: str):
    c = Canvas(S, 400)
    if kind == "speech":
        m = c.union(c.rounded_rect(30, 30, 482, 290, 90), c.polygon([(120, 260), (210, 270), (90, 370)]))
        c.shape(m, WHITE, outline=BLACK, outline_width=10)
        c.paint(c.text("Hi!", _round(), 130, 256, 155), BLACK)
    elif kind == "thought":
        m = c.union(*(c.ellipse(x, y, r) for x, y, r in
                      [(150, 150, 95), (256, 115, 100), (360, 150, 95), (200, 220, 90), (320, 220, 90),
                       (256, 180, 110)]))
        c.shape(m, WHITE, outline=BLACK, outline_width=9)
        for x, y, r in [(120, 300, 28), (80, 350, 17)]:
            c.shape(c.ellipse(x, y, r), WHITE, outline=BLACK, outline_width=7)
        for x in (200, 256, 312):
            c.paint(c.ellipse(x, 170, 18), (90, 90, 100))
    elif kind == "omg":
        pts = star_pts(256, 190, 235, 165, 14, 0.1)
        pts = [(256 + (x - 256), 190 + (y - 190) * 0.72) for x, y in pts]
        m = c.union(c.polygon(pts), c.polygon([(200, 270), (260, 280), (150, 385)]))
        c.shape(m, c.radial((255, 250, 120), (255, 190, 0), (256, 190), 240), outline=BLACK, outline_width=10)
        t = c.text("OMG!", _bold(), 120, 256, 192)
        c.paint(c.grow(t, 8), BLACK)
        c.paint(t, c.linear((255, 80, 80), (200, 0, 40), (0, 140), (0, 240)))
    return c.finish()


def label(text, fill0, fill1, ink, w=S, h=200, size=110, outline=BLACK, radius=40, font=None, border=WHITE,
          arrow=False, tilt=0.0, stripes=False):
    c = Canvas(w, h)
    m = c.rounded_rect(24, 24, w - 24, h - 34, radius)
    if tilt:
        m = m.rotate(tilt, resample=0, center=(w * c.ss / 2, h * c.ss / 2))
    c.paint(c.grow(m, 10), outline)
    c.paint(c.grow(m, 5), border)
    c.paint(m, c.linear(fill0, fill1, (0, 24), (0, h - 34)))
    if stripes:
        band = c.union(*(c.polygon([(x, 0), (x + 40, 0), (x - 60, h), (x - 100, h)]) for x in range(0, w + 200, 80)))
        c.paint(c.intersect(m, band), (20, 20, 20), 0.9)
        inner = c.rounded_rect(60, 54, w - 60, h - 64, 18)
        c.shape(inner, (255, 214, 10))
    tx = w / 2 - (30 if arrow else 0)
    t = c.text(text, font or _bold(), size, tx, (h - 10) / 2, 0)
    if tilt:
        t = t.rotate(tilt, resample=0, center=(w * c.ss / 2, h * c.ss / 2))
    c.paint(t, ink)
    if arrow:
        ax, ay = w - 90, (h - 10) / 2
        c.paint(c.polygon([(ax - 22, ay - 40), (ax + 30, ay), (ax - 22, ay + 40)]), ink)
    c.paint(c.intersect(m, c.rounded_rect(24, 24, w - 24, 24 + (h - 58) * 0.42, radius)), WHITE, 0.18)
    return c.finish()


def label_new():
    c = Canvas(S, S)
    m = c.polygon(star_pts(256, 256, 235, 195, 16))
    c.shape(m, c.radial((255, 80, 90), (200, 0, 40), (220, 200), 260), outline=WHITE, outline_width=10)
    t = c.text("NEW", _bold(), 140, 256, 262, 0)
    c.paint(c.grow(t, 5), (120, 0, 20))
    c.paint(t, WHITE)
    return c.finish()


def label_sale():
    c = Canvas(S, 300)
    body = c.polygon([(40, 150), (120, 40), (470, 40), (470, 260), (120, 260)])
    c.shape(body, c.linear((255, 70, 70), (200, 0, 30), (0, 40), (0, 260)), outline=WHITE, outline_width=8)
    hole = c.ellipse(118, 150, 18)
    c.paint(c.grow(hole, 5), WHITE)
    c.paint(hole, (120, 0, 20))
    t = c.text("SALE", _bold(), 120, 305, 150)
    c.paint(t, WHITE)
    return c.finish()


def badge_100():
    c = Canvas(S, 360)
    t = c.text("100", _bold(), 230, 256, 160)
    t = t.rotate(8, resample=0, center=(S * c.ss / 2, 360 * c.ss / 2))
    c.paint(c.grow(t, 8), WHITE)
    c.paint(t, c.linear((255, 60, 60), (190, 0, 20), (0, 60), (0, 260)))
    for y, w in ((280, 16), (318, 16)):
        c.shape(c.stroke([(90, y + 10), (430, y - 20)], w), (220, 10, 30), outline=WHITE, outline_width=4)
    return c.finish()


def lightning():
    c = Canvas(S, S)
    pts = [(300, 20), (120, 280), (240, 280), (190, 492), (400, 200), (275, 200), (350, 20)]
    m = c.polygon(pts)
    c.shape(m, c.linear((255, 250, 140), (255, 180, 0), (200, 20), (300, 490)), outline=(170, 90, 0),
            outline_width=9, shine=(290, 120, 30, 60, 0.35))
    return c.finish()


def music_note():
    c = Canvas(S, S)
    m = c.union(c.ellipse(170, 400, 80, 60), c.ellipse(380, 350, 80, 60),
                c.rounded_rect(222, 90, 250, 400, 6), c.rounded_rect(432, 50, 460, 350, 6),
                c.polygon([(222, 90), (460, 50), (460, 130), (222, 170)]))
    c.shape(m, c.linear((180, 120, 255), (90, 40, 220), (150, 60), (400, 460)), outline=WHITE, outline_width=10,
            shine=(150, 380, 30, 16, 0.5))
    return c.finish()


def check_mark():
    c = Canvas(S, S)
    m = c.ellipse(256, 256, 220)
    c.shape(m, c.linear((90, 230, 120), (20, 160, 70), (0, 40), (0, 470)), outline=WHITE, outline_width=10)
    c.paint(c.stroke([(150, 265), (225, 340), (370, 180)], 56), WHITE)
    return c.finish()


def sun():
    c = Canvas(S, S)
    rays = c.polygon(star_pts(256, 256, 240, 150, 12))
    c.shape(rays, c.radial((255, 220, 60), (255, 140, 0), (256, 256), 240), outline=(200, 90, 0), outline_width=6)
    m = c.ellipse(256, 256, 140)
    c.shape(m, c.radial((255, 250, 170), (255, 200, 30), (220, 210), 170), outline=(200, 110, 0), outline_width=6)
    return c.finish()


# ---- AR accessories ---------------------------------------------------------------

def sunglasses_on(c: Canvas, cx, cy, width):
    """Draw aviator-ish sunglasses centred at (cx, cy) spanning `width` (shared by 'cool' face)."""
    k = width / 480
    lens_pts = lambda sx: [(cx + sx * x * k, cy + y * k) for x, y in  # noqa: E731
                           [(25, -55), (215, -62), (228, -30), (205, 40), (150, 72), (80, 70), (35, 30)]]
    lenses = [c.polygon(lens_pts(s)) for s in (-1, 1)]
    frame = c.union(*(c.grow(m, 9 * k) for m in lenses),
                    c.stroke([(cx - 40 * k, cy - 40 * k), (cx, cy - 50 * k), (cx + 40 * k, cy - 40 * k)], 16 * k))
    c.paint(frame, c.linear((60, 60, 70), (15, 15, 20), (0, cy - 60 * k), (0, cy + 70 * k)))
    for s, m in zip((-1, 1), lenses):
        c.paint(m, c.linear((70, 80, 110), (10, 10, 20), (0, cy - 60 * k), (0, cy + 70 * k)))
        streak = c.polygon([(cx + s * 70 * k, cy - 55 * k), (cx + s * 115 * k, cy - 55 * k),
                            (cx + s * 60 * k, cy + 60 * k), (cx + s * 25 * k, cy + 60 * k)])
        c.paint(c.intersect(m, streak), WHITE, 0.28)
        c.paint(c.intersect(m, c.ellipse(cx + s * 170 * k, cy - 35 * k, 25 * k, 12 * k)), WHITE, 0.5)


def ar_sunglasses():
    c = Canvas(S, 220)
    sunglasses_on(c, S / 2, 100, 470)
    return c.finish(shadow_offset=(0, 4), shadow_blur=4)


def ar_glasses():
    c = Canvas(S, 220)
    cx, cy = S / 2, 100
    ring = []
    for s in (-1, 1):
        x0, x1 = sorted((cx + s * 28, cx + s * 228))
        ring.append(c.rounded_rect(x0, cy - 78, x1, cy + 78, 70))
    lenses = [c.shrink(m, 14) for m in ring]
    for m in lenses:
        c.paint(m, (200, 230, 255), 0.22)
        c.paint(c.intersect(m, c.polygon([(0, 30), (S, 30), (S, 70), (0, 110)])), WHITE, 0.18)
    frame = c.union(*(c.subtract(o, i) for o, i in zip(ring, lenses)),
                    c.stroke(arc_pts(cx, cy - 10, 30, 22, 200, 340), 14),
                    c.stroke([(cx - 228, cy - 40), (cx - 250, cy - 48)], 14),
                    c.stroke([(cx + 228, cy - 40), (cx + 250, cy - 48)], 14))
    c.paint(frame, c.linear((40, 30, 25), (110, 60, 40), (0, cy - 80), (0, cy + 80)))
    c.paint(c.intersect(frame, c.rounded_rect(0, cy - 80, S, cy - 60, 6)), WHITE, 0.35)
    return c.finish(shadow_offset=(0, 3), shadow_blur=3)


def ar_party_hat():
    W, H = 320, 420
    c = Canvas(W, H)
    apex, base_y = (160, 70), 385
    cone = c.polygon([apex, (290, base_y), (30, base_y)])
    c.shape(cone, c.linear((80, 190, 255), (40, 90, 230), (40, 0), (290, 0)), outline=(20, 40, 120),
            outline_width=5)
    stripes = c.union(*(c.polygon([(0, y), (W, y - 110), (W, y - 70), (0, y + 40)]) for y in range(130, 560, 95)))
    c.paint(c.intersect(cone, stripes), (255, 90, 160))
    dots = c.union(*(c.ellipse(x, y, 9) for x, y in [(140, 190), (190, 260), (110, 300), (220, 340), (165, 350)]))
    c.paint(c.intersect(cone, dots), (255, 235, 80))
    c.paint(c.intersect(cone, c.polygon([(160, 70), (120, 385), (60, 385)])), WHITE, 0.22)
    trim = c.rounded_rect(22, base_y - 18, 298, base_y + 12, 15)
    c.shape(trim, c.linear((255, 240, 120), (250, 180, 0), (0, base_y - 18), (0, base_y + 12)),
            outline=(150, 90, 0), outline_width=3)
    pom = c.union(*(c.ellipse(160 + 34 * math.cos(a), 55 + 30 * math.sin(a), 22) for a in
                    np.linspace(0, 2 * math.pi, 9, endpoint=False)), c.ellipse(160, 55, 36))
    c.shape(pom, c.radial((255, 250, 200), (255, 200, 30), (150, 45), 60), outline=(170, 110, 0), outline_width=3)
    return c.finish()


def ar_crown():
    W, H = 512, 300
    c = Canvas(W, H)
    base_y = 260
    pts = [(40, base_y), (40, 110), (130, 170), (185, 70), (256, 150), (327, 70), (382, 170), (472, 110),
           (472, base_y)]
    m = c.polygon(pts)
    gold = c.linear((255, 240, 140), (215, 140, 0), (0, 60), (0, base_y))
    c.shape(m, gold, outline=(130, 70, 0), outline_width=6)
    band = c.intersect(m, c.rounded_rect(30, base_y - 60, W - 30, base_y + 10, 4))
    c.paint(band, c.linear((255, 220, 90), (190, 110, 0), (0, base_y - 60), (0, base_y)))
    for x, y in [(40, 110), (185, 70), (327, 70), (472, 110)]:
        c.shape(c.ellipse(x, y, 17), c.radial((255, 255, 220), (240, 170, 0), (x - 5, y - 5), 20),
                outline=(130, 70, 0), outline_width=4)
    for x, col in [(150, (230, 30, 60)), (256, (40, 110, 240)), (362, (30, 190, 90))]:
        g = c.ellipse(x, base_y - 30, 24, 20)
        c.shape(g, c.radial(lerp(col, WHITE, 0.5), col, (x - 8, base_y - 38), 30), outline=(110, 60, 0),
                outline_width=4, shine=(x - 8, base_y - 38, 8, 5, 0.8))
    c.paint(c.intersect(m, c.polygon([(60, 120), (110, 150), (110, 250), (60, 250)])), WHITE, 0.25)
    return c.finish()


def ar_cat_ears():
    W, H = 512, 240
    c = Canvas(W, H)
    for s in (-1, 1):
        bx = 256 + s * 150
        tip = (256 + s * 200, 25)
        outer = c.polygon([(bx - 95, 220), tip, (bx + 95, 220)] if s < 0 else [(bx - 95, 220), tip, (bx + 95, 220)])
        outer = c.union(c.shrink(c.grow(outer, 14), 14), c.ellipse(bx, 215, 95, 16))
        c.shape(outer, c.linear((90, 80, 80), (40, 35, 35), (0, 20), (0, 220)), outline=(20, 15, 15),
                outline_width=5)
        inner = c.polygon([(bx - 55, 210), (tip[0] - s * 8, 75), (bx + 55, 210)])
        c.paint(c.shrink(c.grow(inner, 10), 10), c.linear((255, 170, 190), (240, 110, 140), (0, 70), (0, 210)))
    return c.finish()


def ar_dog(face):
    """Ears above the forehead and a nose on the nose tip, one sticker anchored between landmarks 10 and 1."""
    W = 512
    D = W / face["dog_scale"]  # eye distance in pixels
    y10 = 225.0  # forehead landmark row in the image
    y1 = y10 + (face["nose"] - face["forehead"]) * D
    H = int(y1 + 70)
    c = Canvas(W, H)
    for s in (-1, 1):
        ex, ey = 256 + s * 180, 150
        ear = c.ellipse(ex, ey, 68, 125).rotate(s * 28, resample=0, center=(ex * c.ss, ey * c.ss))
        c.shape(ear, c.linear((180, 115, 65), (105, 58, 25), (0, 30), (0, 280)), outline=(60, 30, 10),
                outline_width=5)
        inner = c.ellipse(ex + s * 6, ey + 15, 36, 85).rotate(s * 28, resample=0, center=(ex * c.ss, ey * c.ss))
        c.paint(inner, (225, 150, 130), 0.6)
        c.paint(c.intersect(ear, c.ellipse(ex - s * 20, ey - 60, 22, 40)), WHITE, 0.2)
    nose = c.union(c.ellipse(256, y1 - 8, 62, 40), c.polygon([(200, y1), (312, y1), (256, y1 + 42)]))
    nose = c.shrink(c.grow(nose, 8), 8)
    c.shape(nose, c.radial((90, 80, 80), (15, 12, 12), (240, y1 - 25), 90), outline=(0, 0, 0), outline_width=3,
            shine=(236, y1 - 25, 22, 11, 0.75))
    return c.finish(), (0.5, (y10 + y1) / 2 / H)


def ar_moustache():
    W, H = 512, 200
    c = Canvas(W, H)
    parts = []
    for s in (-1, 1):
        t = np.linspace(0, 1, 60)
        xs = 256 + s * (10 + 200 * t)
        ys = 80 + 50 * np.sin(np.pi * t * 0.8) - 40 * np.clip((t - 0.72) / 0.28, 0, 1) ** 1.5
        curl = [(256 + s * (210 + 22 * math.sin(a)), 52 + 22 * math.cos(a)) for a in np.linspace(0, math.pi, 15)]
        path = list(zip(xs, ys)) + curl
        widths = np.concatenate([70 - 60 * t ** 1.3, np.linspace(10, 6, 15)])
        parts.append(c.tapered(path, widths))
    m = c.union(*parts)
    c.shape(m, c.linear((110, 70, 40), (45, 25, 12), (0, 40), (0, 150)), outline=(25, 12, 5), outline_width=4)
    c.paint(c.intersect(m, c.rounded_rect(0, 50, W, 78, 10)), WHITE, 0.18)
    return c.finish()


def ar_heart_eyes(face):
    W = 512
    D = W / face["heart_eyes_scale"]
    H = 240
    c = Canvas(W, H)
    for s in (-1, 1):
        x = W / 2 + s * face["pupil"] * D
        m = c.polygon(heart_pts(x, H / 2, 175))
        c.shape(m, c.linear((255, 110, 130), (210, 10, 45), (x - 60, 40), (x + 40, 200)), outline=WHITE,
                outline_width=7, shine=(x - 40, H / 2 - 35, 25, 15, 0.7))
    return c.finish()


def ar_clown_nose():
    c = Canvas(256, 256)
    m = c.ellipse(128, 128, 100)
    c.shape(m, c.radial((255, 120, 120), (190, 0, 20), (100, 95), 140), outline=(110, 0, 10), outline_width=4,
            shine=(95, 90, 30, 20, 0.7))
    return c.finish()


def ar_bunny_ears():
    W, H = 512, 420
    c = Canvas(W, H)
    for s in (-1, 1):
        x = 256 + s * 95
        ear = c.ellipse(x, 200, 62, 185).rotate(s * -12, resample=0, center=(x * c.ss, 390 * c.ss))
        c.shape(ear, c.linear((255, 255, 255), (225, 220, 230), (0, 20), (0, 390)), outline=(120, 110, 130),
                outline_width=5)
        inner = c.ellipse(x, 215, 30, 140).rotate(s * -12, resample=0, center=(x * c.ss, 390 * c.ss))
        c.paint(inner, c.linear((255, 180, 200), (245, 130, 160), (0, 60), (0, 360)))
    return c.finish()


# ---- animations ---------------------------------------------------------------------

def anim_heart_beat(n=16):
    out = []
    for i in range(n):
        p = i / n
        beat = 1.0 + 0.16 * max(0.0, math.sin(2 * math.pi * p)) ** 2 + 0.08 * max(0.0, math.sin(4 * math.pi * p)) ** 4
        out.append(heart(canvas=A, size=A * 0.68, scale=beat).finish(shadow_blur=4, shadow_offset=(0, 4)))
    return out


def anim_star_spin(n=20):
    # a turning star: horizontal squash by cos(angle), keeps a minimum width so it never vanishes
    return [star_canvas(A, rot=0.0, squash=max(0.12, abs(math.cos(math.pi * i / n)))).finish(
        shadow_blur=4, shadow_offset=(0, 4)) for i in range(n)]


def anim_sparkles(n=16):
    return [sparkles_canvas(A, phase=i / n).finish(shadow_blur=3, shadow_offset=(0, 2), shadow_alpha=0.25)
            for i in range(n)]


def anim_arrow_bounce(n=16):
    return [arrow_down(A, dy=-34 + 34 * abs(math.sin(math.pi * i / n)), height=A + 40).finish(
        shadow_blur=4, shadow_offset=(0, 4)) for i in range(n)]


def anim_fire(n=12):
    return [fire_canvas(A, phase=i / n).finish(shadow_blur=4, shadow_offset=(0, 3)) for i in range(n)]
