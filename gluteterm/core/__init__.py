"""The warm-up domain: plans, their timeline, the runner and what it records.

Pure Python: nothing here imports textual or rich (a test keeps it so).
"""
