"""``python -m web.port``: say whether ``serve`` can listen where the settings say, before
``make run`` spends time indexing. Exits 1 with a message when the address is taken."""

from __future__ import annotations

import socket
import sys

from search.config import load_settings


def address_free(host: str, port: int) -> str | None:
    """``None`` when ``host:port`` can be listened on, else why not."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            sock.bind((host, port))
        except OSError as error:
            return error.strerror or str(error)
    return None


def main() -> int:
    settings = load_settings()
    host, port = settings["host"], settings["port"]
    problem = address_free(host, port)
    if problem:
        print(
            f"Erreur : {host}:{port} est déjà pris ({problem}). Arrêtez le programme qui "
            "l’occupe, ou choisissez un autre port : COMMUNIQUES_PORT=8001 make run",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
