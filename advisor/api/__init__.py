"""The JSON API, version 1: the same answers-v2 and result-v2 documents the CLI and pages use."""
