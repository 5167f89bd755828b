"""
A year's figures kept once built, under the institution's data version.

Building a year's figures (goals.selectors.year_figures) is most of what the
overview, the program page, the entry and approval pages and the reports
cost, and at the end of a quarter everyone reads the same year of the same
institution, again and again, between writes. So the figures built are kept
in Django's cache named "figures" (settings.CACHES: the database's cache
table, or Redis when FIGURES_CACHE_URL names one; shared by every worker),
under a key made of:

- the institution and its data version (goals.versions), read *before* the
  figures are built, so what is kept under a version is at least as new as
  that version. Every write to the institution's goal book, through every
  path, gives it a new version as it commits: the key of the next read is
  new, and the figures kept under the old one are never read again (they
  expire). Another institution's writes change nothing here.
- everything the figures depend on besides the data: the year, the basis
  quarter asked for (and, when none is, today's date, which the default basis
  reads), the values shown (approved only, everything, or a staff member's
  own drafts), the narratives, the entry pages' reading, and the programs.

A staff member's programs as they are entered (for_entry, a few programs)
are built every time, never kept: they are read again right after every
save, and any write in the institution, a colleague's included, gives it a
new version, so at the end of a quarter, when they are read most, a kept copy
would almost never be read again; pickling and storing it would only cost.

Inside a transaction the figures are built from the database, never taken
from the cache nor kept: the transaction may have written what its version
does not say yet (the version changes as it commits), and a transaction
rolled back must leave nothing behind.

In front of the shared cache each process keeps the last few figures of a
whole year it built or read (the overview, the approval page, the reports;
not a staff member's few programs), under the same key: reading them again
costs nothing, not even unpickling. Readers therefore treat the figures as
read-only: nothing that reads them changes them (a save reads what it
changes afresh, under its lock).
"""

import hashlib
import logging
import pickle
import threading
import zlib
from collections import OrderedDict
from datetime import date

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.models.query import QuerySet


log = logging.getLogger(__name__)

CACHE = "figures"
LOCAL_ENTRIES = 8
# A version changes with every write, so a key is never read again after one:
# entries only need to outlive the reads between two writes. The timeout also
# bounds how long a version missed (a process killed between a commit and its
# new version) could keep figures older than the data.
TIMEOUT = 15 * 60


class _Local:
    """The last few figures of this process, by key (least recently used goes)."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def set(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


local = _Local(LOCAL_ENTRIES)


def year_figures(build, institution, year, quarter, *, shown, with_text, programs, for_entry):
    """`build(...)` (the selector's year_figures) through the cache."""
    if connection.in_atomic_block or (for_entry and programs is not None):
        return build(institution, year, quarter, shown=shown, with_text=with_text,
                     programs=programs, for_entry=for_entry)
    from . import versions  # goals.access, which versions reads, reads the selectors

    version = versions.current(institution)  # before the figures: see the module's text
    if isinstance(programs, QuerySet):
        # The programs a queryset picks (a staff member's own) are part of the key.
        programs = sorted(programs.values_list("pk", flat=True))
    key = _key(institution, version, year, quarter, shown, with_text, programs, for_entry)
    # The whole year, read by many (the overview, the approval page, reports),
    # is kept in this process too; a page of a few programs (a staff member's
    # entry page, a program's page) is read from the shared cache only.
    shared = programs is None
    if shared:
        found = local.get(key)
        if found is not None:
            return found
    found = _read(key)
    if found is None:
        found = build(institution, year, quarter, shown=shown, with_text=with_text,
                      programs=programs, for_entry=for_entry)
        # Kept for others only if no write came meanwhile: at the end of a
        # quarter the version changes every few hundred milliseconds, and
        # figures of a version gone would be pickled and stored for nobody.
        if versions.current(institution) == version:
            _write(key, found)
    if shared:
        local.set(key, found)
    return found


def _key(institution, version, year, quarter, shown, with_text, programs, for_entry):
    institution_id = getattr(institution, "pk", institution)
    basis = quarter or f"default-{date.today().isoformat()}"
    chosen = ("all" if programs is None else hashlib.sha256(
        ",".join(str(pk) for pk in sorted(int(pk) for pk in programs)).encode()).hexdigest()[:32])
    return (f"year-figures:{institution_id}:{version}:{year}:{basis}:"
            f"{int(shown.unapproved)}:{shown.owner_id or ''}:{int(with_text)}:{int(for_entry)}:"
            f"{chosen}")


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
