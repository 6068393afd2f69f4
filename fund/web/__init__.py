"""Web plumbing shared by every blueprint: security headers, access control, log redaction."""
