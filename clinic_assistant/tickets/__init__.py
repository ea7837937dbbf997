"""Handoff tickets: the record staff see of every escalation, callback and crisis."""
