"""Exit statuses, one place (documented in README.md)."""
from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    FINDINGS = 1
    INPUT_ERROR = 2
    INTERNAL_ERROR = 3
    INTERRUPTED = 130
