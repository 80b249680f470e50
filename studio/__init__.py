"""Studio: a desktop studio for vertical short videos."""

__version__ = "0.1.0"
