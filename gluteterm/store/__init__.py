"""Everything on disk: paths, atomic writes, plans, the log, the history index, levels, settings."""
