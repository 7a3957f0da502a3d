"""Keep what native code prints off the process's standard output.

harper-py 0.2 prints debugging lines to file descriptor 1 from inside some rules
("gerund_form: -mining- -- verb: -mine-", LookingForwardTo): words of the user's text, in the
server's log, and in the middle of `socialcheck text --json`'s output. Python's own
`sys.stdout` is moved to a copy of descriptor 1 and descriptor 1 itself points at the null
device, so what Python prints still arrives and what native code prints does not.
Called by the command line (which also serves); a program that imports the library decides
for itself.
"""

from __future__ import annotations

import os
import sys
import threading

_lock = threading.Lock()
_done = False


def keep_native_output_off_stdout() -> None:
    """Send writes to descriptor 1 that bypass `sys.stdout` to the null device (once a process)."""
    global _done
    with _lock:
        if _done:
            return
        try:
            stdout_fd = sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):
            return  # not a real file (captured, or closed): native code cannot reach it either
        if stdout_fd != 1:
            return
        sys.stdout.flush()
        copy = os.dup(1)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
        sys.stdout = os.fdopen(copy, "w", encoding=sys.stdout.encoding, errors=sys.stdout.errors,
                               buffering=1 if sys.stdout.line_buffering else -1)
        _done = True
