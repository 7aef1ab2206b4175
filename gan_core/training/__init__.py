"""Training: compiled steps shared per shape (steps), what every run shares (run), the plane runs
(plane: a 1-D function's (x, f(x)), point sets) and the image runs (images), seeds at once (sweep),
settings x seeds (grid, ray_grid), counter-based random draws (draws), the persistent compile cache
(cache) and the traced names it keys its entries by (names)."""
