"""The desktop window (PySide6): a thin view over the engine. Only this package imports Qt.

    app.py            composition root: run_app(project) / create_window()
    main_window.py    modes (Record / Edit), menus, shortcuts, project files, dialogs
    document.py       the open project as a Qt model: project, undo stack, selection, playhead
    commands.py       the one QUndoCommand: swap the project for a pure edit's result (drags merge)
    actions.py        "add this sound / sticker / look" requests turned into document edits
    item_factory.py   new items with sensible defaults (Qt-free)
    preview.py        preview player, safe zones, on-picture handles
    render_worker.py  Renderer in a worker thread + frame cache
    overlay_geometry.py, timeline_geometry.py   pure maths for handles and the timeline
    timeline_view.py  the painted timeline
    inspector.py      properties: editors generated from item kinds' Fields and effects' Params
    field_editors.py, param_editors.py   the editor widgets, by field editor name / Param type
    kinds.py          per item kind: timeline colour, label and strip, factory for library picks
    library_panels.py media bin, sounds, stickers, effects, looks, text styles
    thumbnails.py     thumbnails, waveforms, effect/look previews in a background thread
    audio_out.py      soundtrack playback (silent without an audio device)
    record_panel.py   Record mode over studio.capture
    export_dialog.py, batch_panel.py, relink_dialog.py, settings_dialog.py
    project_files.py  backups, autosave/recovery, relink search (Qt-free); settings.py QSettings
    theme.py          the dark theme
    refcount_guard.py keeps PySide6 6.12 on Python 3.11 from freeing None (applied on import, here)
"""
from .refcount_guard import protect_none

protect_none()

