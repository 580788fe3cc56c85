"""What several test modules share: where things are (``paths``), corpora written for the tests
(``corpus``), an index or app opened over a folder (``index``), and real server processes
(``server``). Fixtures built on them live in ``tests/conftest.py``."""
