"""The colour grades behind each built-in look: functions of RGB floats (M, 3) in 0..1 -> RGB.

All original, written for this project (CC0). Kept simple and explicit so each look
does what its name says (see tests/library/test_looks.py).
"""

from __future__ import annotations

import numpy as np

LUMA = np.array([0.2126, 0.7152, 0.0722])


def luma(rgb: np.ndarray) -> np.ndarray:
    return rgb @ LUMA


def saturate(rgb: np.ndarray, amount: float) -> np.ndarray:
    y = luma(rgb)[:, None]
    return y + (rgb - y) * amount


def contrast(rgb: np.ndarray, amount: float, pivot: float = 0.5) -> np.ndarray:
    return pivot + (rgb - pivot) * amount


def s_curve(x: np.ndarray, strength: float) -> np.ndarray:
    """Smooth S-shaped contrast curve through (0,0), (0.5,0.5), (1,1); strength 0 = identity."""
    x = np.clip(x, 0.0, 1.0)
    smooth = x * x * (3.0 - 2.0 * x)
    return x + (smooth - x) * strength


def lift_gamma_gain(rgb, lift=(0, 0, 0), gamma=(1, 1, 1), gain=(1, 1, 1)):
    lift, gamma, gain = (np.asarray(v, dtype=float) for v in (lift, gamma, gain))
    out = np.clip(rgb, 0.0, 1.0) * (gain - lift) + lift
    return np.clip(out, 0.0, 1.0) ** (1.0 / gamma)


def split_tone(rgb, shadows, highlights, amount: float = 0.25):
    """Tint shadows towards one colour and highlights towards another (luma preserved roughly)."""
    y = luma(np.clip(rgb, 0, 1))[:, None]
    sh = np.asarray(shadows, dtype=float) - 0.5
    hi = np.asarray(highlights, dtype=float) - 0.5
    w_sh = (1.0 - y) ** 2
    w_hi = y ** 2
    return rgb + amount * (w_sh * sh + w_hi * hi)


def vivid(rgb):
    return s_curve(saturate(rgb, 1.45), 0.25)


def bw(rgb):
    y = luma(rgb)[:, None]
    return np.repeat(s_curve(y, 0.15), 3, axis=1)


def noir(rgb):
    y = luma(rgb)[:, None]
    y = s_curve(s_curve(np.clip((y - 0.06) / 0.88, 0, 1), 1.0), 0.6)
    return np.repeat(y, 3, axis=1) * np.array([1.0, 0.99, 0.97])


def warm(rgb):
    out = rgb * np.array([1.10, 1.02, 0.84]) + np.array([0.02, 0.0, -0.02])
    return saturate(out, 1.05)


def cool(rgb):
    out = rgb * np.array([0.86, 1.0, 1.12]) + np.array([-0.02, 0.0, 0.02])
    return saturate(out, 1.0)


def vintage(rgb):
    out = saturate(rgb, 0.7)
    out = lift_gamma_gain(out, lift=(0.10, 0.08, 0.06), gamma=(1.05, 1.0, 0.92), gain=(0.98, 0.94, 0.80))
    return split_tone(out, shadows=(0.45, 0.55, 0.45), highlights=(0.62, 0.55, 0.40), amount=0.3)


def faded(rgb):
    out = saturate(rgb, 0.8)
    return lift_gamma_gain(out, lift=(0.14, 0.14, 0.15), gain=(0.92, 0.92, 0.93))


def teal_orange(rgb):
    out = split_tone(rgb, shadows=(0.25, 0.55, 0.62), highlights=(0.72, 0.55, 0.38), amount=0.45)
    # Push hues near skin/orange further orange and everything else towards teal.
    r, g, b = out[:, 0], out[:, 1], out[:, 2]
    warmness = np.clip((r - b) * 2.0, -1.0, 1.0)[:, None]
    shift = np.where(warmness > 0, warmness * np.array([0.05, 0.0, -0.06]),
                     -warmness * np.array([-0.05, 0.02, 0.05]))
    return s_curve(saturate(out + shift, 1.15), 0.2)


def sunset(rgb):
    out = split_tone(rgb, shadows=(0.62, 0.40, 0.62), highlights=(0.80, 0.58, 0.30), amount=0.5)
    out = out * np.array([1.08, 0.98, 0.88])
    return s_curve(saturate(out, 1.2), 0.15)


def cyberpunk(rgb):
    out = split_tone(rgb, shadows=(0.70, 0.25, 0.80), highlights=(0.30, 0.85, 0.85), amount=0.6)
    return s_curve(saturate(out, 1.35), 0.3)


def pastel(rgb):
    out = saturate(rgb, 0.75)
    out = lift_gamma_gain(out, lift=(0.12, 0.10, 0.14), gamma=(1.15, 1.15, 1.15), gain=(1.0, 0.98, 1.0))
    return out


def dramatic(rgb):
    return s_curve(saturate(rgb, 0.7), 0.7)


# id -> (title, grade)
LOOKS = {
    "vivid": ("Vivid", vivid),
    "bw": ("Black & white", bw),
    "vintage": ("Vintage", vintage),
    "warm": ("Warm", warm),
    "cool": ("Cool", cool),
    "teal_orange": ("Teal & orange", teal_orange),
    "faded": ("Faded", faded),
    "noir": ("Noir", noir),
    "sunset": ("Sunset", sunset),
    "cyberpunk": ("Cyberpunk", cyberpunk),
    "pastel": ("Pastel", pastel),
    "dramatic": ("Dramatic", dramatic),
}
