"""A failed pre-flight is a failure: exit 3 and nothing written, unless --keep-failed asks for the
file (still exit 3); a batch job whose output fails pre-flight is a failed job."""
from __future__ import annotations

import json

import av


def _frames(path) -> int:
    with av.open(str(path)) as c:
        return sum(1 for _ in c.decode(video=0))


def test_quick_that_fails_preflight_exits_3_and_writes_nothing(tmp_path, mediagen):
    clip = mediagen.write_clip(tmp_path / "short.mp4", seconds=2.0)  # Reels wants at least 3 s
    out = tmp_path / "out" / "r.mp4"
    out.parent.mkdir()
    proc = mediagen.run_studio("quick", clip, "-o", out, "--preset", "reels", "--quality", "draft")
    lines = mediagen.error_lines(proc.stderr)
    assert proc.returncode == 3, proc.stderr
    assert [line for line in lines if line.startswith("studio:")] == [lines[-1]]
    assert "not ready for reels" in lines[-1] and "shorter than" in lines[-1]
    assert list(out.parent.iterdir()) == []

    proc = mediagen.run_studio("quick", clip, "-o", out, "--preset", "reels", "--quality", "draft", "--keep-failed")
    assert proc.returncode == 3 and "FAILED" in proc.stdout
    assert _frames(out) == 60
    assert json.loads(out.with_suffix(".json").read_text())["preflight"]["passed"] is False


def test_batch_job_that_fails_preflight_is_failed(tmp_path, mediagen):
    from studio.model import save_project
    from studio.quick import build_quick_project

    clip = mediagen.write_clip(tmp_path / "short.mp4", seconds=2.0)
    project = save_project(build_quick_project([str(clip)], name="short"), tmp_path / "short.studio")
    out_dir = tmp_path / "batch"
    proc = mediagen.run_studio("batch", project, "--preset", "tiktok", "--preset", "reels", "--out-dir", out_dir,
                               "--quality", "draft", "--json", "--jobs", "2")
    assert proc.returncode == 3, proc.stderr
    jobs = {j["preset"]: j for j in json.loads(proc.stdout)["jobs"]}
    assert jobs["tiktok"]["state"] == "done" and jobs["reels"]["state"] == "failed"
    assert "not ready for reels" in jobs["reels"]["error"]
    assert sorted(p.name for p in out_dir.glob("*.mp4")) == ["short-tiktok.mp4"]

    proc = mediagen.run_studio("batch", project, "--preset", "reels", "--out-dir", out_dir, "--quality", "draft",
                               "--json", "--keep-failed")
    assert proc.returncode == 3
    [job] = json.loads(proc.stdout)["jobs"]
    assert job["state"] == "failed" and "file was kept" in job["error"]
    assert _frames(out_dir / "short-reels.mp4") == 60


def test_the_cli_says_when_it_replaces_an_earlier_export(tmp_path, mediagen):
    clip = mediagen.write_clip(tmp_path / "c.mp4", seconds=1.0)
    out = tmp_path / "o.mp4"
    first = mediagen.run_studio("quick", clip, "-o", out, "--quality", "draft", "--no-check")
    assert first.returncode == 0 and "replaced" not in first.stdout
    again = mediagen.run_studio("quick", clip, "-o", out, "--quality", "draft", "--no-check")
    assert again.returncode == 0 and "replaced the earlier o.mp4" in again.stdout
    assert _frames(out) == 30
