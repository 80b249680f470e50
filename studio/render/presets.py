"""Platform presets: what each platform accepts and where its interface covers the picture.

Sources of the limits (checked 2025; platforms change them, so they live in one place):
- TikTok: captions up to 2,200 characters in the upload flow of the desktop web uploader
  (support.tiktok.com "Adding captions"; the app raised its own limit later, 2,200 is the safe
  common value); uploads from a computer up to 10 minutes for standard accounts (support.tiktok.com
  "Uploading videos"); 9:16 1080x1920 recommended (TikTok Ads "Video specs").
- Instagram Reels: up to 3 minutes (about.instagram.com, Jan 2025 announcement); caption 2,200
  characters and at most 30 hashtags (help.instagram.com "Hashtags"); 9:16 1080x1920; Meta's
  Reels safe zone: keep text out of the top 14% and bottom 35% (Meta Ads Guide, Reels placement).
- YouTube Shorts: up to 3 minutes (support.google.com/youtube "Shorts length", Oct 2024);
  more than 60 hashtags makes YouTube ignore all of them (support.google.com/youtube
  "Hashtags on YouTube"); title up to 100 characters, description 5,000.
- Loudness: all three normalise playback near -14 LUFS integrated; -1 dBTP keeps the AAC encode
  from clipping (AES TD1008 streaming recommendation).
Safe zones are in pixels of a 1080x1920 canvas, from each platform's published overlay templates
(TikTok Creative Center "safe zone" template; YouTube Shorts "Create for Shorts" template)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SafeZone:
    """Margins (px on 1080x1920) that the platform's buttons and captions cover."""
    top: int
    bottom: int
    left: int
    right: int

    def rect(self, width: int = 1080, height: int = 1920) -> tuple[int, int, int, int]:
        sx, sy = width / 1080, height / 1920
        return (round(self.left * sx), round(self.top * sy),
                round(width - self.right * sx), round(height - self.bottom * sy))


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    width: int
    height: int
    fps: int
    max_seconds: float
    min_seconds: float
    caption_chars: int
    max_hashtags: int
    target_lufs: float
    max_true_peak: float
    safe_zone: SafeZone


PRESETS: dict[str, Preset] = {
    "tiktok": Preset("tiktok", "TikTok", 1080, 1920, 30, max_seconds=600, min_seconds=1, caption_chars=2200,
                     max_hashtags=100, target_lufs=-14.0, max_true_peak=-1.0,
                     safe_zone=SafeZone(top=150, bottom=440, left=60, right=150)),
    "reels": Preset("reels", "Instagram Reels", 1080, 1920, 30, max_seconds=180, min_seconds=3, caption_chars=2200,
                    max_hashtags=30, target_lufs=-14.0, max_true_peak=-1.0,
                    safe_zone=SafeZone(top=270, bottom=670, left=65, right=120)),
    "shorts": Preset("shorts", "YouTube Shorts", 1080, 1920, 30, max_seconds=180, min_seconds=1, caption_chars=5000,
                     max_hashtags=60, target_lufs=-14.0, max_true_peak=-1.0,
                     safe_zone=SafeZone(top=120, bottom=380, left=48, right=140)),
}

# x264 settings per quality level: the preset trades encode time for file size at the same CRF
QUALITY = {"draft": ("ultrafast", 24), "standard": ("veryfast", 20), "high": ("medium", 18)}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r} (choose from {', '.join(PRESETS)})") from None
