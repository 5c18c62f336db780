"""The errors a user can cause, each rendered as one line naming the file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["EXIT_INPUT", "EXIT_OK", "EXIT_VIOLATIONS", "InputError", "InputErrors", "Problem"]

# pySHACL's convention: 0 conforms, 1 violations, 2 usage or input error.
EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_INPUT = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    file: str
    line: int | None
    field: str
    message: str

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        # Messages may quote user text; keep the report one line per problem.
        message = " ".join(self.message.split())
        parts = [part for part in (where, self.field) if part]
        return ": ".join([*parts, message])


class InputError(Exception):
    """A single problem with what the user gave us (a path, an argument, a file)."""

    def __init__(self, message: str, *, file: str | Path = "", line: int | None = None, field: str = ""):
        self.problem = Problem(str(file), line, field, message)
        super().__init__(self.problem.render())


class InputErrors(Exception):
    """Several problems found in one pass, so a curator can fix them all at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field, p.message))
        super().__init__("\n".join(p.render() for p in self.problems))
