"""Errors raised by the model: one line, naming the field and the value."""


class ProjectError(ValueError):
    """A project file or value is invalid (message names the field and the bad value)."""


class EditError(ValueError):
    """An edit would break a timeline invariant (overlap, out of range, unknown item)."""
