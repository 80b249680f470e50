"""face_sticker: an AR accessory (glasses, hat, ...) pinned to every face by its Anchor."""
from __future__ import annotations

from collections import OrderedDict

import cv2
import numpy as np

from studio.effects.base import Effect, FrameContext
from studio.effects.errors import EffectError
from studio.effects.face_regions import OUTER_EYE_CORNERS, points_box
from studio.effects.params import Param

# A sticker without an Anchor (a user PNG) sits like glasses: centred between the eyes, 1.6 x eye distance.
DEFAULT_ANCHOR = ((33, 263, 168), (0.5, 0.5), 1.6, True)
WIDTH_STEP = 4  # resized sticker widths are quantised so the per-size cache stays small
MAX_CACHED_SIZES = 24


def load_sticker(name: str):
    from studio.library.errors import LibraryError
    from studio.library.stickers import get_sticker

    try:
        return get_sticker(name)
    except LibraryError as e:
        try:  # "sunglasses" is accepted for the built-in "ar_sunglasses"
            return get_sticker("ar_" + name)
        except LibraryError:
            raise EffectError(f"effect 'face_sticker': param 'sticker': {e}") from None


class FaceSticker(Effect):
    id = "face_sticker"
    title = "Face sticker"
    category = "face"
    needs = frozenset({"face"})
    params = (
        Param("sticker", "sticker", "ar_sunglasses", title="Sticker"),
        Param("size", "float", 1.0, 0.3, 3.0, animatable=True, title="Size"),
        Param("opacity", "float", 1.0, 0.0, 1.0, animatable=True, title="Opacity"),
    )

    def check(self, params) -> None:
        load_sticker(params["sticker"])

    def apply(self, rgb, ctx: FrameContext, params):
        if not ctx.faces or params["opacity"] <= 0:
            return rgb.copy()
        sticker = ctx.memo(("sticker", params["sticker"]), lambda: load_sticker(params["sticker"]))
        a = sticker.anchor
        landmarks, point, scale, rotate = (a.landmarks, a.point, a.scale, a.rotate) if a else DEFAULT_ANCHOR
        sizes = ctx.memo("sizes", OrderedDict) if ctx.cache is not None else OrderedDict()
        from studio.library.stickers import frame_index_at

        fi = frame_index_at(sticker, ctx.time)
        out = rgb.copy()
        h, w = rgb.shape[:2]
        for face in ctx.faces:
            p = face.points
            e0, e1 = p[OUTER_EYE_CORNERS[0], :2], p[OUTER_EYE_CORNERS[1], :2]
            eye = float(np.hypot(*(e1 - e0)))
            if eye < 2:
                continue
            centre = p[list(landmarks), :2].mean(0)
            target_w = scale * eye * params["size"]
            qw = max(WIDTH_STEP, int(round(target_w / WIDTH_STEP)) * WIDTH_STEP)
            frames = sizes.get(qw)
            if frames is None:
                frames = _premultiplied_frames(sticker, qw)
                sizes[qw] = frames
                if len(sizes) > MAX_CACHED_SIZES:
                    sizes.popitem(last=False)
            else:
                sizes.move_to_end(qw)
            src = frames[min(fi, len(frames) - 1)]
            sh, sw = src.shape[:2]
            angle = np.arctan2(e1[1] - e0[1], e1[0] - e0[0]) if rotate else 0.0
            k = target_w / sw  # residual scale after quantisation
            c, s = np.cos(angle) * k, np.sin(angle) * k
            ax, ay = point[0] * sw, point[1] * sh
            # sticker (u, v) -> frame: R*S*((u, v) - anchor point) + centre
            M = np.array([[c, -s, centre[0] - (c * ax - s * ay)],
                          [s, c, centre[1] - (s * ax + c * ay)]], np.float64)
            corners = np.array([[0, 0, 1], [sw, 0, 1], [0, sh, 1], [sw, sh, 1]], np.float64) @ M.T
            x0, y0, x1, y1 = points_box(corners, 0, (w, h))
            if x1 <= x0 or y1 <= y0:
                continue
            M[:, 2] -= (x0, y0)
            warped = cv2.warpAffine(src, M, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR,
                                    borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0))
            _blend_premultiplied(out[y0:y1, x0:x1], warped, params["opacity"])
        return out


def _premultiplied_frames(sticker, width: int) -> list[np.ndarray]:
    from studio.library.stickers import load_sticker_frames

    frames = []
    for f in load_sticker_frames(sticker, width):
        a = f[..., 3:4].astype(np.uint16)
        rgb = ((f[..., :3].astype(np.uint16) * a + 127) // 255).astype(np.uint8)
        frames.append(np.ascontiguousarray(np.concatenate([rgb, f[..., 3:4]], axis=2)))
    return frames


def _blend_premultiplied(dst: np.ndarray, src: np.ndarray, opacity: float) -> None:
    """dst = src + dst * (1 - alpha), in place on the ROI view, uint16 integer maths."""
    a = src[..., 3:4].astype(np.uint16)
    fg = src[..., :3].astype(np.uint16)
    if opacity < 1.0:
        o = int(round(opacity * 256))
        a = (a * o) >> 8
        fg = (fg * o) >> 8
    dst[...] = (fg + (dst.astype(np.uint16) * (255 - a) + 127) // 255).clip(0, 255).astype(np.uint8)
