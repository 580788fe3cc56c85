"""What several test modules share: where things are (``paths``), corpora written for the tests
(``corpus``), an index or app opened over a folder (``index``), real server processes
(``server``) and the real three-node OpenSearch cluster (``cluster``, also ``make cluster``).
Fixtures built on them live in ``tests/conftest.py``."""
