"""Caption items carry their words' times, and a caption track made from speech exports with the
word-highlight style: in the decoded video the highlighted word changes at the word times."""
from __future__ import annotations

from fractions import Fraction

import av
import numpy as np

from studio.captions import CaptionLine, Word, add_captions, group_lines
from studio.captions.timeline import DEFAULT_STYLE
from studio.captions.generate import make_captions
from studio.library.styles import get_style
from studio.model import Clip, Project, Timeline, Track, WordTime
from studio.render.export import ExportOptions, export_project

from spoken import write_talking_video

FPS = 30


def test_caption_items_hold_their_words_in_frames_after_their_start():
    lines = group_lines([Word("Hey", 0.8, 1.0), Word("everyone,", 1.02, 1.5), Word("today", 2.4, 2.7),
                         Word("we", 2.75, 2.9)])
    project = Project(timeline=Timeline((Track("video", (Clip("c", "/x.mp4", 0, 180),)),)))
    items = add_captions(project, lines).timeline.tracks[-1].items
    assert DEFAULT_STYLE == "word_highlight" and all(i.style == DEFAULT_STYLE for i in items)
    assert items[0].words == (WordTime("Hey", 0, 6), WordTime("everyone,", 7, 21))  # 24..45 on the timeline
    assert items[1].words == (WordTime("today", 0, 9), WordTime("we", 11, 15))      # from frame 72
    # a line pushed after the one before (overlapping times) keeps its words inside it
    late = add_captions(project, [CaptionLine.of([Word("one", 0.0, 1.0)]),
                                  CaptionLine.of([Word("two", 0.5, 0.7), Word("three", 0.7, 1.5)])])
    second = late.timeline.tracks[-1].items[1]
    assert second.start == 30 and second.words == (WordTime("two", 0, 0), WordTime("three", 0, 15))


def _box_columns(frame: np.ndarray, purple) -> tuple[int, int] | None:
    """Columns of the highlight box in the caption band of a decoded frame."""
    band = frame[1100:1650].astype(np.int16)
    mask = np.abs(band - np.array(purple, np.int16)).max(axis=2) <= 45
    xs = np.nonzero(mask.sum(axis=0) >= 8)[0]
    return (int(xs[0]), int(xs[-1])) if len(xs) else None


def test_a_caption_track_from_speech_exports_with_the_word_highlight_following_the_words(espeak, tmp_path):
    sentence = "Hey everyone, today I am testing three budget microphones."
    speech = espeak.speech([sentence], "en-us", 165, lead=0.5, tail=0.4)
    video = write_talking_video(tmp_path / "talk.mp4", speech)
    captions = make_captions(video, script=speech.text)         # the words timed in the clip's sound
    frames = int(speech.duration * FPS)
    clip = Clip("clip-1", str(video), 0, frames, source_frames=frames)
    project = add_captions(Project(name="talk", fps=Fraction(FPS), timeline=Timeline((Track("video", (clip,)),))),
                           list(captions.lines))
    items = project.timeline.tracks[-1].items
    assert sum(len(i.words) for i in items) == len(sentence.split()) and all(i.style == "word_highlight" for i in items)
    out = tmp_path / "captioned.mp4"
    export_project(project, out, ExportOptions(quality="draft", cover=False, sidecar=False, preflight=False))

    purple = get_style("word_highlight").word_box_color[:3]
    boxes = []
    with av.open(str(out)) as container:
        for frame in container.decode(video=0):
            boxes.append(_box_columns(frame.to_ndarray(format="rgb24"), purple))
    assert len(boxes) == frames

    # the frames where the highlighted word changes, seen in the pixels: the box moves (or comes or
    # goes). The first frames of each line are left out: the whole line pops in (its anim_in) there.
    settling = {f for i in items for f in range(i.start + 1, i.start + i.anim_frames + 1)}
    observed = [f for f in range(1, frames) if f not in settling and _moved(boxes[f - 1], boxes[f])]
    # the frames where it should change: each word's start, and each line's end
    expected = sorted({i.start + w.start for i in items for w in i.words} | {i.end for i in items if i.end < frames})
    checked = [f for f in expected if f not in settling]
    misses = [f for f in checked if not any(abs(f - o) <= 1 for o in observed)]
    extra = [o for o in observed if not any(abs(f - o) <= 1 for f in expected)]
    assert not misses and not extra, f"expected changes {checked}, seen {observed}"
    assert len(checked) >= len(sentence.split()) - 2

    # and it is the word being said: within a line the box steps left to right, once per word
    for item in items:
        at = sorted({item.start + max(w.start, item.anim_frames + 1) for w in item.words if w.start < item.duration})
        assert all(boxes[f] is not None for f in at)
        xs = [boxes[f][0] for f in at if f < item.end]
        assert xs == sorted(xs) and len(set(xs)) == len(xs), (item.content, xs)

    # the word times are the speaker's: each change is near the word's start as eSpeak said it
    spoken = [t for _, t in speech.words]
    starts = [item.start + w.start for item in items for w in item.words]
    if len(spoken) == len(starts):
        off = [abs(s - t * FPS) for s, t in zip(starts, spoken) if t is not None]
        assert np.median(off) <= 3, off  # frames (100 ms)


def _moved(a, b) -> bool:
    if (a is None) != (b is None):
        return True
    return a is not None and (abs(a[0] - b[0]) > 6 or abs(a[1] - b[1]) > 6)
