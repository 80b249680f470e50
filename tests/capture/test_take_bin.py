"""Deleted takes wait in a bin beside them: restorable byte for byte, gone only when the session
ends, and bins of sessions that died are swept by the next one."""
import os
import subprocess

from studio.capture import TakeBin, sweep_dead_bins, take_files


def _take(folder, name, payload):
    video = folder / f"{name}.mp4"
    video.write_bytes(payload)
    video.with_suffix(".studio").write_text('{"take": "%s"}' % name)
    return video


def test_delete_restore_and_empty(tmp_path):
    a, b = _take(tmp_path, "take-1", b"A" * 1000), _take(tmp_path, "take-2", b"B" * 2000)
    bin_ = TakeBin()
    gone = bin_.delete(b)
    assert take_files(b) == [] and take_files(a) == [a, a.with_suffix(".studio")]
    bin_.restore(gone)
    assert b.read_bytes() == b"B" * 2000 and b.with_suffix(".studio").read_text() == '{"take": "take-2"}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["take-1.mp4", "take-1.studio", "take-2.mp4", "take-2.studio"]
    bin_.delete(b)
    bin_.empty()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["take-1.mp4", "take-1.studio"]


def test_restore_refuses_to_overwrite_a_new_file_of_the_same_name(tmp_path):
    take = _take(tmp_path, "take-1", b"old")
    bin_ = TakeBin()
    gone = bin_.delete(take)
    take.write_bytes(b"new")  # a new take got the name meanwhile
    try:
        bin_.restore(gone)
        raise AssertionError("restore overwrote a file")
    except FileExistsError as exc:
        assert "take-1.mp4" in str(exc)
    assert take.read_bytes() == b"new"


def test_bins_of_dead_sessions_are_swept_and_live_ones_kept(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    for pid in (dead.pid, os.getppid()):
        folder = tmp_path / ".deleted" / str(pid)
        folder.mkdir(parents=True)
        (folder / "1-take.mp4").write_bytes(b"x")
    assert sweep_dead_bins(tmp_path) == 1
    assert [p.name for p in (tmp_path / ".deleted").iterdir()] == [str(os.getppid())]
