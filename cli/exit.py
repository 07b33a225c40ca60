"""Exit statuses, one place (documented in README.md), and what is left for the process's end to free."""
from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    FINDINGS = 1
    INPUT_ERROR = 2
    INTERNAL_ERROR = 3
    INTERRUPTED = 130


# `mgraph` ends without freeing memory object by object (cli.main); what a command parks here is freed
# by that end, not when the command returns: an in-memory store of 1M triples takes a second to free.
_KEPT: list[object] = []


def keep_until_exit(thing: object) -> None:
    _KEPT.append(thing)


def release_kept() -> None:
    """For callers of cli.main in a longer-lived process (tests): free what the commands parked."""
    _KEPT.clear()
