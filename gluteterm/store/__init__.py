"""Everything on disk: paths, atomic writes, plans, drills, the log, the index, levels, settings."""
