"""The timeline's bars from matches counted per month, as both engines give them (the whoosh
engine only months with matches, OpenSearch's histogram every month between, empty ones 0)."""

from __future__ import annotations

from search.timeline import bars


def drawn(months: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(bar.label, bar.period, bar.count) for bar in bars(months)]


def test_months_when_the_matches_span_at_most_two_years() -> None:
    assert drawn({"2023-11": 2, "2024-02": 1}) == [
        ("nov. 2023", "2023-11", 2), ("déc. 2023", "2023-12", 0),
        ("janv. 2024", "2024-01", 0), ("févr. 2024", "2024-02", 1)]  # fmt: skip


def test_years_past_two_years_with_the_years_between() -> None:
    years = drawn({"2021-03": 1, "2021-09": 2, "2024-12": 4})
    assert years == [
        ("2021", "2021", 3),
        ("2022", "2022", 0),
        ("2023", "2023", 0),
        ("2024", "2024", 4),
    ]


def test_empty_months_around_the_matches_are_left_out() -> None:
    histogram = {"2023-12": 0, "2024-01": 3, "2024-02": 0, "2024-03": 1, "2024-04": 0}
    assert drawn(histogram) == drawn({"2024-01": 3, "2024-03": 1})
    assert [bar.label for bar in bars(histogram)] == ["janv. 2024", "févr. 2024", "mars 2024"]


def test_nothing_counted_draws_nothing() -> None:
    assert bars({}) == [] and bars({"2024-01": 0}) == []
