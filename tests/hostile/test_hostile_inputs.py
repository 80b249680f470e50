"""The hostile-input suite: a few hundred generated `studio` command lines over project fields,
media, paths, looks and output targets. Each must end with exit 3 and one line on stderr — no
traceback — change no file anywhere, and stay under the memory ceiling the README states."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hostile_cases import build_cases

HERE = Path(__file__).resolve().parent
CEILING_MB = 1536     # the README's promise for any one export
LIMIT_S = 60
NOISE = ("INFO: Created TensorFlow", "WARNING: All log messages", "W0000", "I0000", "E0000")


@pytest.fixture(scope="module")
def results(tmp_path_factory, mediagen) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("hostile")
    media = root / "media"
    media.mkdir()
    clip = mediagen.write_clip(media / "clip.mp4", seconds=1.0)
    sound = mediagen.write_clip(media / "sound.mp4", seconds=1.0, size=(64, 48))
    cases = build_cases(root, clip, sound)
    spec = root.parent / f"{root.name}-cases.json"
    out = root.parent / f"{root.name}-results.json"
    spec.write_text(json.dumps({"ceiling_mb": CEILING_MB, "limit_s": LIMIT_S, "cases": cases}))
    env = {**os.environ, "STUDIO_USER_DATA": str(root / "userdata"), "XDG_CACHE_HOME": str(root / "cache"),
           "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": str(HERE.parents[1])}
    subprocess.run([sys.executable, str(HERE / "case_runner.py"), str(spec), str(out)], env=env, check=True,
                   timeout=1200)
    return {r["id"]: r for r in json.loads(out.read_text())}


def _case_ids() -> list[str]:
    """The case ids, built once in a scratch folder at collection time (cheap: small files only)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "m").mkdir()
        clip = root / "m" / "clip.mp4"
        clip.write_bytes(b"\0" * 64)
        return [c["id"] for c in build_cases(root, clip, clip)]


CASE_IDS = _case_ids()


def test_there_are_enough_cases():
    kinds = {case_id.split("-")[0] for case_id in CASE_IDS}
    assert len(CASE_IDS) >= 200
    assert {"field", "keyframe", "text", "metadata", "range", "clip", "sound", "sticker", "project", "output",
            "look"} <= kinds


@pytest.mark.parametrize("case_id", CASE_IDS)
@pytest.mark.timeout(1500)  # the first case waits for the whole run (about 2 min here)
def test_hostile_input_fails_cleanly(results, case_id):
    r = results[case_id]
    lines = [line for line in r["stderr"].splitlines() if line.strip() and not line.startswith(NOISE)]
    assert r["killed"] is None, f"{case_id}: {r['killed']}"
    assert "Traceback" not in r["stderr"], r["stderr"][-3000:]
    assert r["code"] == 3, f"exit {r['code']}: {r['stderr'][-2000:]} {r['stdout'][-500:]}"
    assert len(lines) == 1 and lines[0].startswith("studio: error: "), lines
    assert len(lines[0]) < 400, lines[0]
    assert r["changed"] == [], r["changed"]
    assert r["peak_mb"] < CEILING_MB
