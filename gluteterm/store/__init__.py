"""Everything on disk: paths, atomic writes, plans, drills, the log, the history index, levels, settings."""
