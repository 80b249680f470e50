"""Generator of the built-in templates (assets/templates: <id>.json, <id>.webp, library.json).

    python -m tools.gen_templates            # all of them
    python -m tools.gen_templates recipe     # one (and the list)

Deterministic; slot lengths come from the beat grid of each template's library sound
(assets/sounds/library.json), so every cut lands on a beat. CC0."""
