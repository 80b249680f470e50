"""A slot shorter than its clip gets the clip's liveliest part: the part that moves, the part
with a face; a clip used twice shows two different parts; a clip shorter than its slot is slowed
down to fill it."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
from skimage import data

from studio.model import Clip
from studio.templates import MediaAnalyzer, apply_template, get_template
from studio.templates.fill import fill_slot
from template_media import SIZE, moving_picture, write_still_then_moving

FPS = Fraction(30)


def _slot(frames: int) -> Clip:
    return Clip("slot-1", "slot", 0, frames)


def test_the_slot_gets_the_moving_part(tmp_path, mediagen):
    clip = write_still_then_moving(mediagen, tmp_path / "still_then_moving.mp4", still_s=4.0, moving_s=2.0)
    with MediaAnalyzer() as analyzer:
        filled = fill_slot(_slot(45), str(clip), FPS, analyzer)  # 1.5 s out of 6 s
        lively = analyzer.liveliness(str(clip))
    start, end = filled.source_in / 30, (filled.source_in + filled.duration) / 30
    assert 3.8 <= start and end <= 6.0, (start, end)
    # the analysis itself: the still part does not move, the last two seconds do
    still = lively.motion[lively.times < 3.7]
    moving = lively.motion[(lively.times > 4.1) & (lively.times < 5.8)]
    assert still.max() < 0.5 < moving.min()


def test_a_template_slot_gets_the_moving_part(tmp_path, mediagen):
    clip = write_still_then_moving(mediagen, tmp_path / "still_then_moving.mp4", still_s=4.0, moving_s=2.0)
    template = get_template("beat-montage")  # 8 slots of 2 beats (0.94 s) from this one clip
    project = apply_template(template, [str(clip)])
    clips = sorted(project.timeline.tracks[0].items, key=lambda c: c.start)
    # the first two slots take the moving part (it holds two of them), each its own half of it
    (a0, a1), (b0, b1) = sorted((c.source_in, c.source_in + c.duration) for c in clips[:2])
    assert a0 >= 3.8 * 30 and b1 <= 6 * 30 and a1 <= b0, (a0, a1, b0, b1)
    # the clip is too short for eight different parts: the others overlap as little as they can
    assert len({c.source_in for c in clips}) == 8


def test_a_clip_filling_two_slots_shows_two_parts_in_its_order(tmp_path, mediagen):
    """The reaction template cuts back to the video: the second time, the video has gone on."""
    clip = write_still_then_moving(mediagen, tmp_path / "video.mp4", still_s=3.0, moving_s=3.0)
    still = tmp_path / "face.png"
    mediagen.write_png(still, moving_picture(1, 0))
    project = apply_template(get_template("reaction"), [str(clip), str(still)])
    first, again = project.timeline.get("slot-1"), project.timeline.get("slot-3")
    assert first.source == again.source == str(clip)
    assert first.source_in + first.duration <= again.source_in  # side by side, in the video's order
    assert again.source_in + again.duration <= again.source_frames
    # together they take the moving half: the later part starts in it, and ends with the video
    assert again.source_in + again.duration >= 6 * 30 - 6


def test_a_face_makes_a_part_livelier(tmp_path, mediagen):
    """Nothing moves; the first 3 s show a plain picture, the last 3 s a face: the slot gets the face."""
    w, h = SIZE
    face = np.asarray(data.astronaut())[:, 56:344]  # 512 x 288: the face fills the upper half
    import cv2
    face = cv2.resize(face, (w, h * 288 // 512 * 512 // 288), interpolation=cv2.INTER_AREA)
    face_frame = np.zeros((h, w, 3), np.uint8)
    face_frame[:] = (90, 90, 90)
    face_frame[:face.shape[0]] = face[:h]
    plain = moving_picture(1, 0)
    clip = mediagen.write_clip(tmp_path / "face_later.mp4", size=SIZE, seconds=6.0, audio=None,
                               picture=lambda i: plain if i < 90 else face_frame)
    with MediaAnalyzer() as analyzer:
        filled = fill_slot(_slot(60), str(clip), FPS, analyzer)
        lively = analyzer.liveliness(str(clip))
    assert lively.faces[lively.times > 3.5].all() and not lively.faces[lively.times < 2.5].any()
    assert filled.source_in >= 3 * 30 - 6, filled.source_in  # within one analysis sample (5 frames)
    with MediaAnalyzer(faces=False) as analyzer:  # without the face bonus the clip starts at its beginning
        assert fill_slot(_slot(60), str(clip), FPS, analyzer).source_in == 0


def test_a_short_clip_is_slowed_down_to_fill_its_slot(tmp_path, mediagen):
    clip = mediagen.write_clip(tmp_path / "short.mp4", size=SIZE, seconds=1.0, audio=None,
                               picture=lambda i: moving_picture(0, i))
    with MediaAnalyzer(faces=False) as analyzer:
        filled = fill_slot(_slot(90), str(clip), FPS, analyzer)
    assert filled.source_frames == 30 and filled.speed == Fraction(1, 3) and filled.source_in == 0
    assert filled.source_in + filled.duration * filled.speed == filled.source_frames
