"""Where templates are: the built-in ones in assets/templates (made by tools/gen_templates, listed
in order by its library.json), then the user's own in the user data folder (studio.library.userdata),
one `<name>.json` each, with ids 'my_<name>' (as imported looks and sounds are named)."""
from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path

from studio.library.paths import assets_dir
from studio.library.userdata import user_data_dir

from .errors import TemplateError
from .format import Template, read_template_file, template_json

USER_PREFIX = "my_"
MAX_NAME = 64


def builtin_dir() -> Path:
    return assets_dir() / "templates"


def user_templates_dir() -> Path:
    return user_data_dir() / "templates"


def _builtin() -> list[Template]:
    manifest = builtin_dir() / "library.json"
    try:
        ids = [str(e["id"]) for e in json.loads(manifest.read_text(encoding="utf-8"))["templates"]]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise TemplateError(f"{manifest}: cannot read the template list ({exc.__class__.__name__})") from None
    return [read_template_file(builtin_dir() / f"{i}.json", origin="library") for i in ids]


def _user() -> list[Template]:
    """The user's templates by name; a file that does not read (hand-edited, half-copied) is left
    out rather than breaking the gallery."""
    folder = user_templates_dir()
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        if path.name.startswith("."):
            continue
        try:
            template = read_template_file(path, origin="user")
        except TemplateError:
            continue
        if template.id == f"{USER_PREFIX}{path.stem}":
            found.append(template)
    return found


def list_templates() -> list[Template]:
    """Built-in templates (in the library's order), then the user's (by name)."""
    return _builtin() + _user()


def get_template(template_id: str | os.PathLike) -> Template:
    """A template by id, or a template file (`*.json`) by path."""
    text = str(template_id)
    for template in list_templates():
        if template.id == text:
            return template
    path = Path(text)
    if path.suffix.lower() == ".json" and path.is_file():
        return read_template_file(path, origin="user")
    raise TemplateError(f"unknown template '{text}'; try `studio template list`")


def user_template_stem(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise TemplateError("template name: give a name, e.g. -o my-vlog")
    if len(name) > MAX_NAME:
        raise TemplateError(f"template name is {len(name)} characters long; use at most {MAX_NAME}")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _-]*", name):
        raise TemplateError("template name: use ASCII letters, digits, spaces, '-' and '_', starting with a letter "
                            "or digit")
    return re.sub(r"[^a-z0-9_-]+", "_", name.lower()).strip("_") or "template"


def check_user_template_free(stem: str, replace: bool) -> None:
    """Refuse to save over the user's template `stem` unless `replace`."""
    if not replace and (user_templates_dir() / f"{stem}.json").exists():
        raise TemplateError(f"a template named '{USER_PREFIX}{stem}' already exists; use --replace to overwrite it "
                            f"or choose another name")


def write_user_template(template: Template, stem: str, replace: bool) -> Path:
    """Store `template` as the user's `<stem>.json`: written to a temporary name and renamed, so a
    template is listed whole or not at all. Refuses an existing name unless `replace`."""
    folder = user_templates_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}.json"
    tmp = folder / f".{stem}.json.{os.getpid()}.{uuid.uuid4().hex[:6]}.tmp"
    try:
        tmp.write_text(template_json(template), encoding="utf-8")
        if replace:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # atomic and exclusive: another save cannot slip in between
            except FileExistsError:
                check_user_template_free(stem, replace)  # says so
                raise
            except OSError:  # a file system without hard links
                check_user_template_free(stem, replace)
                os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def delete_user_template(template_id: str) -> None:
    """Remove one of the user's templates (built-in ones cannot be removed)."""
    template = get_template(template_id)
    if not template.user or template.path is None or template.path.parent != user_templates_dir():
        raise TemplateError(f"'{template_id}' is a built-in template; only your own can be deleted")
    template.path.unlink(missing_ok=True)
    template.path.with_suffix(".webp").unlink(missing_ok=True)
