"""Work that needs only what the build holds already, done on another core while the build goes on.

The build is Python, so it uses one core at a time; a forked child shares the parent's memory as it is at the
fork (nothing is pickled on the way in), computes, and sends back its result. Fork before the build starts
threads of its own. Off Linux (no fork on Windows, an unsafe one on macOS), or when one core is wanted, the work
runs at once, in process.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from .errors import BuildError


def _child(send: Connection, work: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result: tuple[bool, Any] = (True, work(*args))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent, which raises it
        result = (False, exc)
    send.send(result)
    send.close()


class Forked:
    """`work(*args)` started in a forked child; `result` waits for what it returns (or raises what it raised),
    `close` stops it when its result is no longer wanted. A thread takes the result as soon as it is sent, so
    the child exits then instead of holding its memory until asked. With `parallel` false, or off Linux, the
    work is done at once, in process."""

    def __init__(self, work: Callable[..., Any], *args: Any, parallel: bool = True) -> None:
        self.name = getattr(work, "__name__", "background work")
        self.done: tuple[bool, Any] | None = None
        self.child: multiprocessing.process.BaseProcess | None = None
        self.taker: threading.Thread | None = None
        if not parallel or sys.platform != "linux":  # fork is safe on Linux; macOS may crash after it
            self.done = (True, work(*args))
            return
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        self.child = context.Process(target=_child, args=(send, work, args), daemon=True)
        self.child.start()
        send.close()
        self.taker = threading.Thread(target=self._take, args=(receive, self.child), daemon=True)
        self.taker.start()

    def _take(self, receive: Connection, child: multiprocessing.process.BaseProcess) -> None:
        try:
            self.done = receive.recv()
        except (EOFError, OSError):
            pass  # the child died (or was stopped) without a result
        finally:
            receive.close()
            child.join()

    def result(self) -> Any:
        if self.taker is not None:
            self.taker.join()
        if self.done is None:
            code = self.child.exitcode if self.child is not None else None
            raise BuildError(f"{self.name} stopped without a result (exit code {code})")
        ok, value = self.done
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """Stop the child if it is still working (the build failed before it needed the result)."""
        if self.child is not None and self.child.is_alive():
            self.child.terminate()
        if self.taker is not None:
            self.taker.join()
