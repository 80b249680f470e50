"""Draw every built-in sticker into assets/stickers/ and write library.json. Deterministic.

Run: python -m tools.gen_stickers [--sheet /tmp/stickers.png]   (the sheet is a contact sheet for review)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from studio.library.paths import assets_dir

from . import art

# Face proportions in units of the outer-eye-corner distance (landmarks 33-263), y down from
# the eye line; measured on a face-mesh fit of a webcam frame and rounded to frontal values.
FACE = {"forehead": -0.6, "nose": 0.33, "pupil": 0.36, "dog_scale": 1.9, "heart_eyes_scale": 1.35}


def pad_bottom(rgba: np.ndarray, base_y: float, gap_px: float) -> tuple[np.ndarray, float]:
    """Extend the canvas downwards so the landmark `gap_px` below `base_y` lies inside it; returns (img, point_y)."""
    target = base_y + gap_px
    h = rgba.shape[0]
    need = int(np.ceil(target + 12 - h))
    if need > 0:
        rgba = np.concatenate([rgba, np.zeros((need, rgba.shape[1], 4), np.uint8)], axis=0)
    return rgba, target / rgba.shape[0]


def head_top(rgba, base_y, scale, gap_d):
    d_px = rgba.shape[1] / scale
    img, py = pad_bottom(rgba, base_y, gap_d * d_px)
    return img, {"landmarks": [10], "point": [0.5, round(py, 4)], "scale": scale}


def catalogue():
    """(id, title, category, tags, producer) where producer returns (frames, fps, anchor|None)."""
    static = lambda fn: lambda: ([fn()], 0.0, None)  # noqa: E731

    def canvas(fn):
        return lambda: ([fn().finish()], 0.0, None)

    def anim(fn, fps):
        return lambda: (fn(), fps, None)

    def eyes(fn, scale, py):
        return lambda: ([fn()], 0.0, {"landmarks": [33, 263], "point": [0.5, py], "scale": scale})

    def top(fn, base_y, scale, gap):
        def make():
            img, anchor = head_top(fn(), base_y, scale, gap)
            return [img], 0.0, anchor
        return make

    def dog():
        img, point = art.ar_dog(FACE)
        return [img], 0.0, {"landmarks": [10, 1], "point": [point[0], round(point[1], 4)],
                            "scale": FACE["dog_scale"]}

    items = [
        ("face_smile", "Smile", "faces", ("emoji", "happy"), static(lambda: art.face("smile"))),
        ("face_laugh", "Laughing", "faces", ("emoji", "lol", "tears"), static(lambda: art.face("laugh"))),
        ("face_heart_eyes", "Heart eyes", "faces", ("emoji", "love"), static(lambda: art.face("heart_eyes"))),
        ("face_wow", "Wow", "faces", ("emoji", "surprised", "omg"), static(lambda: art.face("wow"))),
        ("face_cool", "Cool", "faces", ("emoji", "sunglasses"), static(lambda: art.face("cool"))),
        ("face_wink", "Wink", "faces", ("emoji", "tongue"), static(lambda: art.face("wink"))),
        ("face_sad", "Sad", "faces", ("emoji", "cry"), static(lambda: art.face("sad"))),
        ("heart_red", "Red heart", "hearts", ("love", "like"), canvas(lambda: art.heart())),
        ("heart_pink", "Pink heart", "hearts", ("love", "cute"),
         canvas(lambda: art.heart((255, 190, 220), (245, 90, 160), (170, 30, 100)))),
        ("heart_purple", "Purple heart", "hearts", ("love",),
         canvas(lambda: art.heart((200, 150, 255), (120, 50, 220), (70, 20, 140)))),
        ("star_gold", "Gold star", "stars", ("star", "best"), canvas(lambda: art.star_canvas())),
        ("sparkles", "Sparkles", "stars", ("sparkle", "shine", "magic"), canvas(lambda: art.sparkles_canvas())),
        ("fire", "Fire", "symbols", ("hot", "lit", "flame"), canvas(lambda: art.fire_canvas())),
        ("lightning", "Lightning", "symbols", ("energy", "bolt"), static(art.lightning)),
        ("music_note", "Music", "symbols", ("music", "sound"), static(art.music_note)),
        ("check", "Check", "symbols", ("done", "yes"), static(art.check_mark)),
        ("sun", "Sun", "symbols", ("summer", "sunny"), static(art.sun)),
        ("hundred", "100", "symbols", ("100", "perfect"), static(art.badge_100)),
        ("arrow_down", "Arrow down", "arrows", ("point", "look"), canvas(lambda: art.arrow_down())),
        ("arrow_curved", "Curved arrow", "arrows", ("point",), static(art.arrow_curved)),
        ("arrow_right", "Arrow right", "arrows", ("point", "next"), static(art.arrow_right)),
        ("arrow_swipe_up", "Swipe up", "arrows", ("swipe", "up"), static(art.arrow_swipe_up)),
        ("bubble_speech", "Speech bubble", "bubbles", ("talk", "hi"), static(lambda: art.bubble("speech"))),
        ("bubble_thought", "Thought bubble", "bubbles", ("think",), static(lambda: art.bubble("thought"))),
        ("bubble_omg", "OMG!", "bubbles", ("omg", "shout"), static(lambda: art.bubble("omg"))),
        ("label_new", "NEW", "labels", ("new",), static(art.label_new)),
        ("label_sale", "SALE", "labels", ("sale", "shop"), static(art.label_sale)),
        ("label_link_in_bio", "LINK IN BIO", "labels", ("link", "bio"),
         static(lambda: art.label("LINK IN BIO", (60, 60, 70), (20, 20, 25), (255, 255, 255), w=512, h=170,
                                  size=66, arrow=True, radius=70))),
        ("label_wait_for_it", "WAIT FOR IT", "labels", ("wait", "suspense"),
         static(lambda: art.label("WAIT FOR IT", (255, 214, 10), (255, 190, 0), (20, 20, 20), w=512, h=210,
                                  size=64, radius=14, stripes=True))),
        ("label_follow", "FOLLOW", "labels", ("follow", "subscribe"),
         static(lambda: art.label("FOLLOW", (255, 70, 110), (220, 20, 80), (255, 255, 255), w=512, h=180,
                                  size=92, radius=80))),
        ("label_omg_wow", "WOW", "labels", ("wow",),
         static(lambda: art.label("WOW", (80, 200, 255), (20, 110, 240), (255, 255, 255), w=420, h=200,
                                  size=120, radius=30, tilt=-6))),
        # animated
        ("heart_beat", "Beating heart", "animated", ("love", "heart"), anim(art.anim_heart_beat, 16.0)),
        ("star_spin", "Spinning star", "animated", ("star",), anim(art.anim_star_spin, 20.0)),
        ("sparkles_twinkle", "Twinkling sparkles", "animated", ("sparkle", "magic"), anim(art.anim_sparkles, 12.0)),
        ("arrow_bounce", "Bouncing arrow", "animated", ("arrow", "look"), anim(art.anim_arrow_bounce, 16.0)),
        ("fire_flicker", "Flickering fire", "animated", ("fire", "lit"), anim(art.anim_fire, 12.0)),
        # AR accessories
        ("ar_sunglasses", "Sunglasses", "ar", ("face", "cool"), eyes(art.ar_sunglasses, 1.5, 0.455)),
        ("ar_glasses", "Glasses", "ar", ("face", "nerd"), eyes(art.ar_glasses, 1.44, 0.455)),
        ("ar_heart_eyes", "Heart eyes", "ar", ("face", "love"),
         eyes(lambda: art.ar_heart_eyes(FACE), FACE["heart_eyes_scale"], 0.5)),
        ("ar_party_hat", "Party hat", "ar", ("head", "party"), top(art.ar_party_hat, 385, 1.0, 0.15)),
        ("ar_crown", "Crown", "ar", ("head", "king", "queen"), top(art.ar_crown, 260, 1.25, 0.12)),
        ("ar_cat_ears", "Cat ears", "ar", ("head", "cat"), top(art.ar_cat_ears, 222, 1.7, 0.06)),
        ("ar_bunny_ears", "Bunny ears", "ar", ("head", "bunny"), top(art.ar_bunny_ears, 392, 1.5, 0.18)),
        ("ar_dog", "Dog ears & nose", "ar", ("head", "dog", "nose"), dog),
        ("ar_moustache", "Moustache", "ar", ("face", "mustache"),
         lambda: ([art.ar_moustache()], 0.0, {"landmarks": [164], "point": [0.5, 0.55], "scale": 1.1})),
        ("ar_clown_nose", "Clown nose", "ar", ("face", "nose"),
         lambda: ([art.ar_clown_nose()], 0.0, {"landmarks": [1], "point": [0.5, 0.5], "scale": 0.42})),
    ]
    return items


def write(out_dir: Path, only: set[str] | None = None) -> list[dict]:
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for sid, title, category, tags, make in catalogue():
        frames, fps, anchor = make()
        sheet = frames[0] if len(frames) == 1 else np.concatenate(frames, axis=1)
        file = f"{sid}.png"
        if only is None or sid in only:
            Image.fromarray(sheet).save(out_dir / file, optimize=True)
        entry = {"id": sid, "title": title, "category": category, "tags": list(tags), "file": file,
                 "animated": len(frames) > 1, "fps": fps, "frame_count": len(frames)}
        if anchor:
            entry["anchor"] = {**anchor, "rotate": True}
        entries.append(entry)
        print(f"{sid}: {len(frames)} frame(s) {frames[0].shape[1]}x{frames[0].shape[0]}", file=sys.stderr)
    manifest = {"licence": "CC0-1.0, drawn by python -m tools.gen_stickers", "stickers": entries}
    (out_dir / "library.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return entries


def contact_sheet(out_dir: Path, path: Path, cell: int = 160) -> None:
    from studio.library.stickers import list_stickers, load_sticker_frames
    stickers = list_stickers()
    cols = 8
    rows = (len(stickers) + cols - 1) // cols
    sheet = Image.new("RGBA", (cols * cell, rows * cell), (0, 0, 0, 255))
    check = np.indices((cell, cell)).sum(0) // 16 % 2
    bg = Image.fromarray(np.where(check[..., None] > 0, [200, 205, 210, 255], [150, 160, 170, 255]).astype(np.uint8))
    for i, s in enumerate(stickers):
        frames = load_sticker_frames(s, width=cell - 16)
        f = frames[len(frames) // 3]
        if f.shape[0] > cell - 16:
            f = load_sticker_frames(s, width=max(1, int((cell - 16) * f.shape[1] / f.shape[0])))[len(frames) // 3]
        tile = bg.copy()
        im = Image.fromarray(f)
        tile.alpha_composite(im, ((cell - im.width) // 2, (cell - im.height) // 2))
        sheet.paste(tile, ((i % cols) * cell, (i // cols) * cell))
    sheet.save(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sheet", type=Path, help="also write a contact sheet PNG here")
    ap.add_argument("--only", nargs="*", help="only rewrite these sticker ids (manifest is always rewritten)")
    args = ap.parse_args()
    out_dir = assets_dir() / "stickers"
    write(out_dir, set(args.only) if args.only else None)
    if args.sheet:
        contact_sheet(out_dir, args.sheet)


if __name__ == "__main__":
    main()
