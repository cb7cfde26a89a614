"""The ``failurelog`` command: one module per command group, and the one place errors become messages."""
