"""Signals between packages that must not import each other.

``decision_made`` is sent by the workflow after the transaction that created a beschikking has
committed (``sender`` is the app, ``decision_id`` the new Decision's id); the letters package
listens to render and store the PDF.
"""
from blinker import Namespace

_signals = Namespace()

decision_made = _signals.signal("decision-made")
