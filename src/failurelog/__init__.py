"""failurelog: system-failure post-mortems kept as code."""

__version__ = "0.1.0"
