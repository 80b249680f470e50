"""Render once per distinct picture: jobs whose streams would be the same share one render, and each
other output is a stream copy with its own tags, cover, sidecar and pre-flight. The copies' packets
are the packets a standalone export writes; groups are decided from the preset data."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import av
import numpy as np
import pytest

from stream_compare import assert_same_streams
from studio.model import TextItem, Track, load_project, save_project
from studio.render.presets import PRESETS


def _packets(path: Path) -> dict[str, list[tuple]]:
    """(stream kind) -> [(seconds, duration, keyframe, bytes)] of every packet."""
    out: dict[str, list] = {}
    with av.open(str(path)) as c:
        for p in c.demux():
            if p.size:
                out.setdefault(p.stream.type, []).append(
                    (float(p.pts * p.time_base), float((p.duration or 0) * p.time_base), p.is_keyframe, bytes(p)))
    return out


def _streams(path: Path) -> list[tuple]:
    with av.open(str(path)) as c:
        return [(s.type, s.codec_context.name, s.time_base, s.metadata.get("language"),
                 getattr(s.codec_context, "width", None), getattr(s.codec_context, "height", None),
                 s.codec_context.extradata) for s in c.streams]


@pytest.fixture(scope="module")
def captioned(tmp_path_factory, mediagen) -> Path:
    """A 2 s project with a title and a Captions track (so the soft subtitle track is copied too)."""
    from studio.quick import build_quick_project

    folder = tmp_path_factory.mktemp("render_once")
    clip = mediagen.write_clip(folder / "clip.mp4", seconds=2)
    project = build_quick_project([str(clip)], texts=["Hook"], caption="Once #render", name="once")
    line = TextItem("cap-1", 0, 45, "hello there", style="classic", y=0.8)
    project = dataclasses.replace(project, timeline=dataclasses.replace(
        project.timeline, tracks=(*project.timeline.tracks, Track("overlay", (line,), name="Captions"))))
    return save_project(project, folder / "once.studio")


def test_groups_come_from_preset_data_not_names(captioned):
    from studio.render.batch import Job
    from studio.render.render_once import group_jobs, render_key

    tiktok = PRESETS["tiktok"]
    # the three platforms differ only in rules (limits, caption length, hashtags, safe zones)
    assert render_key(tiktok) == render_key(PRESETS["reels"]) == render_key(PRESETS["shorts"])
    assert render_key(dataclasses.replace(tiktok, id="x", caption_chars=1, max_seconds=5, min_seconds=4)) == \
        render_key(tiktok)
    for change in ({"target_lufs": -16.0}, {"width": 720, "height": 1280}, {"fps": 60}, {"max_true_peak": -2.0}):
        assert render_key(dataclasses.replace(tiktok, **change)) != render_key(tiktok), change
    assert render_key(tiktok, "draft") != render_key(tiktok, "standard")
    assert render_key(tiktok, crf=30) != render_key(tiktok)
    assert render_key(tiktok, captions_language="de") != render_key(tiktok)

    folder = captioned.parent
    project = load_project(captioned)
    # same picture, other caption and cover: shares the render (tags, cover and sidecar are per output)
    meta_only = save_project(dataclasses.replace(project, name="other", metadata=dataclasses.replace(
        project.metadata, caption="another caption", cover_frame=10)), folder / "meta.studio")
    hook = next(i for i in project.timeline.all_items() if isinstance(i, TextItem) and i.content == "Hook")
    other_text = save_project(dataclasses.replace(project, timeline=dataclasses.replace(project.timeline, tracks=tuple(
        dataclasses.replace(t, items=tuple(dataclasses.replace(i, content="New") if i is hook else i
                                           for i in t.items)) for t in project.timeline.tracks))),
        folder / "text.studio")
    jobs = [Job(1, captioned, "tiktok", folder / "a.mp4"), Job(2, captioned, "reels", folder / "b.mp4"),
            Job(3, meta_only, "shorts", folder / "c.mp4"), Job(4, other_text, "tiktok", folder / "d.mp4"),
            Job(5, captioned, "shorts", folder / "e.mp4", captions_language="de"),
            Job(6, folder / "missing.studio", "tiktok", folder / "f.mp4")]
    assert [[j.id for j in g] for g in group_jobs(jobs)] == [[1, 2, 3], [4], [5], [6]]
    assert [[j.id for j in g] for g in group_jobs(jobs[:2], "draft")] == [[1, 2]]


def test_one_render_three_platforms(captioned, tmp_path):
    """tiktok renders; shorts and reels are copies. The shorts copy has the packets of a standalone
    shorts export; reels (at least 3 s) fails its own pre-flight on a 2 s video and is not written."""
    from studio.render.batch import BatchRunner, plan_jobs
    from studio.render.export import ExportOptions, export_project

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    jobs = plan_jobs([captioned], ["tiktok", "shorts", "reels"], out_dir)
    runner = BatchRunner(jobs, workers=2, quality="draft")
    assert len(runner.groups) == 1
    updates = []
    statuses = {s.job.preset: s for s in runner.run(lambda s: updates.append((s.job.id, s.state, s.fraction)))}
    assert statuses["tiktok"].state == statuses["shorts"].state == "done", statuses
    assert statuses["reels"].state == "failed" and "not ready for reels: 2.0 s is shorter" in statuses["reels"].error
    assert statuses["shorts"].result["rendered_once"] is True
    for job in jobs:  # progress per job, from the shared render
        mine = [u for u in updates if u[0] == job.id]
        assert mine[0][1] == "running" and any(0 < f < 1 for _, st, f in mine if st == "running")
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "once-shorts.cover.jpg", "once-shorts.json", "once-shorts.mp4",
        "once-tiktok.cover.jpg", "once-tiktok.json", "once-tiktok.mp4"]  # nothing of reels, no temp files

    alone = export_project(load_project(captioned), tmp_path / "alone.mp4",
                           ExportOptions(preset="shorts", quality="draft"))
    copy = out_dir / "once-shorts.mp4"
    a, b = _packets(alone.path), _packets(copy)
    assert set(a) == set(b) == {"video", "audio", "subtitle"}
    assert a["subtitle"] == b["subtitle"]
    # (a standalone export is an encode of its own: see stream_compare for why bytes may differ)
    assert_same_streams(alone.path, copy)
    assert _streams(alone.path) == _streams(copy)
    with av.open(str(copy)) as c:
        assert c.metadata["comment"] == "Once #render" and c.metadata["encoder"].startswith("Studio")
    side = json.loads((out_dir / "once-shorts.json").read_text())
    assert side["preset"] == "shorts" and side["preflight"]["preset"] == "shorts" and side["preflight"]["passed"]
    assert side["cover"] == "once-shorts.cover.jpg" and side["encode"]["rendered_once"] is True
    assert side["loudness"] == alone.loudness
    assert (out_dir / "once-shorts.cover.jpg").read_bytes() == alone.cover.read_bytes()


def test_copy_gets_its_own_tags_and_cover(captioned, tmp_path):
    """A project that differs only in caption and cover frame shares the render: its copy carries
    its own caption tag and a cover of its own frame."""
    from studio.render.render_once import MasterFolder, publish_copy, render_master

    project = load_project(captioned)
    other = dataclasses.replace(project, metadata=dataclasses.replace(project.metadata, caption="Other words",
                                                                      cover_frame=50))
    with MasterFolder() as folder:
        master, cover = render_master(project, "tiktok", folder, quality="draft", crf=None, captions_language=None,
                                      progress=None, cancel=None)
        result = publish_copy(master, cover, project, other, "shorts", tmp_path / "other.mp4", quality="draft")
        assert _packets(tmp_path / "other.mp4") == _packets(master.path)
    assert result.preflight["passed"] and result.preflight["preset"] == "shorts"
    with av.open(str(tmp_path / "other.mp4")) as c:
        assert c.metadata["comment"] == "Other words #render"
    import cv2

    mine = cv2.imdecode(np.frombuffer((tmp_path / "other.cover.jpg").read_bytes(), np.uint8), cv2.IMREAD_COLOR)
    first = cv2.imdecode(np.frombuffer(cover, np.uint8), cv2.IMREAD_COLOR)
    assert mine.shape == first.shape and np.abs(mine.astype(int) - first.astype(int)).mean() > 1  # the bar moved
