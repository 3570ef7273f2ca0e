"""Links in the gold-set format, strict and lax F1 as Vecalign and Bertalign compute them, and the lattice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.align.dp import MOVES, best_alignment
from pipeline.align.length import LengthModel
from pipeline.align.links import Link, format_links, parse_links, score_links
from pipeline.errors import InputError


@st.composite
def alignments(draw: st.DrawFn) -> list[Link]:
    """A random alignment: consecutive runs of both sides, nulls included."""
    links, i, j = [], 0, 0
    for a, b in draw(st.lists(st.sampled_from(MOVES), max_size=20)):
        links.append(Link(tuple(range(i, i + a)), tuple(range(j, j + b))))
        i, j = i + a, j + b
    return links


@given(alignments())
def test_links_read_back_as_written(links: list[Link]) -> None:
    assert parse_links(format_links(links)) == links


@given(alignments())
def test_an_alignment_scores_one_against_itself(links: list[Link]) -> None:
    scores = score_links([links], [links])
    if any(not link.null for link in links):
        assert scores.strict_f1 == scores.lax_f1 == 1.0


def test_strict_and_lax_as_vecalign_counts_them() -> None:
    gold = [Link((0,), (0, 1)), Link((1,), (2,)), Link((2,), ())]
    test = [Link((0,), (0,)), Link((), (1,)), Link((1,), (2,)), Link((2,), ())]
    scores = score_links([gold], [test])
    # precision: 4 predicted links, 2 identical to gold ((1)-(2) and the null (2)-()), 3 overlapping
    assert (scores.strict_precision, scores.lax_precision) == (0.5, 0.75)
    # recall ignores nulls: gold (0)-(0,1) overlaps the prediction (0)-(0), (1)-(2) is identical
    assert (scores.strict_recall, scores.lax_recall) == (0.5, 1.0)


def test_counts_are_pooled_over_documents() -> None:
    right = [Link((0,), (0,))]
    wrong = [Link((0,), (1,))]
    scores = score_links([right, [Link((0,), (0,)), Link((1,), (1,))]], [right, [Link((0, 1), (0, 1))]])
    assert scores.strict_precision == 0.5 and scores.strict_recall == pytest.approx(1 / 3)
    assert score_links([right], [wrong]).lax_f1 == 0.0


@pytest.mark.parametrize("line", ["[0]:[x]", "[0] [1]", "[-1]:[0]", "[0]:[True]"])
def test_a_malformed_link_names_its_line(line: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_links(f"[0]:[0]\n{line}\n", "gold.align")
    assert str(caught.value).startswith("gold.align:2: ")


def test_the_band_widens_until_the_path_keeps_clear_of_its_edge() -> None:
    """The best path starts with 30 target sentences matching nothing, far off the diagonal of a narrow band."""

    def cost(i: int, j: int, a: int, b: int) -> float:
        if (a, b) == (0, 1):
            return 0.0 if j < 30 else 50.0
        return 0.0 if (a, b) == (1, 1) and j == i + 30 else 20.0

    links = best_alignment(10, 40, cost, MOVES, width=2)
    assert links[:30] == [((), (j,), pytest.approx(links[j][2])) for j in range(30)]
    assert [(s, t) for s, t, _ in links[30:]] == [((i,), (i + 30,)) for i in range(10)]


def test_the_length_cost_is_symmetric_in_the_direction() -> None:
    """English → Chinese or Chinese → English: the same pair of lengths costs the same."""
    forward = LengthModel.estimate([300, 120], [80, 35], variance=8.0)
    backward = LengthModel.estimate([80, 35], [300, 120], variance=8.0)
    assert forward.cost(150, 30) == pytest.approx(backward.cost(30, 150))
