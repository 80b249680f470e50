"""`studio quick` with several texts on a short clip: every text stays long enough to read, and
too many texts for the time there is are refused in one line."""
from __future__ import annotations

import pytest

from studio.model import EditError, TextItem
from studio.quick import build_quick_project


def _texts(project) -> list[TextItem]:
    return sorted((i for i in project.timeline.all_items() if isinstance(i, TextItem)), key=lambda i: i.start)


@pytest.mark.parametrize("seconds, count", [(2.0, 2), (3.0, 2), (2.0, 4), (6.0, 3)])
def test_texts_share_a_short_clip(tmp_path, mediagen, seconds, count):
    clip = mediagen.write_clip(tmp_path / "c.mp4", seconds=seconds)
    texts = _texts(build_quick_project([str(clip)], texts=[f"line {n}" for n in range(count)]))
    total = round(seconds * 30)
    assert [t.content for t in texts] == [f"line {n}" for n in range(count)]
    assert all(t.duration >= 15 for t in texts)  # half a second at least: readable
    assert texts[0].start == 0 and texts[-1].end == total
    assert all(a.end == b.start for a, b in zip(texts[1:], texts[2:]))  # later texts follow each other
    if seconds >= 6:
        assert texts[0].duration == 90  # a long enough short keeps the 3 s title


def test_too_many_texts_for_the_time_are_refused(tmp_path, mediagen):
    clip = mediagen.write_clip(tmp_path / "c.mp4", seconds=1.0)
    with pytest.raises(EditError, match="3 texts need at least 1.5 s"):
        build_quick_project([str(clip)], texts=["a", "b", "c"])
    proc = mediagen.run_studio("quick", clip, "--text", "a", "--text", "b", "--text", "c", "-o", tmp_path / "o.mp4")
    assert proc.returncode == 3 and mediagen.error_lines(proc.stderr)[-1].startswith("studio: error: 3 texts")
    assert not (tmp_path / "o.mp4").exists()


def test_the_cover_shows_the_title_whole(tmp_path, mediagen):
    """Frame 0 catches the title mid pop-in (small, see-through): the cover is 1 s in, inside the
    title's time; a short without texts keeps its first frame."""
    from studio.render.compositor import Renderer

    clip = mediagen.write_clip(tmp_path / "c.mp4", seconds=4.0)
    project = build_quick_project([str(clip)], texts=["Wait for it", "now"])
    title = _texts(project)[0]
    assert project.metadata.cover_frame == 30 and title.start <= 30 < title.end
    plain = build_quick_project([str(clip)], texts=[])
    with Renderer() as r:
        def ink(p, frame):  # how much of the picture the text changes
            return int((abs(r.render(p, frame, (270, 480)).astype(int)
                            - r.render(plain, frame, (270, 480)).astype(int)).max(axis=2) > 60).sum())

        assert ink(project, 30) > 1.5 * ink(project, 0)
    assert plain.metadata.cover_frame == 0
    short = build_quick_project([str(mediagen.write_clip(tmp_path / "s.mp4", seconds=0.6))], texts=["Hi"])
    assert short.metadata.cover_frame < _texts(short)[0].end
