"""Demo applications in every workflow state, made by sending the workflow's own events."""


def seed_applications(report, *, inwoners, organisations) -> None:
    """Filled in once the workflow exists (issue 4)."""
