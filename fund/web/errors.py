"""Dutch error pages (HTML) and JSON errors under /api/."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request

from fund.web.security import HostileInput

MESSAGES = {
    400: ("Er ging iets mis", "Wij konden uw verzoek niet verwerken. Ga terug naar de vorige pagina en "
                              "probeer het opnieuw."),
    403: ("Geen toegang", "U mag deze pagina niet bekijken. Denkt u dat dit niet klopt? Neem dan contact "
                          "met ons op."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet (meer). Heeft u het adres zelf getypt? Kijk dan "
                                  "of het goed is."),
    405: ("Niet toegestaan", "Dit kan op deze manier niet. Ga terug naar de vorige pagina en probeer het "
                             "opnieuw."),
    409: ("Al gewijzigd", "Iemand anders heeft dit net gewijzigd. Laad de pagina opnieuw en kijk of uw actie nog nodig is."),
    413: ("Bestand te groot", "Het bestand is te groot. Kies een kleiner bestand."),
    429: ("Te veel pogingen", "U heeft het te vaak geprobeerd. Wacht een minuut en probeer het opnieuw."),
    500: ("Er ging iets mis", "Er ging bij ons iets mis. Uw gegevens zijn niet verloren. Probeer het later opnieuw."),
}


def _wait(exc) -> str | None:
    """How long to wait after a rate limit, from the limit that was hit ("10 per hour" on
    registration: waiting a minute would not help)."""
    limit = getattr(getattr(exc, "limit", None), "limit", None)
    seconds = limit.get_expiry() if limit is not None else None
    if not seconds or seconds <= 60:
        return None
    return "een uur" if seconds <= 3600 else "een dag"


def register_error_pages(app: Flask) -> None:
    def handler(exc):
        code = getattr(exc, "code", 500) or 500
        title, message = MESSAGES.get(code, MESSAGES[500])
        if isinstance(exc, HostileInput):
            message = exc.description
        elif code == 429 and (wait := _wait(exc)):
            message = f"U heeft het te vaak geprobeerd. Wacht {wait} en probeer het dan opnieuw."
        if request.path.startswith("/api/"):
            return jsonify({"errors": [{"field": "", "message": message}]}), code
        return render_template("errors/error.html", title=title, message=message), code

    for code in MESSAGES:
        app.register_error_handler(code, handler)
