"""Errors raised by the model: one line, naming the field and the value."""


class ProjectError(ValueError):
    """A project file or value is invalid (message names the field and the bad value)."""


class EditError(ValueError):
    """An edit would break a timeline invariant (overlap, out of range, unknown item)."""


def show_value(value: object) -> str:
    """A bad value for an error message: its repr (one line), cut short when long."""
    try:
        shown = repr(value)
    except ValueError:  # an int with more digits than Python will print
        return "a number too long to show"
    return shown if len(shown) <= 60 else shown[:57] + "..."


def show_frames(value: object) -> str:
    """An exact frame count for a message: '45', '45.5' (float() overflows on huge Fractions)."""
    if getattr(value, "denominator", 1) == 1:
        return show_value(int(value))
    try:
        return f"{float(value):g}"
    except OverflowError:
        return show_value(value)
