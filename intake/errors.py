"""Errors and warnings of the intake: a stable machine code and a translatable message.

The message is a `gettext_lazy` template with named parameters, rendered only when shown,
so the same error reads in English, French or Chinese depending on the active language,
while callers and tests match on the code.
"""

from dataclasses import dataclass, field
from typing import Any


def render(template, params: dict[str, Any]) -> str:
    return str(template) % params if params else str(template)


class IntakeError(ValueError):
    """The input cannot be read as a resolution; `code` says why, `message` says what to do."""

    def __init__(self, code: str, template, **params: Any):
        super().__init__(code)
        self.code = code
        self.template = template
        self.params = params

    @property
    def message(self) -> str:
        return render(self.template, self.params)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Notice:
    """A warning about something unusual that did not stop the reading."""

    code: str
    template: Any
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return render(self.template, self.params)
