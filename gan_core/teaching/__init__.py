"""Teaching views computed by the engine: one iteration taken apart (slow_motion), the replay GIF
(animation), NumPy pictures (heat-map colours, digit grids)."""
