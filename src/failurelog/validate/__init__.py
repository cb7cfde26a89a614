"""Validation: schema checks, rules within and across incidents, secrets, outside content.

:func:`failurelog.validate.run.validate` returns a Report.
"""
