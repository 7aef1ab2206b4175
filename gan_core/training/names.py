"""Traced functions' names that do not depend on what the process did before.

TensorFlow names a traced function and its loops' bodies with a process-wide counter (`ops.uid()`,
which every variable and every graph tensor also draws from), and the persistent compile cache
(cache.py) keys an entry by those names. So a process found a step's entry only if it had made just as
many TensorFlow objects before tracing it: a server's warm-up tracing while a visitor's run built its
networks, a notebook that trained something else first, compiled the step again. Within
`scope(name)`, a trace draws its numbers from a range of its own, chosen by `name` (a step's key), so
the first trace of a step gets the same names in every process. The numbers only name things: the
arithmetic is unchanged (scripts/same_histories.py).
"""
from __future__ import annotations

import contextlib
import hashlib
import threading

_BASE = 1 << 62  # far above what the process-wide counter reaches: its numbers are never drawn here
_SCOPE = 1 << 40  # each name's range, after _BASE (2**20 of them, by a hash of the name)
_TRACE = 1 << 24  # each trace's part of it: a trace draws about one number per graph tensor (thousands)
_local = threading.local()  # the scope this thread traces in, and the next number of its trace
_lock = threading.Lock()
_traces: dict[str, int] = {}  # name -> traces begun in its scope in this process
_installed = False


def _install() -> None:
    """Once: TensorFlow's counter answers from the scope of the thread that asks, where there is one."""
    global _installed
    with _lock:
        if _installed:
            return
        from tensorflow.python.framework import ops

        process_wide = ops.uid

        def uid() -> int:
            name = getattr(_local, "name", None)
            if name is None:
                return process_wide()
            if _local.next is None:  # the scope's first number in this call: a trace begins (a call of a
                with _lock:  # traced function draws none), the scope's next part is its own
                    k = _traces[name] = _traces.get(name, 0) + 1
                digest = int(hashlib.sha256(name.encode()).hexdigest()[:5], 16)  # 20 bits
                _local.next = _BASE + digest * _SCOPE + (k - 1) * _TRACE
            _local.next += 1
            return _local.next - 1

        ops.uid = uid  # ops.py and the modules naming functions and loops look it up at each call
        _installed = True


@contextlib.contextmanager
def scope(name: str | None):
    """Functions traced inside (by this thread) are named from `name`'s own numbers; None: TensorFlow's."""
    if name is None or getattr(_local, "name", None) is not None:  # none asked, or inside one already
        yield
        return
    _install()
    _local.name, _local.next = name, None
    try:
        yield
    finally:
        _local.name = _local.next = None
