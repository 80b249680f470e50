"""Errors of rendering and export."""


class ExportError(Exception):
    """The export cannot run (empty project, output folder missing, ...). One line for the user."""


class Cancelled(Exception):
    """The user cancelled; the partial output has been removed."""


class PreflightFailed(ExportError):
    """The export is not fit for the platform; `report` is the pre-flight as a dict. Nothing was
    published unless the export was asked to keep a failed file."""

    def __init__(self, message: str, report: dict):
        super().__init__(message)
        self.report = report
