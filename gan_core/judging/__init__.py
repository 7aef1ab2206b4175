"""Judging a run: the metrics at a check-in (metrics), what went wrong (alarms), did it work
(judgement), runs side by side (compare)."""
