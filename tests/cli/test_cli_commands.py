"""The `studio` command run as a user runs it: quick, export of a saved project, check, batch,
library, demo and --version, with outputs decoded back."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import av
import numpy as np
import pytest

from studio import __version__
from studio.media.audio import load_audio
from studio.media.loudness import measure
from studio.media.probe import probe
from studio.media.mp4_boxes import moov_before_mdat as _moov_before_mdat


def assert_platform_video(path: Path, gen, duration: float) -> SimpleNamespace:
    info = gen.decode_info(path)
    assert (info.width, info.height) == (1080, 1920)
    assert info.codec == "h264" and info.profile == "High" and info.pix_fmt == "yuv420p"
    assert info.fps == 30 and np.allclose(np.diff(info.frame_times), 1 / 30, atol=1e-4)
    assert info.audio_codec == "aac" and (info.audio_rate, info.audio_channels) == (48000, 2)
    assert _moov_before_mdat(path) is True
    assert abs(info.frames / 30 - duration) <= 1 / 30 + 1e-6, (info.frames, duration)
    return info


@pytest.fixture(scope="module")
def webcam_quick(tmp_path_factory, mediagen):
    source = mediagen.shared_media / "webcam_book.mkv"
    if not source.is_file():
        pytest.skip(f"shared webcam footage not present ({source})")
    folder = tmp_path_factory.mktemp("quick")
    out, project_file = folder / "book.mp4", folder / "book.studio"
    proc = mediagen.run_studio("quick", source, "-o", out, "--text", "Reading time", "--text", "Page two",
                               "--sound", "sunny-pop", "--caption", "Hello #tag1 #tag2", "--creator", "Ann",
                               "--save-project", project_file, "--quality", "draft", "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return SimpleNamespace(source=source, out=out, project_file=project_file, folder=folder,
                           summary=json.loads(proc.stdout))


def test_quick_webcam_export(webcam_quick, mediagen):
    source_duration = probe(webcam_quick.source).duration
    assert_platform_video(webcam_quick.out, mediagen, source_duration)
    loud = measure(load_audio(webcam_quick.out), 48000)
    assert abs(loud.integrated_lufs + 14) <= 1.0, loud
    with av.open(str(webcam_quick.out)) as c:
        tags = dict(c.metadata)
    assert tags["comment"] == "Hello #tag1 #tag2" == tags["description"]
    assert tags["keywords"] == "tag1,tag2" and tags["artist"] == "Ann"
    side = json.loads(webcam_quick.out.with_suffix(".json").read_text())
    assert side["caption"] == "Hello #tag1 #tag2" and side["hashtags"] == ["tag1", "tag2"]
    assert [s["id"] for s in side["sounds"]] == ["sunny-pop"]
    summary = webcam_quick.summary
    assert summary["output"] == str(webcam_quick.out) and summary["preflight"]["passed"] is True
    assert summary["frames"] == round(source_duration * 30)


def test_quick_layout(webcam_quick):
    """The title covers the first 3 s, the later text the rest; the sound plays under the whole clip."""
    from studio.model import SoundItem, TextItem, load_project

    project = load_project(webcam_quick.project_file)
    texts = sorted((i for i in project.timeline.all_items() if isinstance(i, TextItem)), key=lambda i: i.start)
    assert [t.content for t in texts] == ["Reading time", "Page two"]
    assert (texts[0].start, texts[0].end) == (0, 90)
    assert texts[1].start == 90 and texts[1].end == project.duration
    sound = next(i for i in project.timeline.all_items() if isinstance(i, SoundItem))
    assert sound.source == "sunny-pop" and (sound.start, sound.end) == (0, project.duration)


def test_saved_project_reexports(webcam_quick, mediagen, tmp_path):
    out = tmp_path / "again.mp4"
    proc = mediagen.run_studio("export", webcam_quick.project_file, "-o", out, "--quality", "draft", "--no-check",
                               "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    first, second = mediagen.decode_info(webcam_quick.out), mediagen.decode_info(out)
    assert second.frames == first.frames and (second.width, second.height) == (1080, 1920)
    a, b = (mediagen.decode_frames(p, [45])[45].astype(int) for p in (webcam_quick.out, out))
    assert np.abs(a - b).mean() < 4  # the same picture


def test_check_passes_on_the_export(webcam_quick, mediagen):
    proc = mediagen.run_studio("check", webcam_quick.out, "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["passed"] is True and report["errors"] == 0
    assert report["measured"]["width"] == 1080 and report["measured"]["video_codec"] == "h264"


def test_check_reports_a_landscape_file(tone_clip, mediagen):
    proc = mediagen.run_studio("check", tone_clip, "--json")
    assert proc.returncode == 3
    report = json.loads(proc.stdout)
    assert report["passed"] is False
    assert any(f["code"] == "aspect" and f["level"] == "error" and "320x240" in f["message"]
               for f in report["findings"])


def test_batch_good_and_bad(tmp_path, tone_clip, mediagen):
    from studio.model import save_project
    from studio.quick import build_quick_project

    good = [save_project(build_quick_project([str(tone_clip)], texts=[f"Job {k}"], name=f"good{k}"),
                         tmp_path / f"good{k}.studio") for k in (1, 2)]
    doomed = mediagen.write_clip(tmp_path / "doomed.mp4", seconds=1)
    bad = save_project(build_quick_project([str(doomed)], name="bad"), tmp_path / "bad.studio")
    doomed.unlink()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "good2-tiktok.mp4").write_bytes(b"an earlier batch's file")  # replaced, and said so
    proc = mediagen.run_studio("batch", good[0], bad, good[1], "--preset", "tiktok", "--jobs", "2",
                               "--out-dir", out_dir, "--quality", "draft", "--json")
    assert proc.returncode == 3, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)
    assert summary["done"] == 2 and summary["failed"] == 1
    jobs = {Path(j["project"]).name: j for j in summary["jobs"]}
    assert jobs["bad.studio"]["state"] == "failed" and "doomed.mp4" in jobs["bad.studio"]["error"]
    assert "\n" not in jobs["bad.studio"]["error"]
    for name in ("good1.studio", "good2.studio"):
        job = jobs[name]
        assert job["state"] == "done" and job["preset"] == "tiktok" and job["error"] is None
        assert job["result"]["preflight_passed"] is True
        assert job["replaced"] is (name == "good2.studio")
        assert_platform_video(Path(job["out"]), mediagen, 2.0)
    assert sorted(p.name for p in out_dir.iterdir() if p.suffix == ".mp4") == ["good1-tiktok.mp4",
                                                                            "good2-tiktok.mp4"]
    assert not any(p.name.startswith(".") for p in out_dir.iterdir()), "temp files left"


def test_batch_runner_reports_progress_per_job(tmp_path, tone_clip):
    from studio.model import save_project
    from studio.quick import build_quick_project
    from studio.render.batch import BatchRunner, plan_jobs

    project = save_project(build_quick_project([str(tone_clip)], name="p"), tmp_path / "p.studio")
    jobs = plan_jobs([project], ["tiktok", "shorts"], tmp_path)
    assert [j.out.name for j in jobs] == ["p-tiktok.mp4", "p-shorts.mp4"]
    updates = []
    statuses = BatchRunner(jobs, workers=2, quality="draft").run(
        lambda s: updates.append((s.job.id, s.state, s.fraction)))
    assert [s.state for s in statuses] == ["done", "done"]
    for job in jobs:
        mine = [u for u in updates if u[0] == job.id]
        assert mine[0][1] == "running" and mine[-1][1:] == ("done", 1.0)
        fractions = [f for _, state, f in mine if state == "running"]
        assert fractions == sorted(fractions)


def test_version(mediagen):
    proc = mediagen.run_studio("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"studio {__version__}"


def test_help(mediagen):
    proc = mediagen.run_studio("--help")
    assert proc.returncode == 0
    for command in ("export", "quick", "batch", "check", "library", "demo"):
        assert command in proc.stdout


def test_library_listings(mediagen):
    counts = {}
    for kind in ("sounds", "stickers", "styles", "looks", "effects"):
        proc = mediagen.run_studio("library", kind, "--json")
        assert proc.returncode == 0, proc.stderr
        counts[kind] = rows = json.loads(proc.stdout)
        assert all(isinstance(r, dict) and r["id"] for r in rows)
        assert len({r["id"] for r in rows}) == len(rows)
    assert len(counts["sounds"]) >= 16 and all(r["licence"] and r["artist"] for r in counts["sounds"])
    assert len(counts["stickers"]) >= 30
    assert sum(r["anchor"] is not None for r in counts["stickers"]) >= 8
    assert len(counts["looks"]) >= 10
    assert "look" in {r["id"] for r in counts["effects"]} and "classic" in {r["id"] for r in counts["styles"]}


def test_demo(tmp_path, mediagen):
    proc = mediagen.run_studio("demo", "--dir", tmp_path / "demo", "--quality", "draft", "--no-check", "--json",
                               timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = tmp_path / "demo" / "demo.mp4"
    info = assert_platform_video(out, mediagen, 8.0)
    assert info.frames == 240
    side = json.loads(out.with_suffix(".json").read_text())
    assert [s["id"] for s in side["sounds"]] == ["sunny-pop"]
    assert {"id": "look", "params": {"name": "vivid", "intensity": 0.8}} in side["effects"]
    assert abs(side["loudness"]["integrated_lufs"] + 14) <= 1


def test_quick_layout_of_texts_stickers_and_sound(tone_clip, silent_clip, engine_media, mediagen):
    """Clips in order; title over the first 3 s, later texts spread over the rest; stickers inside every
    platform's safe zone, clear of each other, of the title and of the centre; the sound under the clips."""
    from studio.library.stickers import list_stickers, load_sticker_frames
    from studio.model import Clip, SoundItem, StickerItem, TextItem
    from studio.quick import build_quick_project
    from studio.render.canvas import RGB
    from studio.render.compositor import Renderer
    from studio.render.preflight import text_boxes
    from studio.render.presets import PRESETS

    still = mediagen.write_png(engine_media / "layout_still.png", mediagen.solid(400, 300, (90, 90, 90)))
    tallest = max(list_stickers(), key=lambda s: load_sticker_frames(s)[0].shape[0] / load_sticker_frames(s)[0].shape[1])
    stickers = [tallest.id, "heart_red", "face_cool", tallest.id]
    project = build_quick_project([str(tone_clip), str(still)], texts=["Title", "Second", "Third"],
                                  stickers=stickers, sound="sunny-pop")
    items = project.timeline.all_items()
    clips = [i for i in items if isinstance(i, Clip)]
    assert [(c.start, c.duration) for c in clips] == [(0, 60), (60, 90)]
    assert clips[1].source == str(still.resolve())
    texts = sorted((i for i in items if isinstance(i, TextItem)), key=lambda i: i.start)
    assert [(t.start, t.end) for t in texts] == [(0, 90), (90, 120), (120, 150)]
    sound = next(i for i in items if isinstance(i, SoundItem))
    assert (sound.start, sound.end) == (0, 150) and sound.volume_db < -6  # under the clip's own audio
    alone = build_quick_project([str(silent_clip)], sound="sunny-pop")
    assert next(i for i in alone.timeline.all_items() if isinstance(i, SoundItem)).volume_db == 0

    with Renderer() as renderer:
        cache = renderer.overlay_cache(RGB)
        boxes = []
        for item in (i for i in items if isinstance(i, StickerItem)):
            placed = cache.sticker_item(item, 0, project.fps, 1080, 1920, RGB)
            boxes.append((placed.x, placed.y, placed.x + placed.sprite.width, placed.y + placed.sprite.height))
        title_box = next(box for item, box in text_boxes(project, renderer) if item.content == "Title")
    for x0, y0, x1, y1 in boxes:
        for preset in PRESETS.values():
            sx0, sy0, sx1, sy1 = preset.safe_zone.rect(1080, 1920)
            assert sx0 <= x0 and sy0 <= y0 and x1 <= sx1 and y1 <= sy1, (preset.id, (x0, y0, x1, y1))
        assert not (x0 < 540 < x1 and y0 < 860 < y1), "a sticker covers the centre"
    overlap = lambda a, b: a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]  # noqa: E731
    assert not any(overlap(a, b) for k, a in enumerate(boxes) for b in boxes[k + 1:])
    assert not any(overlap(box, title_box) for box in boxes)


def test_ctrl_c_exits_130_and_leaves_nothing(tmp_path, mediagen):
    import signal
    import subprocess
    import sys

    # long enough that the export is still running when the signal comes, even on a quiet machine
    source = mediagen.write_clip(tmp_path / "long.mp4", seconds=40, size=(160, 120))
    out = tmp_path / "out.mp4"
    proc = subprocess.Popen([sys.executable, "-m", "studio", "quick", str(source), "-o", str(out),
                             "--quality", "draft"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:  # the progress bar's first line: the encode is running
            if "frames" in line:
                break
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "cancelled" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.mp4"]
