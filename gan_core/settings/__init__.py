"""Each setting described once (described: kind, range or choices, label, help, CLI commands; what it is
to the compiled step) and the settings classes of the kinds (config); numbers as typed (typed)."""
