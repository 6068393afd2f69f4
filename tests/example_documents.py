"""Facts documents shared by several test modules."""

# The example of regeling §7, verbatim: eligible, "1800.00", ruleset llo-2026.
LLO_EXAMPLE = {
    "instrument": "llo",
    "application": {"date": "2026-03-02"},
    "applicant": {"birth_date": "1980-05-10", "municipality": "GM0114",
                  "employment_status": "employed", "has_startkwalificatie": True,
                  "statushouder": False, "inburgeringsplichtig": False,
                  "banenafspraak_indicatie": False},
    "training": {"provider_kind": "mbo", "kind": "certificaat", "sector": "zorg_welzijn",
                 "full_time": False, "start_date": "2026-04-01", "end_date": "2026-12-31",
                 "cost": "1800.00"},
    "funding": {"coverage": "none"},
    "history": {"llo_granted_last_12_months": 0},
}
