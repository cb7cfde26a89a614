"""Analyses of the incident model: patterns, related incidents, action items, statistics.

Each module is a set of pure functions from a :class:`failurelog.model.incident.Model`
to plain data that the page generators in :mod:`failurelog.site` render.
"""
