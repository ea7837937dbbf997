"""Benchmarks (`make bench`): serving speed, NLU pipelines compared, the report (results/)."""
