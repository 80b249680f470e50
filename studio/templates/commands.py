"""`studio template list|apply|save`.

    studio template list [--json]
    studio template apply TEMPLATE MEDIA... -o OUT.mp4 [--text SLOT=TEXT]... [--save-project FILE]
                          [--preset P] [--quality Q] [--crf N] [--no-check] [--keep-failed] [--json]
    studio template save PROJECT -o NAME [--replace] [--no-preview]

The export goes through the same path as `studio quick` (progress, pre-flight, exit codes): the
command line hands its export helpers to `register`, so this layer never imports the CLI (which
reaches into the window). Bad input (unknown template or text slot, a file that is not media) is
one line and exit 3.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable

from .errors import TemplateError

EXIT_OK = 0


def register(sub, add_export_options: Callable, export: Callable) -> None:
    """Add `template` and its actions to the `studio` parser. `add_export_options(parser)` adds
    --preset/--quality/...; `export(project, out, args, label, inputs)` exports and returns the
    exit status."""
    p = sub.add_parser("template", help="templates: list them, fill one with your media, keep a project as one")
    actions = p.add_subparsers(dest="template_action", metavar="ACTION", required=True)

    q = actions.add_parser("list", help="list the built-in templates and your own")
    q.add_argument("--json", action="store_true", help="print them as JSON (slots, texts, cut times, preview)")
    q.set_defaults(func=cmd_list)

    q = actions.add_parser("apply", help="fill a template's slots with your photos and videos and export")
    q.add_argument("template", help="template id (see `studio template list`) or a template .json file")
    q.add_argument("media", nargs="+", help="photos and videos, in slot order (fewer are repeated)")
    q.add_argument("-o", "--output", required=True)
    q.add_argument("--text", action="append", default=[], metavar="SLOT=TEXT",
                   help="replace a text slot's words, e.g. --text title='Lisbon in 3 days' (an empty text removes it)")
    q.add_argument("--save-project", metavar="FILE", help="also write the project it built (to edit it further)")
    add_export_options(q)
    q.set_defaults(func=cmd_apply, template_export=export)

    q = actions.add_parser("save", help="keep a project as your own template (its clips become slots)")
    q.add_argument("project")
    q.add_argument("-o", "--output", "--name", dest="name", required=True, metavar="NAME",
                   help="name of the template (letters, digits, spaces, - and _); its id is my_NAME")
    q.add_argument("--replace", action="store_true", help="overwrite your template of the same name")
    q.add_argument("--no-preview", action="store_true", help="skip rendering its animated preview (a few seconds)")
    q.set_defaults(func=cmd_save)


def parse_texts(specs: list[str]) -> dict[str, str]:
    texts = {}
    for spec in specs:
        slot, eq, text = spec.partition("=")
        if not eq or not slot.strip():
            raise TemplateError(f"--text {spec!r}: give SLOT=TEXT, e.g. --text title='My trip'")
        texts[slot.strip()] = text
    return texts


def cmd_list(args) -> int:
    from .store import list_templates

    rows = [t.describe() for t in list_templates()]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    for row in rows:
        texts = ", ".join(t["id"] for t in row["texts"]) or "-"
        print(f"{row['id']:<18} {row['title']:<24} {row['duration']:5.1f} s  {len(row['slots'])} slots "
              f"({row['media']} media)  texts: {texts}  sound: {row['sound'] or '-'}")
    return EXIT_OK


def cmd_apply(args) -> int:
    from studio.model import save_project

    from .apply import apply_template
    from .store import get_template

    template = get_template(args.template)
    project = apply_template(template, args.media, parse_texts(args.text))
    if len(args.media) > template.media_count and not args.json:
        print(f"note: '{template.id}' uses {template.media_count} media; the last "
              f"{len(args.media) - template.media_count} were left out", file=sys.stderr)
    if args.save_project:
        from studio.render.export import input_files
        from studio.render.outputs import output_paths, refuse_inputs

        out = Path(args.output)
        refuse_inputs(Path(args.save_project), input_files(project, (out, *output_paths(out))))
        save_project(project, args.save_project)
    inputs = (args.save_project,) if args.save_project else ()
    return args.template_export(project, Path(args.output), args, f"template {template.id}", inputs)


def cmd_save(args) -> int:
    from studio.model import load_project

    from .apply import save_template

    template = save_template(load_project(args.project), args.name, replace=args.replace,
                             preview=not args.no_preview)
    print(f"saved template '{template.id}' ({len(template.slots)} slots, {len(template.texts)} text slots) "
          f"to {template.path}")
    print(f"  use it: studio template apply {template.id} MEDIA... -o OUT.mp4")
    return EXIT_OK
