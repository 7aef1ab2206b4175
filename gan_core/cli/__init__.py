"""The command line: `python -m gan_core train|discriminator|sweep|runs` (main) and the run store's
commands (runs)."""
