"""
Loading evaluation schemes (평가 체계) from a document such as
fixtures/evaluation_schemes.json: for an institution already loaded, each
scheme with its grade bands, 가점·감점 and the 배점 and method of each
indicator, found by its program's name and its measurement in the year's
plan. A document loads whole or not at all, and only schemes without a
problem (배점 that add up, bands that cover every total).
"""

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import (Adjustment, EvaluationScheme, GradeBand, Indicator, Institution,
                     SchemeIndicator)

EXAMPLE_SCHEMES = Path(settings.BASE_DIR) / "fixtures" / "evaluation_schemes.json"
SCHEME_FIELDS = ("is_example", "note", "total_points", "places", "rounding", "target_basis")
ITEM_FIELDS = ("weight", "method", "cap", "k_high", "k_low", "ratio_high", "ratio_low", "years",
               "floor", "fallback")


class SchemeDocumentError(Exception):
    pass


def read_schemes(path=EXAMPLE_SCHEMES):
    with Path(path).open(encoding="utf-8") as handle:
        return json.load(handle, parse_float=Decimal)


@transaction.atomic
def load_schemes(data):
    """Create the document's schemes; return them. Raises SchemeDocumentError,
    leaving nothing written, when an indicator is not found or a scheme has a
    problem."""
    institution = Institution.objects.filter(code=data["institution"]).first()
    if institution is None:
        raise SchemeDocumentError(_("기관 %(code)s이(가) 없습니다. 먼저 문서를 적재하세요.")
                                  % {"code": data["institution"]})
    return [_load_scheme(institution, scheme) for scheme in data["schemes"]]


def _load_scheme(institution, data):
    scheme = EvaluationScheme(institution=institution, year=data["year"], name=data["name"],
                              **{name: data[name] for name in SCHEME_FIELDS if name in data})
    _clean(scheme, data["name"])
    scheme.save()
    indicators = {(indicator.program.name, indicator.measurement): indicator
                  for indicator in Indicator.objects.filter(
                      program__category__plan__institution=institution,
                      program__category__plan__year=scheme.year).select_related(
                      "program__category__plan")}
    for entry in data["indicators"]:
        indicator = indicators.get((entry["program"], entry["measurement"]))
        if indicator is None:
            raise SchemeDocumentError(_("%(year)s년 계획에 없는 성과지표입니다: %(program)s · %(name)s")
                                      % {"year": scheme.year, "program": entry["program"],
                                         "name": entry["measurement"]})
        item = SchemeIndicator(scheme=scheme, indicator=indicator,
                               **{name: entry[name] for name in ITEM_FIELDS if name in entry})
        _clean(item, f"{scheme} · {indicator.measurement}")
        item.save()
    for order, band in enumerate(data["bands"], start=1):
        band = GradeBand(scheme=scheme, order=order, label=band["label"],
                         lower_bound=band["lower_bound"])
        _clean(band, str(scheme))
        band.save()
    for entry in data.get("adjustments", []):
        adjustment = Adjustment(scheme=scheme, **entry)
        _clean(adjustment, str(scheme))
        adjustment.save()
    problems = scheme.problems()
    if problems:
        raise SchemeDocumentError(f"{scheme}: " + " ".join(problems))
    return scheme


def _clean(obj, where):
    try:
        obj.full_clean()
    except ValidationError as error:
        raise SchemeDocumentError(f"{where}: " + " ".join(error.messages)) from None
