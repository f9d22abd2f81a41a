"""The command line: argument parsing and the plain-text commands."""
