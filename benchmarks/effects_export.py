"""Export with face effects against the same export without them, in the same run.

Real webcam footage (../shared/media, copied to a temp folder so the tracking cache starts cold)
played in turn for --seconds, filled to 9:16, exported three times at Studio's standard quality:
  plain   - no effects
  cold    - face_sticker(sunglasses) + beauty, tracking runs (MediaPipe) during the export
  warm    - the same again: tracking comes from the on-disk cache
Target: cold / plain <= 1.5.

    python benchmarks/effects_export.py [--seconds 30]"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from export_reference import plan_clips  # noqa: E402
from studio.model import Clip, EffectRef, Project, Timeline, Track  # noqa: E402
from studio.model import edits  # noqa: E402
from studio.render.export import ExportOptions, export_project  # noqa: E402

FACE_EFFECTS = (EffectRef("face_sticker", {"sticker": "ar_sunglasses"}), EffectRef("beauty", {"strength": 0.6}))


def project(clips, effects) -> Project:
    timeline = Timeline((Track("video"),))
    for n, (path, frames) in enumerate(clips, start=1):
        timeline = edits.append_clip(timeline, Clip(f"clip-{n}", str(path), 0, frames, effects=effects))
    return Project(name="effects", timeline=timeline)


def timed_export(p: Project, out: Path) -> float:
    start = time.monotonic()
    export_project(p, out, ExportOptions(preflight=False, cover=False, sidecar=False))
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--media", default=str(ROOT.parent / "shared" / "media"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="studio-fx-"))
    for clip in Path(args.media).glob("webcam_*.mkv"):
        shutil.copy(clip, work / clip.name)
    clips = plan_clips(work, args.seconds)
    load = os.getloadavg()[0]
    plain = timed_export(project(clips, ()), work / "plain.mp4")
    cold = timed_export(project(clips, FACE_EFFECTS), work / "cold.mp4")
    warm = timed_export(project(clips, FACE_EFFECTS), work / "warm.mp4")
    print(json.dumps({"seconds_of_video": args.seconds, "plain_s": round(plain, 2), "face_effects_cold_s": round(cold, 2),
                      "face_effects_cached_s": round(warm, 2), "ratio_cold": round(cold / plain, 3),
                      "ratio_cached": round(warm / plain, 3), "load_before": round(load, 2)}, indent=2))
    print(f"face effects: {cold / plain:.2f}x plain with tracking, {warm / plain:.2f}x from the cache (target <= 1.5)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
