"""Dutch error pages (HTML) and JSON errors under /api/."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request

from fund.web.security import HostileInput

MESSAGES = {
    400: ("Er ging iets mis", "Uw verzoek kon niet worden verwerkt. Probeer het opnieuw."),
    403: ("Geen toegang", "U mag deze pagina niet bekijken."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet (meer)."),
    405: ("Niet toegestaan", "Deze actie kan zo niet worden uitgevoerd."),
    409: ("Al gewijzigd", "Iemand anders heeft dit net gewijzigd. Laad de pagina opnieuw en kijk of uw actie nog nodig is."),
    413: ("Bestand te groot", "Het bestand is te groot. Kies een kleiner bestand."),
    429: ("Te veel pogingen", "U heeft het te vaak geprobeerd. Wacht een minuut en probeer het opnieuw."),
    500: ("Er ging iets mis", "Er ging bij ons iets mis. Uw gegevens zijn niet verloren. Probeer het later opnieuw."),
}


def register_error_pages(app: Flask) -> None:
    def handler(exc):
        code = getattr(exc, "code", 500) or 500
        title, message = MESSAGES.get(code, MESSAGES[500])
        if isinstance(exc, HostileInput):
            message = exc.description
        if request.path.startswith("/api/"):
            return jsonify({"errors": [{"field": "", "message": message}]}), code
        return render_template("errors/error.html", title=title, message=message), code

    for code in MESSAGES:
        app.register_error_handler(code, handler)
