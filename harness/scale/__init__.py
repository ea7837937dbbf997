"""Scale-out harness: PostgreSQL, Redis, two Rasa instances and nginx on loopback (issue 8)."""
