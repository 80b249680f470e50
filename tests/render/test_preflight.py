"""Pre-flight of projects against the platform presets: safe zones, caption limits, hook hint."""
import dataclasses

import numpy as np

from studio.model import Clip, Metadata, Project, SoundItem, TextItem, Timeline, Track
from studio.model import edits
from studio.render.preflight import check_project


def _codes(report, level=None):
    return {f.code for f in report.findings if level is None or f.level == level}


def _still_project(tmp_path, colour=(80, 80, 80), texts=(), caption="A day out #travel"):
    import cv2

    still = tmp_path / "still.png"
    cv2.imwrite(str(still), np.full((1920, 1080, 3), colour, np.uint8))
    timeline = edits.append_clip(Timeline((Track("video"),)), Clip("clip-1", str(still), 0, 120))
    for n, text in enumerate(texts, start=1):
        timeline = edits.add_item(timeline, dataclasses.replace(text, id=f"text-{n}"))
    timeline = edits.add_item(timeline, SoundItem("sound-1", "lofi-study", 0, 120))
    return Project(timeline=timeline, metadata=Metadata(caption=caption))


def test_text_in_the_button_column_is_outside_the_safe_zone(tmp_path):
    inside = TextItem("t", 0, 120, "Hello there", x=0.47, y=0.4, width=0.6)
    outside = TextItem("t", 0, 120, "Hello there", x=0.9, y=0.4, width=0.6)
    assert "text_outside_safe_zone" not in _codes(check_project(_still_project(tmp_path, texts=[inside])))
    report = check_project(_still_project(tmp_path, texts=[outside]))
    assert "text_outside_safe_zone" in _codes(report, "warning")
    # Reels keeps the bottom 35% free: a caption centred at 80% of the height is in it
    low = TextItem("t", 0, 120, "Low caption", x=0.47, y=0.8, width=0.6)
    assert "text_outside_safe_zone" in _codes(check_project(_still_project(tmp_path, texts=[low]), "reels"))


def test_caption_and_hashtag_limits_per_platform(tmp_path):
    tags = " ".join(f"#tag{i}" for i in range(31))
    report = check_project(_still_project(tmp_path, caption=f"Thirty-one tags {tags}"), "reels")
    assert "too_many_hashtags" in _codes(report, "error") and not report.passed
    assert check_project(_still_project(tmp_path, caption=f"Thirty-one tags {tags}"), "tiktok").passed
    long = check_project(_still_project(tmp_path, caption="x" * 2201), "tiktok")
    assert "caption_too_long" in _codes(long, "error")


def test_hook_hint_for_a_static_opening_without_text_or_face(tmp_path):
    static = check_project(_still_project(tmp_path))
    assert "weak_hook" in _codes(static, "warning")
    assert static.measured["hook"]["text"] is False and static.measured["hook"]["face"] is False
    titled = check_project(_still_project(tmp_path, texts=[TextItem("t", 0, 60, "Watch this", x=0.47, y=0.3)]))
    assert "weak_hook" not in _codes(titled)
    assert titled.measured["hook"]["face"] is None  # with a title the hook is fine: no face search (MediaPipe) needed
