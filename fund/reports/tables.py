"""The dashboard figures as table rows of text (the accessible twin of every chart)."""
from __future__ import annotations

from fund.letters.dutch import datum, geld
from fund.reports.dashboard import Dashboard
from fund.reports.forecast import WINDOW_WEEKS, Forecast


def line_label(instrument: str, tijdvak: int) -> str:
    """An instrument and tijdvak as staff and the Regionaal Beraad read it, not as code."""
    from fund.forms.choices import INSTRUMENT_LABELS

    return f"{INSTRUMENT_LABELS.get(instrument, instrument)} {tijdvak}"


def runs_out_text(f: Forecast) -> str:
    """The forecast's answer in words (B1): when the money is expected to be gone."""
    if f.state == "op":
        return "Nu al op: de aanvragen die wachten vragen meer dan er over is"
    if f.state == "onbekend":
        return f"Geen schatting: geen complete aanvragen in de laatste {WINDOW_WEEKS} weken"
    if f.state == "genoeg":
        return f"Genoeg tot het einde van het tijdvak ({datum(f.tijdvak_end)})"
    return f"Rond {datum(f.runs_out_on)}"


def table_rows(board: Dashboard) -> dict[str, object]:
    return {
        "forecast_weeks": WINDOW_WEEKS,
        "budget_rows": [[line_label(b.instrument, b.tijdvak), geld(b.ceiling), geld(b.committed), geld(b.paid),
                         geld(b.remaining)] for b in board.budget],
        "funnel_rows": [[label, str(n)] for _, label, n in board.funnel],
        "target_rows": [[p.target.label, str(p.reached), str(p.target.target), f"{p.percent}%"]
                        for p in board.targets],
        "outcome_rows": [[label, str(n)] for _, label, n in board.outcomes],
        "forecast_rows": [[line_label(f.instrument, f.tijdvak), geld(f.waiting), geld(f.left),
                           f"{f.window_applications} aanvragen, {geld(f.per_week)} per week", runs_out_text(f)]
                          for f in board.forecast],
    }
