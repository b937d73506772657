"""Exceptions raised by pucha. Both are ValueError subclasses carrying the core's stable error code."""

from __future__ import annotations

from typing import Optional


class PuchaError(ValueError):
    """Bad input for pucha: `code` is stable (e.g. ``invalid_date``), `message` says what is wrong."""

    def __init__(
        self,
        code: str,
        message: str,
        path: Optional[str] = None,
        rule: Optional[str] = None,
        help: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path
        self.rule = rule
        self.help = help
        self.line = line
        self.column = column

    def __reduce__(self):  # keep pickling (multiprocessing) intact
        return (type(self), (self.code, self.message, self.path, self.rule, self.help, self.line, self.column))


class ObservationError(PuchaError):
    """The observation is malformed: unknown field, wrong type, impossible date, negative count, …"""


class PackError(PuchaError):
    """The rule pack or a parameter is wrong: unknown fact, bad expression, unknown parameter, …"""


class ReportError(PuchaError):
    """A stored report or summary cannot be read: not JSON, not ``pucha.report/1`` or ``pucha.summary/1``, …"""
