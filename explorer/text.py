"""Messages shown as typed: Streamlit renders st.error/st.warning text as Markdown, where a
user's `__import__` turns bold and `x**2` loses its stars."""
from __future__ import annotations

import re


def literal(text) -> str:
    """`text` escaped so that Streamlit's Markdown shows it as typed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$=])", r"\\\1", str(text))
