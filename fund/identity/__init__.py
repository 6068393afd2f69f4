"""Who is logging in: the staff second factor (TOTP) and DigiD/eHerkenning through OpenID Connect.

Every way in still ends in ``fund.views.auth.log_in_user(user, method)``.
"""
