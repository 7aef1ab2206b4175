"""Is the visitor still there? A worker pauses its run when its visitor's browser has been
gone for a while (explorer.worker.ABSENT_PAUSE_S): Streamlit keeps a closed tab's session
for minutes, and nobody should pay for training that nobody watches."""
from __future__ import annotations

import time

from . import session


class Visitor:
    """One browser session. Plain data the workers may read from their threads: the session's
    id, and when it was last seen (a script or fragment run)."""

    def __init__(self, session_id: str | None):
        self.session_id, self.last_seen = session_id, time.monotonic()

    def seen(self) -> None:
        self.last_seen = time.monotonic()

    def connected(self) -> bool:
        """Whether the session's websocket is open (a tab shows the app); True without a server."""
        from streamlit.runtime import Runtime

        if self.session_id is None or not Runtime.exists():
            return True
        return Runtime.instance().is_active_session(self.session_id)  # thread-safe, says Streamlit

    def absent_for(self) -> float:
        """Seconds since the browser was last connected (0 while it is)."""
        if self.connected():
            self.seen()
            return 0.0
        return time.monotonic() - self.last_seen


def visitor() -> Visitor:
    """This session's Visitor, marked as seen now."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    current = session.VISITOR.get()
    if current is None:
        ctx = get_script_run_ctx()
        current = session.VISITOR.set(Visitor(ctx.session_id if ctx else None))
    current.seen()
    return current
