"""Delivery of side effects through the transactional outbox.

- :mod:`fund.delivery.outbox`: write a side effect in the caller's transaction (``add_letter``,
  ``add_mail``), dispatch it after the commit (RQ job, or in-process), claim-deliver-mark
  (``deliver``), the sweep that delivers whatever a crash left behind (``sweep``).
- :mod:`fund.delivery.mail`: build multipart e-mail and send it over SMTP (``FUND_SMTP_URL``), or
  write ``.eml`` files under the instance folder when no SMTP server is configured.
- :mod:`fund.delivery.notifications`: which e-mail goes out for what, rendered from
  ``templates/mail/``.
"""
