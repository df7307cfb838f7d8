"""One error hierarchy: user-facing errors (bad input, refused actions) apart from bugs.

A `UserError` says what happened and how to fix it, and names the field when input is at fault.
Entry points (CLI, HTTP routes, Qt views) show `str(error)`; anything else is a bug.
"""

from __future__ import annotations


class ButikError(Exception):
    """Base of every error Butik raises on purpose."""


class UserError(ButikError):
    """An error caused by input or by the state of the data; shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None):
        self.message = message
        self.field = field
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

    def as_dict(self) -> dict:
        return {"error": type(self).__name__, "message": self.message, "field": self.field,
                "hint": self.hint}


class ValidationError(UserError):
    """Input that breaks a rule: a bad EAN, a negative price, an unknown currency…"""


class NotFound(UserError):
    """A referenced thing (SKU, customer, receipt…) does not exist."""


class Conflict(UserError):
    """The action clashes with the current state (already invoiced, duplicate SKU, replay with a different body…)."""


class InvalidTransition(Conflict):
    """A lifecycle (order, shift, invoice…) does not allow this step from its current state."""


class Unavailable(ButikError):
    """A needed service (server, printer, control unit) did not answer."""


class RowErrors(ValidationError):
    """Many bad rows of an import, each with line number, field and reason."""

    def __init__(self, errors: list[tuple[int, str, str]]):
        self.errors = errors
        lines = [f"line {line}: {field}: {reason}" for line, field, reason in errors[:50]]
        more = f"\n… and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} bad row(s):\n" + "\n".join(lines) + more,
                         hint="fix the rows, or use --skip-bad to import only the good ones")

    def __str__(self) -> str:  # the header already carries everything
        return self.message + (f"\n({self.hint})" if self.hint else "")
