"""
A year's figures kept once built, under the versions of what they were read from.

Building a year's figures (goals.selectors.year_figures) is most of what the
overview, the program page, the entry and approval pages and the reports
cost, and at the end of a quarter everyone reads the same year of the same
institution, again and again, while staff save their programs' values one
program at a time. So the figures built are kept in Django's cache named
"figures" (settings.CACHES: the database's cache table, or Redis when
FIGURES_CACHE_URL names one; shared by every worker), under a key made of:

- the institution and its outline's version (goals.versions): every write
  to its goal book but what is entered for a program's quarters gives the
  outline a new version as it commits, so the key of the next read is new.
  Another institution's writes change nothing here.
- everything the figures depend on besides the data: the year, the basis
  quarter asked for (and, when none is, today's date, which the default basis
  reads), the values shown (approved only, everything, or a staff member's
  own drafts), the narratives, the entry pages' reading, and the programs.

With the figures is kept the version of every program they were read from
(each program, and last year's it continues, whole or an indicator at a
time), read *before* the figures, so that the figures are at least as new
as those versions; for figures of approved values only, the part of each
version those see (ProgramVersion.approved), which drafts leave alone. The figures are read back only while each is unchanged.
When some have changed (a colleague saved a program), a whole year's figures
are not built again: only the programs that read a changed one are, and put
in place of theirs (compose()); the rest did not change, since everything
they were read from did not.

A few programs read with approved values only (an indicator page, the years
it continues, the evaluation's) are taken from the whole year this process
keeps, when it keeps one read with the same options (a program page reads
the narratives too, which the overview does not) and still current
(_from_whole_year).

A staff member reads every program's approved values and their own drafts:
their year is the year read with approved values only, which every reader
shares, with their own programs (kept as a few programs are) put in place.

Inside a transaction the figures are built from the database, never taken
from the cache nor kept: the transaction may have written what its versions
do not say yet (they change as it commits), and a transaction rolled back
must leave nothing behind.

In front of the shared cache each process keeps the figures it last built,
read or composed (a whole year, or a few programs: a staff member's entry
page), under the same key, as many as make LOCAL_PROGRAMS programs' figures
in all: reading them again costs no unpickling (at 500 indicators, a third
of the entry page), and composing a year again only the programs changed
since. Readers therefore treat the figures as read-only: nothing that reads
them changes them (a save reads what it changes afresh, under its lock).
"""

import dataclasses
import hashlib
import logging
import pickle
import threading
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.core.cache import caches
from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection
from django.db.models.query import QuerySet


log = logging.getLogger(__name__)

CACHE = "figures"
# What each process keeps, counted in programs' figures (20-45 KB each in
# memory, measured with tracemalloc; so at most about 40 MB): a 500-indicator
# year is 100 programs, the 2024 document's 14, a staff member's page a few.
LOCAL_PROGRAMS = 1000
# How long figures are kept, in the shared cache and in a process, from the
# moment they were built whole; composing them (compose()) keeps that moment.
# It bounds how long a version missed (a process killed between a commit and
# its new version) could keep figures older than the data.
TIMEOUT = 15 * 60


class _Entry(NamedTuple):
    kept: "Kept"
    programs: int  # what it weighs


class _Local:
    """The last figures of this process, by key, up to `size` programs' figures
    in all (the least recently used go first)."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()  # key → _Entry
        self.kept_programs = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            self.entries.move_to_end(key)
            return found.kept

    def set(self, key, kept):
        weight = max(1, len(kept.figures.programs))
        with self.lock:
            if key in self.entries:
                self.kept_programs -= self.entries.pop(key).programs
            if weight > self.size:
                return
            self.entries[key] = _Entry(kept, weight)
            self.kept_programs += weight
            while self.kept_programs > self.size:
                self.kept_programs -= self.entries.popitem(last=False)[1].programs

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.kept_programs = 0


local = _Local(LOCAL_PROGRAMS)


def year_figures(build, institution, year, quarter, *, shown, with_text, programs, for_entry):
    """`build(...)` (the selector's build_year_figures) through the cache."""
    if connection.in_atomic_block:
        return build(institution, year, quarter, shown=shown, with_text=with_text,
                     programs=programs, for_entry=for_entry)
    if shown.owner_id is not None and not shown.unapproved:
        return _with_own_drafts(build, institution, year, quarter, shown=shown,
                                programs=programs, with_text=with_text, for_entry=for_entry)
    return _kept(build, institution, year, quarter, shown=shown, with_text=with_text,
                 programs=programs, for_entry=for_entry)


def _kept(build, institution, year, quarter, *, shown, with_text, programs, for_entry,
          within=None, outline=None):
    """The figures kept under their key, or built and kept. `within`: see
    build_year_figures; `outline`: the outline's version, when the caller
    read it already (the figures are then kept under it)."""
    from . import versions  # goals.access, which versions reads, reads the selectors

    outline = outline or versions.outline(institution)
    # Figures of approved values only outlast drafts saved (versions.py).
    approved = not shown.unapproved and shown.owner_id is None
    if programs is not None and approved:
        found = _from_whole_year(institution, outline, year, quarter, shown, with_text,
                                 programs, for_entry, approved)
        if found is not None:
            return found
    if programs is not None and quarter is None:
        # A few programs at the year's default basis quarter, which approvals
        # of the others move (the versions of these programs do not say so).
        from .selectors import basis_of

        quarter = basis_of(institution, year)
    key = _key(institution, outline, year, quarter, shown, with_text, programs, for_entry)
    whole_year = programs is None
    kept = local.get(key) or _read(key)
    if kept is not None and time.time() - kept.built_at < TIMEOUT:
        now = versions.program_versions(list(kept.versions_read), approved)
        if now == kept.versions_read:
            local.set(key, kept)
            return kept.figures
        if whole_year:
            composed = compose(build, kept, now, institution, year, quarter, shown=shown,
                               with_text=with_text, for_entry=for_entry)
            if composed is not None:
                local.set(key, composed)
                # Each process composes on from its own copy: the shared one,
                # where a process without one starts, is stored again (a
                # whole year pickled) only once it lags far behind.
                if composed.rebuilt * 4 > len(composed.figures.programs):
                    composed.rebuilt = 0
                    _write(key, composed)
                return composed.figures
    before = versions.program_versions_of(institution, approved)  # before the figures
    figures = build(institution, year, quarter, shown=shown, with_text=with_text,
                    programs=programs, for_entry=for_entry, within=within)
    kept = Kept(figures, {pk: before.get(pk, "") for program_figures in figures.programs
                          for pk in read_from(program_figures)}, built_at=time.time())
    _write(key, kept)
    local.set(key, kept)
    return figures


def _from_whole_year(institution, outline, year, quarter, shown, with_text, programs, for_entry,
                     approved):
    """The figures of a few `programs`, taken from the whole year's, read
    with the same options, when this process keeps those and they are
    current: what a build of those programs alone gives (their categories'
    and the year's totals adding up only them), without the build. An
    indicator page read as everyone reads it then costs no build whenever
    the overview was read since the last approval. Only for figures of approved values only, which drafts leave
    current: a year of every value is changed by every save. None when the
    process keeps no such year, or one since changed."""
    from . import versions

    kept = local.get(_key(institution, outline, year, quarter, shown, with_text, None,
                          for_entry))
    if kept is None or time.time() - kept.built_at >= TIMEOUT:
        return None
    if versions.program_versions(list(kept.versions_read), approved) != kept.versions_read:
        return None
    wanted = set(programs.values_list("pk", flat=True) if isinstance(programs, QuerySet)
                 else (int(pk) for pk in programs))
    figures = kept.figures
    return dataclasses.replace(figures, categories=[
        dataclasses.replace(category, programs=chosen) for category in figures.categories
        if (chosen := [each for each in category.programs if each.program.pk in wanted])])


@dataclass
class Kept:
    figures: object
    versions_read: dict  # program id → its version, read before the figures were
    built_at: float  # when they were built whole (time.time())
    rebuilt: int = 0  # programs composed in since they were last stored in the shared cache


def compose(build, kept, now, institution, year, quarter, **options):
    """The year's figures `kept`, with the programs that read a program whose
    version is no longer what it was (`now`) built afresh; None when a whole
    build is needed: the default basis quarter moved (a quarter approved or
    reopened)."""
    changed = {pk for pk, version in now.items() if kept.versions_read[pk] != version}
    figures = kept.figures
    stale = [each.program.pk for each in figures.programs if read_from(each) & changed]
    fresh = {each.program.pk: each for each in build(
        institution, year, figures.quarter, programs=stale, within=figures, **options).programs
    } if stale else {}
    composed = _with_programs(figures, fresh)
    if quarter is None:
        from .selectors import basis_of

        if basis_of(institution, year) != figures.quarter:
            return None
    return Kept(composed, now, kept.built_at, rebuilt=kept.rebuilt + len(stale))


def _with_own_drafts(build, institution, year, quarter, *, shown, programs, **options):
    """A staff member's year (or `programs` of it): the approved values of
    every program but their own, which count their drafts too
    (Shown.owner_id). The other programs' figures are those read with
    approved values only, which every reader shares: those, with their own
    programs put in place."""
    from . import versions
    from .selectors import APPROVED_ONLY

    # Both kept under the one outline their plan and categories are of.
    outline = versions.outline(institution)
    figures = _kept(build, institution, year, quarter, shown=APPROVED_ONLY,
                    programs=programs, outline=outline, **options)
    own = [each.program.pk for each in figures.programs
           if each.program.owner_id == shown.owner_id]
    fresh = {}
    if own:
        fresh = {each.program.pk: each for each in _kept(
            build, institution, year, figures.quarter, shown=shown, programs=own,
            within=figures, outline=outline, **options).programs}
    return _with_programs(figures, fresh, shown=shown)


def _with_programs(figures, fresh, **changes):
    """`figures` with the programs' figures in `fresh` ({program id:
    ProgramFigures}) in place of theirs."""
    return dataclasses.replace(figures, **changes, categories=[
        dataclasses.replace(category, programs=[
            fresh.get(each.program.pk, each) for each in category.programs])
        for category in figures.categories])


def read_from(program_figures):
    """The programs whose entered rows a program's figures were built from:
    its own, and last year's it continues (whole, or an indicator at a time)."""
    program = program_figures.program
    found = {pk for pk in (program.pk, program.previous_id) if pk}
    found.update(figure.indicator.previous.program_id
                 for figure in program_figures.indicators if figure.indicator.previous_id)
    return found


def _key(institution, version, year, quarter, shown, with_text, programs, for_entry):
    institution_id = getattr(institution, "pk", institution)
    basis = quarter or f"default-{date.today().isoformat()}"
    if programs is None:
        chosen = "all"
    else:
        # A queryset (a staff member's own programs) by its SQL, not read: it
        # picks programs by what they are (their plan, their owner), which
        # changes only with the outline.
        named = (_sql_of(programs) if isinstance(programs, QuerySet)
                 else ",".join(str(pk) for pk in sorted(int(pk) for pk in programs)))
        chosen = hashlib.sha256(named.encode()).hexdigest()[:32]
    return (f"year-figures:3:{institution_id}:{version}:{year}:{basis}:"
            f"{int(shown.unapproved)}:{shown.owner_id or ''}:{int(with_text)}:{int(for_entry)}:"
            f"{chosen}")


def _sql_of(queryset):
    try:
        return str(queryset.query)
    except EmptyResultSet:  # it picks none, whatever the data
        return "none"


def _read(key):
    try:
        data = caches[CACHE].get(key)
    except DatabaseError:  # the cache table missing (createcachetable): build them
        log.warning("The figures cache could not be read", exc_info=True)
        return None
    if data is None:
        return None
    return pickle.loads(zlib.decompress(data))


def _write(key, figures):
    # Compressed: a 500-indicator year pickles to some 450 KB, 50 KB compressed.
    data = zlib.compress(pickle.dumps(figures, pickle.HIGHEST_PROTOCOL), 1)
    try:
        caches[CACHE].set(key, data, TIMEOUT)
    except DatabaseError:
        log.warning("The figures cache could not be written", exc_info=True)
