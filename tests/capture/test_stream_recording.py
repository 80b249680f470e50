"""A live stream's safety recording is finished by a stream copy into LIVE.mp4 and LIVE.studio
with the highlights as markers, on stop or by `studio recover` after a kill."""
import json

import av
import pytest

from stream_media import make_stream_recording
from studio.capture.errors import CaptureError
from studio.capture.finalising import find_unfinished, recover
from studio.capture.stream_recording import Highlight, finish_stream_recording, write_stream_sidecar
from studio.capture.writer import sidecar_path
from studio.model import load_project


def test_finishing_keeps_every_picture_and_makes_markers_of_the_highlights(tmp_path):
    rec = make_stream_recording(tmp_path / "Live.mp4.recording.mkv", frames=150)
    write_stream_sidecar(rec, {"url": "rtmp://127.0.0.1/live", "size": [320, 240]},
                         [Highlight(1.5, "the reveal"), Highlight(4.0)])
    done = finish_stream_recording(rec)
    assert done.path == tmp_path / "Live.mp4" and not rec.exists() and not sidecar_path(rec).exists()
    with av.open(str(done.path)) as c:
        assert sum(1 for _ in c.decode(video=0)) == 150
    project = load_project(done.project)
    assert [(m.frame, m.name) for m in project.markers] == [(45, "the reveal"), (120, "Highlight 2")]
    [clip] = project.timeline.tracks[0].items
    assert clip.duration == 150 and clip.source == str(done.path.resolve())


def test_studio_recover_finishes_a_killed_stream_like_a_take(tmp_path):
    rec = make_stream_recording(tmp_path / "Live.mp4.recording.mkv", frames=120)
    data = rec.read_bytes()
    rec.write_bytes(data[: len(data) * 3 // 4])  # killed while writing
    write_stream_sidecar(rec, {}, [Highlight(2.0)])
    assert find_unfinished(tmp_path) == [rec]
    done = recover(rec)
    assert done.path == tmp_path / "Live.mp4" and 60 <= done.frames < 120 and done.has_audio
    assert [m.frame for m in load_project(done.project).markers] == [60]


def test_a_damaged_sidecar_entry_is_skipped_and_an_unreadable_recording_is_one_error(tmp_path):
    rec = make_stream_recording(tmp_path / "Live.mp4.recording.mkv", frames=60)
    write_stream_sidecar(rec, {}, [Highlight(1.0)])
    side = sidecar_path(rec)
    data = json.loads(side.read_text())
    data["highlights"].append({"seconds": "soon"})
    side.write_text(json.dumps(data))
    assert [m.frame for m in load_project(finish_stream_recording(rec).project).markers] == [30]
    bad = tmp_path / "Bad.mp4.recording.mkv"
    bad.write_bytes(b"not a recording at all" * 100)
    write_stream_sidecar(bad, {}, [])
    with pytest.raises(CaptureError, match="cannot be finished"):
        finish_stream_recording(bad)
    assert bad.exists()  # nothing is lost when it cannot be finished
