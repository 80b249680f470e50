"""Odd and hostile sources: odd ones export upright at the right length, broken ones are refused with
exit 3, one line naming the file, and nothing written."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from studio.media.probe import probe
from studio.quick import build_quick_project
from studio.render.export import ExportOptions, export_project

FAST = ExportOptions(quality="draft", cover=False, sidecar=False, preflight=False)
RED = (230, 20, 20)
BODY = (40, 90, 160)


def upright(w: int, h: int, edge: int):
    """Pictures of a w x h display: a red band `edge` px high along the top, blue-grey below."""
    def picture(i):
        img = np.empty((h, w, 3), np.uint8)
        img[:] = BODY
        img[:edge] = RED
        img[h // 2: h // 2 + 6, (i * 5) % (w - 6):(i * 5) % (w - 6) + 6] = 255  # a little motion
        return img
    return picture


def _vfr_times(seconds=1.5):
    times, t, k = [], 0.0, 0
    while t < seconds:
        times.append(round(t, 3))
        t += (0.02, 0.05, 0.033)[k % 3]
        k += 1
    return times


def make_source(kind: str, folder: Path, gen) -> Path:
    path = folder / f"{kind}.mp4"
    if kind == "rotated":
        # the file stores the picture turned clockwise; the display matrix (90 ccw) turns it upright
        disp = upright(240, 320, 40)
        return gen.write_clip(path, size=(320, 240), seconds=1.5, rotation=90,
                              picture=lambda i: np.ascontiguousarray(np.rot90(disp(i), -1)))
    if kind == "vfr":
        return gen.write_clip(path, picture=upright(320, 240, 30), pts_s=_vfr_times())
    if kind == "10bit":
        return gen.write_clip(path, seconds=1.5, picture=upright(320, 240, 30), pix_fmt="yuv420p10le")
    if kind == "hevc":
        return gen.write_clip(path, seconds=1.5, picture=upright(320, 240, 30), codec="libx265")
    if kind == "odd":
        return gen.write_clip(path, size=(321, 241), seconds=1.5, picture=upright(321, 241, 30), pix_fmt="yuv444p")
    if kind == "no_audio":
        return gen.write_clip(path, seconds=1.5, picture=upright(320, 240, 30), audio=None)
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["rotated", "vfr", "10bit", "hevc", "odd", "no_audio"])
def test_odd_sources_export_upright_and_full_length(kind, tmp_path, mediagen):
    source = make_source(kind, tmp_path, mediagen)
    info = probe(source)
    if kind == "rotated":
        assert (info.width, info.height, info.rotation) == (240, 320, 90)
    if kind == "vfr":
        assert info.vfr
    out = tmp_path / "out.mp4"
    project = build_quick_project([str(source)], name="odd")
    result = export_project(project, out, FAST)
    decoded = mediagen.decode_info(out)
    assert (decoded.width, decoded.height, decoded.pix_fmt, decoded.profile) == (1080, 1920, "yuv420p", "High")
    assert decoded.fps == 30 and np.allclose(np.diff(decoded.frame_times), 1 / 30, atol=1e-4)
    assert abs(decoded.frames / 30 - info.duration) <= 1 / 30 + 1e-6, (decoded.frames, info.duration)
    assert decoded.frames == result.frames
    assert decoded.audio_rate == 48000 and decoded.audio_channels == 2  # silent track when the source has none
    frames = mediagen.decode_frames(out, [0, decoded.frames - 1])
    for frame in frames.values():
        top = frame[5:60, 200:880].reshape(-1, 3).mean(axis=0)
        body = frame[1000:1800, 200:880].reshape(-1, 3).mean(axis=0)
        assert top[0] > 170 and top[2] < 70, f"{kind}: the red top edge is not at the top ({top})"
        assert body[2] > 120 and body[0] < 80, f"{kind}: the body is not below it ({body})"


# ------------------------------------------------------------------ refused inputs (the CLI contract)

def _valid_mp4(folder: Path, gen, faststart: bool) -> bytes:
    folder = folder / "make"
    folder.mkdir()
    path = gen.write_clip(folder / "valid.mp4", seconds=2)
    if faststart:  # moov first, as Studio and phones write it: the first half still probes
        out = folder / "valid_fs.mp4"
        export_project(build_quick_project([str(path)]), out, FAST)
        path = out
    data = path.read_bytes()
    shutil.rmtree(folder)
    return data


BAD_INPUTS = {
    "zero": lambda folder, gen: b"",
    "garbage": lambda folder, gen: bytes(np.random.default_rng(1).integers(0, 256, 50_000, dtype=np.uint8)),
    "text": lambda folder, gen: b"this is not a video\n" * 100,
    "truncated": lambda folder, gen: (lambda d: d[: len(d) // 2])(_valid_mp4(folder, gen, False)),
    "truncated_faststart": lambda folder, gen: (lambda d: d[: len(d) // 2])(_valid_mp4(folder, gen, True)),
}


def assert_refused(proc, name: str, folder: Path, keep: set[str], gen) -> None:
    assert proc.returncode == 3, (proc.returncode, proc.stderr[-2000:])
    lines = gen.error_lines(proc.stderr)
    assert len(lines) == 1, proc.stderr
    assert name in lines[0] and "Traceback" not in proc.stderr
    assert {p.name for p in folder.iterdir()} == keep, "something was left behind"


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_quick_refuses_bad_media(kind, tmp_path, mediagen):
    bad = tmp_path / f"bad_{kind}.mp4"
    bad.write_bytes(BAD_INPUTS[kind](tmp_path, mediagen))
    proc = mediagen.run_studio("quick", bad, "-o", tmp_path / "out.mp4", "--quality", "draft")
    assert_refused(proc, bad.name, tmp_path, {bad.name}, mediagen)


@pytest.fixture
def saved_project(tmp_path, tone_clip):
    from studio.model import save_project

    project = build_quick_project([str(tone_clip)], texts=["Hi"], name="p")
    path = save_project(project, tmp_path / "p.studio")
    return path


def test_export_refuses_a_bad_field(saved_project, tmp_path, mediagen):
    data = json.loads(saved_project.read_text())
    clip = data["timeline"]["tracks"][0]["items"][0]
    clip["fit"] = "stretch"
    saved_project.write_text(json.dumps(data))
    proc = mediagen.run_studio("export", saved_project, "-o", tmp_path / "out.mp4", "--quality", "draft")
    assert_refused(proc, "p.studio", tmp_path, {"p.studio"}, mediagen)
    assert "fit" in proc.stderr and "stretch" in proc.stderr


def test_export_refuses_invalid_json(tmp_path, mediagen):
    bad = tmp_path / "broken.studio"
    bad.write_text('{"schema": "studio.project", "version": 1, ')
    proc = mediagen.run_studio("export", bad, "-o", tmp_path / "out.mp4")
    assert_refused(proc, "broken.studio", tmp_path, {"broken.studio"}, mediagen)


def test_export_refuses_missing_media(tmp_path, mediagen):
    from studio.model import save_project

    source = mediagen.write_clip(tmp_path / "vanishing.mp4", seconds=1)
    path = save_project(build_quick_project([str(source)], name="p"), tmp_path / "p.studio")
    source.unlink()
    proc = mediagen.run_studio("export", path, "-o", tmp_path / "out.mp4", "--quality", "draft")
    assert_refused(proc, "vanishing.mp4", tmp_path, {"p.studio"}, mediagen)


@pytest.mark.parametrize("args", [
    [],  # nothing to export
    ["export", "p.studio"],  # no -o
    ["export", "p.studio", "-o", "x.mp4", "--preset", "myspace"],
    ["export", "p.studio", "-o", "x.mp4", "--crf", "99"],
    ["quick", "-o", "x.mp4"],
    ["batch", "p.studio"],  # no --out-dir
    ["library", "fonts"],
    ["frobnicate"],
])
def test_usage_errors_exit_2(args, tmp_path, mediagen):
    if not args:
        args = ["export"]
    proc = mediagen.run_studio(*args, cwd=tmp_path)
    assert proc.returncode == 2, (args, proc.returncode, proc.stderr)
    assert "usage:" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []
