"""Highlights to shorts: each marker of a finished live recording becomes a 9:16 short around it,
exported with its pre-flight."""
from fractions import Fraction

import av
import numpy as np

from stream_media import make_stream_recording
from studio.capture.stream_recording import Highlight, finish_stream_recording, write_stream_sidecar
from studio.live.shorts import make_shorts, plan_shorts
from studio.model import Marker, Project, load_project


def test_plans_start_before_the_marker_and_stay_inside_the_recording():
    from studio.model import Clip, Timeline, Track

    tl = Timeline((Track("video", (Clip("c", "/x.mp4", 0, 900, source_frames=900),)),))
    project = Project(name="Q&A", fps=Fraction(30), timeline=tl,
                      markers=(Marker(600, "the answer"), Marker(30, ""), Marker(890, "end")))
    plans = plan_shorts(project, before=10, after=5)
    assert [(p.start, p.end) for p in plans] == [(300, 750), (0, 180), (590, 900)]
    assert plans[0].name == "Q-A-01-the-answer" and len({p.name for p in plans}) == 3
    # too short: grown to the minimum, forwards where the start stops it
    short = plan_shorts(project, before=0.5, after=0.5, min_seconds=5)
    assert [(p.start, p.end) for p in short] == [(525, 675), (0, 150), (750, 900)]


def _levels(path):
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        size = (s.codec_context.width, s.codec_context.height)
        levels = [float(f.to_ndarray(format="gray")[800:1100, 300:800].mean()) for f in c.decode(video=0)]
    return size, levels


def test_each_highlight_becomes_a_short_showing_its_moment(tmp_path):
    rec = make_stream_recording(tmp_path / "Live.mp4.recording.mkv", frames=240, size=(640, 360))
    write_stream_sidecar(rec, {}, [Highlight(2.0, "first"), Highlight(6.0, "second")])
    project = load_project(finish_stream_recording(rec).project)
    steps = []
    results = make_shorts(project, tmp_path / "shorts", before=1.0, after=1.0,
                          progress=lambda done, total, line: steps.append((done, total)))
    assert [r.error for r in results] == [None, None]
    assert all(r.passed is not None for r in results)  # the pre-flight ran on each
    assert steps[0] == (0, 2) and steps[-1] == (2, 2)
    for result, start_frame in zip(results, (0, 90)):
        size, levels = _levels(result.path)
        assert size == (1080, 1920)
        assert len(levels) == 150  # 5 s (the minimum length), at 30 fps
        # the recording's picture k has grey level 2k: the short shows frames start..start+150
        expected = [2 * (start_frame + k) % 256 for k in range(150)]
        assert np.median(np.abs(np.array(levels) - expected)) < 3
