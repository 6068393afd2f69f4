"""The tamper-evident audit trail: recording events and verifying the hash chain."""
from fund.audit.chain import ChainBreak, record, verify

__all__ = ["ChainBreak", "record", "verify"]
