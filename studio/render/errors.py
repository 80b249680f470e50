"""Errors of rendering and export."""


class ExportError(Exception):
    """The export cannot run (empty project, output folder missing, ...). One line for the user."""


class Cancelled(Exception):
    """The user cancelled; the partial output has been removed."""
