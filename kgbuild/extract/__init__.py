"""Extraction stage: spaCy components and clause rules that find open triples."""
