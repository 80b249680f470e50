"""An export never loses, overwrites or leaks a creator's files: outputs are never inputs, temp files
are exclusive, all outputs are published together, a full disk is one line, a killed export's temp
file is swept, and published metadata names no local folder."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from studio import cli
from studio.model import Clip, EffectRef, Metadata, Project, Timeline, Track, save_project
from studio.render.errors import ExportError
from studio.render.export import ExportOptions, export_project

FAST = ExportOptions(quality="draft", preflight=False)
ROOT = Path(__file__).resolve().parents[2]


def project_of(source: Path, frames: int = 30, caption: str = "", effects=()) -> Project:
    clip = Clip("c1", str(source), 0, frames, source_frames=frames, effects=tuple(effects))
    return Project(name="safety", fps=Fraction(30), timeline=Timeline((Track("video", (clip,)),)),
                   metadata=Metadata(caption=caption))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under `folder` (hidden ones too) with its content hash or link target."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        out[rel] = ("link:" + os.readlink(p)) if p.is_symlink() else ("dir" if p.is_dir() else digest(p))
    return out


def run_main(capsys, *argv) -> tuple[int, list[str]]:
    code = cli.main([str(a) for a in argv])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip() and "frames" not in line]
    return code, err


@pytest.fixture()
def clip(tmp_path, tone_clip) -> Path:
    folder = tmp_path / "same"
    folder.mkdir()
    target = folder / "face.mp4"
    target.write_bytes(tone_clip.read_bytes())
    return target


# ------------------------------------------------------------ 1. outputs are never inputs

def test_quick_refuses_to_write_over_its_source(clip, capsys):
    before = digest(clip)
    code, err = run_main(capsys, "quick", clip, "-o", clip, "--quality", "draft", "--no-check")
    assert code == cli.EXIT_BAD_INPUT
    assert len(err) == 1 and "overwrite the input face.mp4" in err[0]
    assert digest(clip) == before
    assert sorted(p.name for p in clip.parent.iterdir()) == ["face.mp4"]


def test_export_refuses_the_project_file_and_non_video_outputs(clip, capsys):
    project_file = save_project(project_of(clip), clip.parent / "p.studio")
    before = snapshot(clip.parent)
    for out in (project_file, clip.parent / "v.json", clip.parent / "v.cover.jpg"):
        code, err = run_main(capsys, "export", project_file, "-o", out, "--quality", "draft")
        assert code == cli.EXIT_BAD_INPUT, out
        assert len(err) == 1 and "must be a .mp4 file" in err[0]
    # the sidecar of p.mp4 would be p.json: a project saved under that name is refused too
    json_project = save_project(project_of(clip), clip.parent / "v.json")
    before = snapshot(clip.parent)
    code, err = run_main(capsys, "export", json_project, "-o", clip.parent / "v.mp4", "--quality", "draft")
    assert code == cli.EXIT_BAD_INPUT and len(err) == 1 and "overwrite the input v.json" in err[0]
    assert snapshot(clip.parent) == before


def test_an_output_linking_to_an_input_is_refused(clip, capsys):
    link = clip.parent / "out.mp4"
    link.symlink_to(clip)
    before = digest(clip)
    code, err = run_main(capsys, "quick", clip, "-o", link, "--quality", "draft", "--no-check")
    assert code == cli.EXIT_BAD_INPUT and len(err) == 1
    assert digest(clip) == before


def test_quick_save_project_may_not_replace_media(clip, capsys):
    before = digest(clip)
    code, err = run_main(capsys, "quick", clip, "-o", clip.parent / "o.mp4", "--save-project", clip,
                         "--quality", "draft", "--no-check")
    assert code == cli.EXIT_BAD_INPUT and len(err) == 1
    assert digest(clip) == before and not (clip.parent / "o.mp4").exists()


# ------------------------------------------------------------ 3. temp files: exclusive, never through links

def test_a_link_planted_at_the_old_temp_name_is_not_followed(clip, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = clip.parent / "x.mp4"
    for name in (".x.mp4.part", ".x.cover.jpg.tmp.jpg", ".x.json.tmp"):
        (clip.parent / name).symlink_to(victim)
    export_project(project_of(clip), out, FAST)
    assert victim.read_text() == "precious"
    with av.open(str(out)) as c:
        assert c.streams.video[0].frames == 30
    assert (out.stat().st_mode & 0o777) == 0o666 & ~0o022  # published with the usual rights, not 0600


def test_a_device_or_pipe_as_output_is_refused(clip, capsys):
    fifo = clip.parent / "pipe.mp4"
    os.mkfifo(fifo)
    code, err = run_main(capsys, "quick", clip, "-o", fifo, "--quality", "draft", "--no-check")
    assert code == cli.EXIT_BAD_INPUT and len(err) == 1 and "not a file" in err[0]
    assert fifo.is_fifo()


# ------------------------------------------------------------ 4. concurrent writers

def test_two_exports_to_one_path_leave_one_whole_matching_set(clip):
    out = clip.parent / "same.mp4"
    errors: list[BaseException] = []

    def run(caption: str) -> None:
        try:
            export_project(project_of(clip, 60, caption), out, FAST)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f"take {n} #t{n}",)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with av.open(str(out)) as c:
        frames = sum(1 for _ in c.decode(video=0))
        comment = c.metadata.get("comment")
    assert frames == 60
    side = json.loads(out.with_suffix(".json").read_text())
    assert side["caption"] == comment  # the sidecar belongs to the video beside it
    assert sorted(p.name for p in clip.parent.iterdir()) == ["face.mp4", "same.cover.jpg", "same.json", "same.mp4"]


# ------------------------------------------------------------ 2 and 5. full disk: one line, nothing lost

@pytest.fixture()
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True)
    if result.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder: Path, leave: int) -> None:
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with open(folder / "filler.bin", "wb") as f:
        f.write(b"\0" * max(0, free - leave))


def test_a_late_failure_keeps_the_previous_file(small_disk, clip, tmp_path):
    # sizes of this export's outputs, measured on a roomy disk
    probe_out = tmp_path / "measure.mp4"
    export_project(project_of(clip, 60), probe_out, FAST)
    video_size = probe_out.stat().st_size
    cover_size = probe_out.with_suffix(".cover.jpg").stat().st_size
    assert cover_size > 16384
    out = small_disk / "x.mp4"
    out.write_bytes(b"the creator's earlier export" * 100)
    before = digest(out)
    fill(small_disk, video_size + 8192 + cover_size // 4)  # the video fits, the cover does not
    listing = sorted(p.name for p in small_disk.iterdir())
    with pytest.raises(ExportError, match="no space left"):
        export_project(project_of(clip, 60), out, FAST)
    assert digest(out) == before
    assert sorted(p.name for p in small_disk.iterdir()) == listing


def test_a_full_disk_is_one_line(small_disk, clip, capsys):
    fill(small_disk, 4096)
    before = snapshot(small_disk)
    code, err = run_main(capsys, "quick", clip, "-o", small_disk / "y.mp4", "--quality", "draft", "--no-check")
    assert code == cli.EXIT_BAD_INPUT
    assert len(err) == 1 and err[0].startswith("studio: error:") and "no space left" in err[0]
    assert snapshot(small_disk) == before


# ------------------------------------------------------------ 6. a killed export's temp file is swept

def test_the_next_export_sweeps_a_killed_exports_temp_file(clip, mediagen):
    long_clip = mediagen.write_clip(clip.parent / "long.mp4", seconds=12)
    proc = subprocess.Popen([sys.executable, "-m", "studio", "quick", str(long_clip), "-o",
                             str(clip.parent / "killed.mp4"), "--quality", "high", "--no-check"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(p.name.startswith(".killed.mp4.") for p in clip.parent.iterdir()):
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert any(p.name.startswith(".killed.mp4.") for p in clip.parent.iterdir()), "the export never started"
    export_project(project_of(clip), clip.parent / "next.mp4", FAST)
    hidden = [p.name for p in clip.parent.iterdir() if p.name.startswith(".")]
    assert hidden == []
    assert not (clip.parent / "killed.mp4").exists()


def test_a_live_exports_temp_file_is_not_swept(clip):
    from studio.render.outputs import OutputSet, sweep_dead_parts

    live = OutputSet(clip.parent).part(clip.parent / "busy.mp4")  # this process is alive
    assert sweep_dead_parts(clip.parent) == []
    assert live.exists()


# ------------------------------------------------------------ 9. published files name no local folder

def test_published_metadata_names_no_local_path(clip, tmp_path):
    from studio.library.looks import get_look
    lut_dir = tmp_path / "private-folder-of-ann"
    lut_dir.mkdir()
    src = get_look("vivid").path
    lut = lut_dir / "mine.cube"
    lut.write_bytes(Path(src).read_bytes())
    out = clip.parent / "pub.mp4"
    export_project(project_of(clip, effects=[EffectRef("look", {"name": str(lut), "intensity": 1.0})]), out,
                   ExportOptions(quality="draft"))
    with av.open(str(out)) as c:
        tags = " ".join(c.metadata.values())
    side = out.with_suffix(".json").read_text()
    for published in (tags, side):
        assert "mine.cube" in published
        assert str(tmp_path) not in published and str(clip.parent) not in published
    assert json.loads(side)["preflight"]["target"] == "pub.mp4"
