"""Exceptions raised by pucha. Both are ValueError subclasses carrying the core's stable error code."""

from __future__ import annotations

from typing import Optional


class PuchaError(ValueError):
    """Bad input for pucha: `code` is stable (e.g. ``invalid_date``), `message` says what is wrong in Chinese, then
    in English (``应为非负整数，实为数 -1 / expected a whole number ≥ 0, found the number -1``); ``str(e)`` adds the
    place (line and column, field path, rule)."""

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

    def __str__(self) -> str:
        place = ""
        if self.line is not None and self.column is not None:
            place += f"第 {self.line} 行第 {self.column} 列 line {self.line} column {self.column}: "
        if self.rule:
            place += f"规则 rule `{self.rule}`: "
        if self.path:
            place += f"`{self.path}`: "
        return place + self.message

    def __reduce__(self):  # keep pickling (multiprocessing) intact
        return (type(self), (self.code, self.message, self.path, self.rule, self.help, self.line, self.column))


class ObservationError(PuchaError):
    """The observation is malformed: unknown field, wrong type, impossible date, negative count, …"""


class PackError(PuchaError):
    """The rule pack or a parameter is wrong: unknown fact, bad expression, unknown parameter, …"""


class ReportError(PuchaError):
    """A stored report or summary cannot be read: not JSON, not ``pucha.report/1`` or ``pucha.summary/1``, …"""
