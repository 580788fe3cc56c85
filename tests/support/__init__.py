"""Helpers the tests share that are bigger than a fixture: the real OpenSearch cluster."""
