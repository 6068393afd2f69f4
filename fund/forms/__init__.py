"""WTForms for the portals. Every message is Dutch (B1) and shown next to its field.

* :mod:`fund.forms.questions` -- the question types and the parsing of Dutch input
* :mod:`fund.forms.instruments` -- the steps of the application form per instrument
* :mod:`fund.forms.check` -- "Check uw kansen"
* :mod:`fund.forms.accounts` -- registration, password reset, colleagues, admin
* :mod:`fund.forms.actions` -- forms for workflow events (officer, applicant, finance)
"""
