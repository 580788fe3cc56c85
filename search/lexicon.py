"""What the query stage asks of the corpus vocabulary: prefix words, typo neighbours, and
"Vouliez-vous dire …?" suggestions written as in the texts (with their accents).

Rules:
- ``mot*`` needs a prefix of ``MIN_PREFIX`` letters; it covers at most ``max_expansions``
  words (the most frequent), and a prefix covering more than ``MAX_SCANNED`` words is refused;
- typo tolerance looks at words of 5 letters or more that the corpus lacks, or barely has when
  a search finds few documents (counting the documents of every form the word stands for,
  ``ministre`` and ``ministres``): one edit for 5 to 8 letters, two from 9 (a swap of two
  letters counts as one edit);
- a suggestion replaces such a word by a neighbour found in several times more documents,
  or in any document at all for a word the corpus lacks (a name mentioned once is what people
  misspell); for a word the corpus has, only when the query finds few documents.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from search.analysis import fold, normalize, split_words
from search.errors import BadRequest
from search.syntax import Clause, ParsedQuery
from search.vocabulary import Candidate, Vocabulary

MIN_PREFIX = 3
MAX_SCANNED = 20_000
RARE = 2  # a word in at most this many documents may be a typo
NEAR_LIMIT = 5  # neighbours kept per misspelt word

StemDocuments = Callable[[str], int]  # a typed word -> documents of its analysed form


def _no_stems(word: str) -> int:
    return 0


def prefix_words(vocabulary: Vocabulary, clause: Clause, max_expansions: int) -> list[str]:
    """The folded words ``clause`` (``mot*``) covers; ``BadRequest`` when it is too vague."""
    prefix = fold(clause.text)
    if len(prefix) < MIN_PREFIX:
        raise BadRequest(
            f"« {clause.text}* » : un préfixe doit avoir au moins {MIN_PREFIX} lettres"
        )
    found = vocabulary.starting_with(prefix, MAX_SCANNED)
    if len(found) > MAX_SCANNED:
        raise BadRequest(f"« {clause.text}* » couvre trop de mots : allongez le préfixe")
    found.sort(key=lambda candidate: -candidate.documents)
    return [candidate.folded for candidate in found[:max_expansions]]


def max_edits(folded: str) -> int:
    return 0 if len(folded) < 5 else 1 if len(folded) < 9 else 2


def near_words(
    vocabulary: Vocabulary,
    parsed: ParsedQuery,
    stem_documents: StemDocuments = _no_stems,
    rare_too: bool = True,
) -> dict[Clause, list[str]]:
    """For each typed word the corpus lacks (or, with ``rare_too``, barely has), its close and
    more frequent words."""
    found: dict[Clause, list[str]] = {}
    most = RARE if rare_too else 0
    for clause, word in _plain_words(parsed):
        neighbours = _better_neighbours(vocabulary, word, stem_documents, most)
        if neighbours:
            found[clause] = [candidate.folded for candidate in neighbours]
    return found


def did_you_mean(
    vocabulary: Vocabulary,
    typed: str,
    parsed: ParsedQuery,
    few_results: bool,
    stem_documents: StemDocuments = _no_stems,
) -> str | None:
    """``typed`` with each doubtful word replaced by its best neighbour, if any was.

    A word the corpus lacks is always doubtful; a rare one only when results are few (a rare
    name is usually meant)."""
    suggestion, changed = typed, False
    for clause, word in _plain_words(parsed):
        known = vocabulary.get(fold(word))
        if known and not few_results:
            continue
        neighbours = _better_neighbours(vocabulary, word, stem_documents)
        if neighbours and clause.text in suggestion:
            suggestion = suggestion.replace(clause.text, _rewrite(clause.text, neighbours[0]), 1)
            changed = True
    return suggestion if changed else None


def _plain_words(parsed: ParsedQuery) -> list[tuple[Clause, str]]:
    """Typed clauses that are one word (not a stop word, phrase, prefix or compound)."""
    words = []
    for clause in parsed.clauses():
        if clause.phrase or clause.prefix:
            continue
        split = list(split_words(clause.text))
        if len(split) == 1 and not split[0].parts and normalize(split[0].text):
            words.append((clause, split[0].text))
    return words


def _better_neighbours(
    vocabulary: Vocabulary, word: str, stem_documents: StemDocuments, most: int = RARE
) -> Sequence[Candidate]:
    """Close words found in more documents, for a word in at most ``most`` documents."""
    folded = fold(word)
    edits = max_edits(folded)
    known = vocabulary.get(folded)
    count = max(known.documents if known else 0, stem_documents(word))
    if not edits or count > most:
        return []
    near = vocabulary.near(folded, edits, NEAR_LIMIT * 4)
    return [c for c in near if c.documents >= max(1, 3 * count)][:NEAR_LIMIT]


def _rewrite(chunk: str, candidate: Candidate) -> str:
    """The typed chunk with its word replaced by the written form (``l'Otam`` → ``l'OTAN``)."""
    word = next(iter(split_words(chunk)))
    return chunk[: word.start] + candidate.written + chunk[word.end :]
