"""Write assets/templates/<id>.json, <id>.webp (animated preview, rendered from the template) and
library.json. Run: python -m tools.gen_templates [ID...]"""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from studio.library.paths import assets_dir
from studio.templates import read_template_file
from studio.templates.format import template_json
from studio.templates.preview import make_preview

from .designs import DESIGNS


def main(argv: list[str] | None = None, out_dir: Path | None = None) -> None:
    only = set(argv if argv is not None else sys.argv[1:])
    out_dir = out_dir or assets_dir() / "templates"
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for design in DESIGNS:
        template = design().template()
        entries.append({"id": template.id, "title": template.title, "file": f"{template.id}.json",
                        "preview": f"{template.id}.webp"})
        if only and template.id not in only:
            continue
        path = out_dir / f"{template.id}.json"
        template = dataclasses.replace(template, preview=out_dir / f"{template.id}.webp")
        path.write_text(template_json(template), encoding="utf-8")
        template = read_template_file(path, origin="library")  # as the app will read it
        preview = make_preview(template, out_dir / f"{template.id}.webp")
        print(f"{template.id}: {len(template.slots)} slots, {template.duration_seconds:.2f} s, "
              f"preview {preview.stat().st_size / 1000:.0f} KB", file=sys.stderr)
    manifest = {"generator": "tools/gen_templates", "licence": "CC0-1.0", "templates": entries}
    (out_dir / "library.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
