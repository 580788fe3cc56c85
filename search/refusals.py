"""What a query is refused for before any engine work, the same on every engine: a word
beginning with ``*``, more than ``max_terms`` words to search, or nothing to search at all."""

from __future__ import annotations

from search.analysis import terms_of
from search.errors import BadRequest
from search.syntax import ParsedQuery


def check_query(parsed: ParsedQuery, max_terms: int) -> None:
    """``BadRequest`` for a leading ``*`` or more than ``max_terms`` words to search."""
    clauses = [*parsed.clauses(), *parsed.excluded]
    for clause in clauses:
        if not clause.phrase and clause.text.startswith("*") and clause.text.strip("*"):
            raise BadRequest(
                f"« {clause.text} » : un astérisque ne peut pas commencer un mot ; "
                "il se place à la fin d’un début de mot (« cyber* »)"
            )
    count = sum(len(terms_of(clause.text)) for clause in clauses)
    if count > max_terms:
        raise BadRequest(
            f"requête trop longue : {count} mots à chercher ({max_terms} au plus) ; "
            "gardez les mots les plus significatifs"
        )


def nothing_to_search(q: str) -> str:
    """Why ``q`` finds nothing to search, for a query whose words all fell away."""
    if "*" in q:
        return "« * » seul correspondrait à tous les documents : indiquez au moins un mot"
    return (
        "la requête ne contient aucun mot à chercher (seulement des mots vides comme "
        "« le », « de », ou de la ponctuation) : ajoutez un mot significatif"
    )
