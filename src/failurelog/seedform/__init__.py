"""The seed's plain-text form: import filled-in forms as incidents, export incidents as filled-in forms.

``form.txt`` is the paper form (the seed template), shipped as package data.
Modules: :mod:`template` (lines, labels, blanks, boxes), :mod:`layout` (the
form resolved against the schema) with :mod:`slots` (repeated parts),
:mod:`parse` (a filled-in form against the layout), :mod:`values` (text to
typed values and back), :mod:`to_incident` (front matter and body),
:mod:`settle` (status and validation), :mod:`writer` (incident to form, and
the incident file), :mod:`extras` (``[failurelog]`` lines) and :mod:`api`
(import and export); the commands are ``cli/import_forms`` and ``cli/export``.
"""
