"""Core concepts every layer uses.

Ids, the schema and its annotations, YAML reading, loading files, problems,
errors, paths and atomic writes.
"""
