"""A variants table x presets as batch jobs: each variant applied to the project and saved as a
project file of its own (the worker processes read files), one job per variant x preset, named
PROJECT-VARIANT-PRESET.mp4. Everything is checked before anything renders."""
from __future__ import annotations

import os
from pathlib import Path

from studio.model import load_project, save_project
from studio.render.batch import Job
from studio.render.outputs import output_paths

from .variants import Variant, apply_variant, check_variants


def plan_variant_jobs(project_file: Path, variants: list[Variant], presets: list[str], out_dir: Path,
                      work_dir: Path, *, keep_existing: bool = False) -> list[Job]:
    """`work_dir`: where the variants' project files go (a temp folder the caller removes).
    Raises VariantError (one line: row and column) for a variant that does not fit the project."""
    project = load_project(project_file)
    check_variants(project, variants)
    stem = Path(project_file).name.split(".")[0] or "project"
    jobs: list[Job] = []
    names: set[str] = set()
    for v in variants:
        snapshot = save_project(apply_variant(project, v), Path(work_dir) / f"{stem}-{v.slug}.studio")
        for preset in presets:
            name, n = f"{stem}-{v.slug}-{preset}.mp4", 2
            while name in names or keep_existing and any(
                    os.path.lexists(p) for p in (out_dir / name, *output_paths(out_dir / name))):
                name, n = f"{stem}-{v.slug}-{n}-{preset}.mp4", n + 1
            names.add(name)
            jobs.append(Job(len(jobs) + 1, snapshot, preset, Path(out_dir) / name, variant=v.name,
                            captions_language=v.language))
    return jobs
