"""Git history as the audit trail: reading git in one pass, revisions, field changes and auditor flags."""
