"""
Two years side by side: their programs and indicators matched through the
links between years, each with its figures.
"""

from dataclasses import dataclass
from typing import Optional

from django.utils.translation import gettext_lazy

from . import formatting as fmt
from .overview import TableRow, link, marked, number_key, url_for_pk
from .selectors import links_between, year_figures


@dataclass
class Pair:
    """A program's or indicator's figures in the earlier year and in the later
    one; either side may be missing (new, or dropped)."""

    earlier: Optional[object]
    later: Optional[object]


@dataclass
class Comparison:
    earlier: object  # YearFigures
    later: object
    program_pairs: list
    indicator_pairs: list

    @property
    def continued(self):
        return sum(1 for pair in self.indicator_pairs if pair.earlier and pair.later)

    @property
    def new(self):
        return sum(1 for pair in self.indicator_pairs if not pair.earlier)

    @property
    def dropped(self):
        return sum(1 for pair in self.indicator_pairs if not pair.later)


def read(institution, first, second, shown):
    """Years `first` and `second` of `institution` (in either order), each read
    at its default basis, counting the values `shown` allows."""
    earlier, later = sorted((first, second))
    earlier_book = year_figures(institution, earlier, shown=shown)
    later_book = year_figures(institution, later, shown=shown)
    program_pairs, indicator_pairs = pair_years(
        earlier_book, later_book, links_between(institution, earlier, later))
    return Comparison(earlier_book, later_book, program_pairs, indicator_pairs)


def pair_years(earlier, later, links=None):
    """
    Match the programs and indicators of two years' figures through
    Program.previous and Indicator.previous. When the years are not
    consecutive, `links` gives the steps in between: {"program": {id:
    previous_id}, "indicator": {...}}. Returns (program pairs, indicator pairs):
    the later year's order, then what only the earlier year had.
    """
    links = links or {"program": {}, "indicator": {}}
    programs = _pairs([(item.program, item) for item in earlier.programs],
                      [(item.program, item) for item in later.programs], links["program"])
    indicators = _pairs([(item.indicator, item) for item in earlier.indicators],
                        [(item.indicator, item) for item in later.indicators],
                        links["indicator"])
    return programs, indicators


def _pairs(earlier, later, links):
    by_id = {obj.pk: item for obj, item in earlier}
    matched = set()
    pairs = []
    for obj, item in later:
        ancestor = obj.previous_id
        while ancestor is not None and ancestor not in by_id:
            ancestor = links.get(ancestor)
        if ancestor is not None and ancestor not in matched:
            matched.add(ancestor)
            pairs.append(Pair(by_id[ancestor], item))
        else:
            pairs.append(Pair(None, item))
    pairs += [Pair(item, None) for obj, item in earlier if obj.pk not in matched]
    return pairs


CONTINUED = gettext_lazy("계속")
NEW = gettext_lazy("신규")
DROPPED = gettext_lazy("종료")


def comparison_rows(comparison, query=""):
    """The indicator pairs of two years, written for ComparisonTable; links
    carry `query` (the values shown)."""
    urls = {book.year: url_for_pk("goals:indicator", book.plan.institution.code, book.year,
                                  query=query)
            for book in (comparison.earlier, comparison.later)}
    rows = []
    for position, pair in enumerate(comparison.indicator_pairs):
        row = TableRow()
        shown = pair.later or pair.earlier
        program = shown.indicator.program
        row.cells["program"] = program.numbered_name
        row.keys["program"] = (pair.later is None, program.category.order, program.number,
                               position)
        for side, figure, book in (("earlier", pair.earlier, comparison.earlier),
                                   ("later", pair.later, comparison.later)):
            _write_side(row, side, figure, urls[book.year])
        status = CONTINUED if pair.earlier and pair.later else NEW if pair.later else DROPPED
        row.cells["link"] = str(status)
        row.keys["link"] = str(status)
        rows.append(row)
    return rows


def _write_side(row, side, figure, indicator_url):
    if figure is None:
        row.cells.update({f"{side}_{name}": fmt.EMPTY
                          for name in ("indicator", "target", "result", "achievement")})
        row.keys.update({f"{side}_indicator": "", f"{side}_target": number_key(None),
                         f"{side}_result": number_key(None),
                         f"{side}_achievement": number_key(None)})
        return
    indicator = figure.indicator
    result = fmt.quantity(figure.result, indicator.unit, figure.result_note) or fmt.EMPTY
    if figure.result_is_unapproved:
        result = marked(result)
    row.cells.update({
        f"{side}_indicator": link(indicator_url(indicator.pk), indicator.measurement),
        f"{side}_target": fmt.quantity(figure.target, indicator.unit, figure.target_note)
        or fmt.EMPTY,
        f"{side}_result": result,
        f"{side}_achievement": fmt.rate(figure.achievement),
    })
    row.keys.update({f"{side}_indicator": indicator.measurement,
                     f"{side}_target": number_key(figure.target),
                     f"{side}_result": number_key(figure.result),
                     f"{side}_achievement": number_key(figure.achievement)})
