"""Corpora written for the tests: a few communiqués with traps in them (``DOCS``), JSON Lines
files, and seeded synthetic communiqués of any size."""

from __future__ import annotations

import json
import random
from pathlib import Path

DOCS = [
    {
        "id": "espace-2019",
        "title": "L’espace reconnu comme domaine d’opérations",
        "body": "L’OTAN a adopté sa politique spatiale en 2019. La sécurité de l’espace "
        "est au cœur de la mise en œuvre décidée par les Alliés.",
        "date": "2019-12-04",
        "type": "déclaration",
        "source": "OTAN",
    },
    {
        "id": "industrie-2024",
        "title": "L’OTAN renforce son partenariat avec l’industrie spatiale",
        "body": "Bruxelles, le 20 février 2024 — Le secrétaire général adjoint, Mircea Geoană, "
        "a réuni les industriels. La porte-parole a rappelé l'engagement des États-Unis.",
        "date": "2024-02-20",
        "type": "communiqué",
        "source": "OTAN",
        "url": "https://example.org/industrie-2024",
    },
    {
        "id": "secretaire-du-general",
        "title": "Visite du secrétaire du général",
        "body": "Le secrétaire du général commandant la région est arrivé jeudi.Le préfet "
        "l’a reçu. Aucune décision n’a été prise sur la politique locale.",
        "date": "2021-03-01",
        "type": "communiqué",
        "source": "Gouvernement",
    },
    {
        "id": "piege",
        "title": "Texte avec balises <script>alert(1)</script>",
        "body": 'Ce texte contient "><img src=x onerror=alert(1)> et <script>alert(2)</script> '
        "à propos de sécurité.",
        "date": "2020-05-05",
    },
]

WORDS = [
    "sécurité", "défense", "alliance", "ministère", "coopération", "espace", "climat",
    "énergie", "transition", "gouvernement", "élection", "soutien", "humanitaire",
    "partenariat", "industrie", "innovation", "sommet", "déclaration", "politique",
    "stratégie", "européenne", "nationale", "régionale", "territoire", "mer",
]  # fmt: skip


def write_jsonl(path: Path, docs: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
    return path


def synthetic(count: int, seed: int = 7, marker: str = "") -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [
        {
            "id": f"s{i}",
            "title": f"Communiqué {i} : {' '.join(rng.choices(WORDS, k=5))} {marker}",
            "body": " ".join(rng.choices(WORDS, k=180)) + f" {marker}",
            "date": f"{2019 + i % 7}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        }
        for i in range(count)
    ]
