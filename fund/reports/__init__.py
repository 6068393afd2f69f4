"""Management information: budget, funnel, outcomes against the regional targets, and the
quarterly report for the Regionaal Beraad (PDF and Excel)."""
