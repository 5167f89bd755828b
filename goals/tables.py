"""
The dashboard's tables, with django-tables2: headers, sorting links and the
order of the rows.

Their rows arrive written (goals.overview, goals.comparison): each carries its cells as HTML
from goals.formatting and a sort key per column. django-tables2 renders a
cell through several layers of accessors and introspection, about half a
millisecond a row here, which at 500 indicators would cost more than the
whole page may take; so these tables sort by the keys and hand the template
whole rows, while django-tables2 keeps the headers, the links and the order.
"""

from html import escape
from urllib.parse import urlencode

import django_tables2 as tables
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData
from django_tables2.utils import OrderBy

from .widgets import escaped

NUMBER = {"th": {"class": "num"}, "td": {"class": "num"}}
CENTER = {"th": {"class": "center"}, "td": {"class": "center"}}


def number_column(header, **kwargs):
    return tables.Column(verbose_name=header, attrs=NUMBER, **kwargs)


class WrittenRows(TableListData):
    """Rows with written `cells` and sort `keys`: sorting reads the keys."""

    def order_by(self, aliases):
        # Least significant first; Python's sort is stable, also in reverse.
        for alias in reversed(aliases):
            order = OrderBy(alias)
            self.data.sort(key=lambda row: row.keys[order.bare], reverse=order.is_descending)


class WrittenTable(tables.Table):
    """A table whose rows are already written. `row_header` names the column
    whose cells head their row (<th scope="row">)."""

    row_header = None
    caption = ""

    def __init__(self, rows, caption="", **kwargs):
        super().__init__(WrittenRows(list(rows)), **kwargs)
        self.caption = caption or self.caption

    def written_body(self):
        """The rows of the table, in their order, as one piece of HTML."""
        columns = []
        for column in self.columns:
            attrs = column.attrs["td"].as_html()
            tag = "th" if column.name == self.row_header else "td"
            scope = ' scope="row"' if tag == "th" else ""
            columns.append((column.name, f"<{tag}{scope} {attrs}".rstrip() + ">", f"</{tag}>"))
        written = []
        for row in self.data:
            cells = "".join(f"{start}{escaped(row.cells[name])}{end}" for name, start, end in columns)
            row_class = f' class="{escape(row.row_class)}"' if row.row_class else ""
            written.append(f"<tr{row_class}>{cells}</tr>")
        return mark_safe("\n".join(written))


def written_head(table, query):
    """The header row of a django-tables2 `table`, the page's `query` (its
    GET) kept in the sorting links: each column's name with scope, and where
    the table sorts by it, a link that sorts (its mark, and words saying what
    it does) and aria-sort on the column it is sorted by. Written here, as
    the rows are, rather than by the template a column: that was a fifth of
    the overview."""
    params = dict(query)
    cells = []
    for column in table.columns:
        header = escaped(column.header)
        sort = ""
        if column.is_ordered:
            descending = column.order_by_alias.is_descending
            sort = f' aria-sort="{"descending" if descending else "ascending"}"'
        if column.orderable:
            link = urlencode({**params, table.prefixed_order_by_field:
                              column.order_by_alias.next}, doseq=True)
            if column.is_ordered:
                mark, said = (("▼", gettext("(내림차순, 누르면 오름차순)")) if descending
                              else ("▲", gettext("(오름차순, 누르면 내림차순)")))
            else:
                mark, said = "↕", gettext("(누르면 정렬)")
            header = (f'<a href="{escape("?" + link)}">{header}<span class="sort-mark" '
                      f'aria-hidden="true">{mark}</span><span class="visually-hidden">'
                      f'{escape(said)}</span></a>')
        cells.append(f'<th scope="col" {column.attrs["th"].as_html()}{sort}>{header}</th>')
    thead = table.attrs.get("thead")
    return mark_safe(f'<thead {thead.as_html() if thead else ""}>\n<tr>{"".join(cells)}</tr>'
                     f'\n</thead>')


class IndicatorTable(WrittenTable):
    """The overview: every indicator of the year with its figures."""

    row_header = "indicator"
    category = tables.Column(verbose_name=_("전략 분야"))
    program = tables.Column(verbose_name=_("주요경영목표"))
    indicator = tables.Column(verbose_name=_("성과지표"))
    owner = tables.Column(verbose_name=_("담당자"))
    budget = number_column(_("사업비(억원)"))
    execution = number_column(_("집행률"))
    target = number_column(_("성과목표"))
    result = number_column(_("실적"))
    standing = tables.Column(verbose_name=_("분기 상태"), attrs=CENTER)
    achievement = number_column(_("달성률"))
    pace = tables.Column(verbose_name=_("진도"), attrs=CENTER)
    baseline = number_column(_("전년 실적(전년 목표)"))
    change = number_column(_("전년목표 대비"))
    forecast = number_column(_("연말 예상"))
    points = number_column(_("예상 득점/배점"))

    class Meta:
        attrs = {"class": "figures"}
        empty_text = _("조건에 맞는 성과지표가 없습니다.")


class CategoryTable(WrittenTable):
    """Totals per category: budget, indicators in each pace status, achievement."""

    row_header = "category"
    category = tables.Column(verbose_name=_("전략 분야"))
    programs = number_column(_("사업"))
    indicators = number_column(_("성과지표"))
    budget = number_column(_("사업비(억원)"))
    behind = number_column(_("지연"))
    not_entered = number_column(_("미입력"))
    on_track = number_column(_("정상"))
    ahead = number_column(_("앞섬"))
    unmeasured = number_column(_("측정 전"))
    no_target = number_column(_("목표 없음"))
    execution = number_column(_("집행률"))
    points = number_column(_("예상 득점/배점"))
    achievement = number_column(_("평균 달성률"))

    class Meta:
        attrs = {"class": "figures"}
        orderable = False


class ComparisonTable(WrittenTable):
    """Two years' indicators side by side; the year columns are named per table."""

    row_header = "later_indicator"
    program = tables.Column(verbose_name=_("주요경영목표"))
    earlier_indicator = tables.Column()
    earlier_target = number_column("")
    earlier_result = number_column("")
    earlier_achievement = number_column("")
    later_indicator = tables.Column()
    later_target = number_column("")
    later_result = number_column("")
    later_achievement = number_column("")
    link = tables.Column(verbose_name=_("구분"), attrs=CENTER)

    class Meta:
        attrs = {"class": "figures"}

    def __init__(self, rows, earlier_year, later_year, **kwargs):
        super().__init__(rows, **kwargs)
        for prefix, year in (("earlier", earlier_year), ("later", later_year)):
            for name, header in (("indicator", _("성과지표")), ("target", _("목표")),
                                 ("result", _("실적")), ("achievement", _("달성률"))):
                self.columns[f"{prefix}_{name}"].column.verbose_name = f"{year} {header}"
