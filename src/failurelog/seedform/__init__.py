"""The seed's plain-text form: import filled-in forms as incidents, export incidents as filled-in forms.

``form.txt`` is the paper form (the seed template), shipped as package data.
Modules: :mod:`template` (lines, labels, blanks, boxes), :mod:`layout` (the
form resolved against the schema, repeated parts as slots), :mod:`reader` (a
filled-in form against the layout), :mod:`values` (text to typed values and
back), :mod:`to_incident` (front matter and body), :mod:`settle` (status,
validation and the incident file), :mod:`writer` (incident to form, and the
``[failurelog]`` lines) and :mod:`api` (import and export); the commands are
``cli/import_forms`` and ``cli/export``.
"""
