"""Templates (a project with slots: media fill them, words replace placeholders) and cutting to
the beat. No Qt here: the command line (`studio template ...`, `studio quick --cut-to-beat N`) and
the window's gallery and "Cut to beat" action call the same functions.

    list_templates() -> [Template]                      built-in, then the user's own
    get_template(id_or_file) -> Template
    apply_template(template, media_paths, texts={slot: words}) -> Project
    swap_slot(project, slot_id, media_path) -> Project
    save_template(project, name, replace=False, preview=True) -> Template  (user data folder, id "my_<name>")
    delete_user_template(id)
    cut_to_beat(project_or_media, sound_id, every=1|2|4) -> Project
    make_preview(template, out.webp)                    (built-in previews: Template.preview)

Pass one `MediaAnalyzer` (as `analyzer=`) to calls on the same media to analyse each file once;
close it when done. Errors: TemplateError (a LibraryError), MediaError for a file that cannot be
used, LibraryError for an unknown sound; each is one line.
"""
from .apply import apply_template, check_texts, save_template, swap_slot, template_from_project
from .beat_cut import EVERY, beat_cut_clips, beat_sound, beat_times, cut_frames, cut_to_beat
from .errors import TemplateError
from .format import PLACEHOLDER, SlotSpec, Template, TextSlot, read_template_file, template_from_dict, template_to_dict
from .liveliness import Liveliness, MediaAnalyzer
from .store import builtin_dir, delete_user_template, get_template, list_templates, user_templates_dir

__all__ = [
    "EVERY", "PLACEHOLDER", "Liveliness", "MediaAnalyzer", "SlotSpec", "Template", "TemplateError", "TextSlot",
    "apply_template", "beat_cut_clips", "beat_sound", "beat_times", "builtin_dir", "check_texts", "cut_frames",
    "cut_to_beat", "delete_user_template", "get_template", "list_templates", "make_preview",
    "read_template_file", "save_template", "swap_slot", "template_from_dict", "template_from_project",
    "template_to_dict", "user_templates_dir",
]


def make_preview(template, out, **kwargs):
    """Render `template`'s animated WebP preview to `out` (see preview.py; loads the renderer lazily)."""
    from .preview import make_preview as _make

    return _make(template, out, **kwargs)
