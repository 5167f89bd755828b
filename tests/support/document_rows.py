"""
The rows the 2024 document is loaded as, read once per test process and
written back as they are.

A transactional test (the browser tests, the races, the export worker)
empties the database when it ends, and whoever comes after it needs the
document again. Loading it again through goals.loading runs every model's
save, history and signals: about two seconds on PostgreSQL, for each of
some seventy tests. Writing back the rows it made, with their ids, takes a
fraction of that and gives the same database.
"""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from goals.models import DataVersion, ProgramVersion

try:
    from psycopg.types.json import Jsonb
except ImportError:  # SQLite only
    Jsonb = None


class DocumentRows:
    def __init__(self):
        self.tables = {}  # table: (columns, rows)

    def load(self, load_document, document_data):
        """Load the document, keeping the rows it wrote to tables that were
        empty before (the roles and permissions that migrate makes stay out)."""
        empty = {table for table, count in _counts().items() if count == 0}
        # Not written back: the version is made afresh when first read, so
        # figures kept under an earlier test's version are never taken as this one's.
        empty.difference_update({DataVersion._meta.db_table, ProgramVersion._meta.db_table})
        institution = load_document(document_data)
        with connection.cursor() as cursor:
            for table in sorted(empty):
                columns = [column.name for column in
                           connection.introspection.get_table_description(cursor, table)]
                cursor.execute(f"SELECT {_names(columns)} FROM {_name(table)}")
                rows = [tuple(_adapted(value) for value in row) for row in cursor.fetchall()]
                if rows:
                    self.tables[table] = (columns, rows)
        return institution

    def restore(self):
        """Write the rows back; False (and nothing written) unless every one of
        their tables is empty, as a transactional test leaves them."""
        if not self.tables or any(_counts(self.tables).values()):
            return False
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (columns, rows) in self.tables.items():
                cursor.executemany(
                    f"INSERT INTO {_name(table)} ({_names(columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})", rows)
            # New rows take ids after the ones written back (PostgreSQL's
            # sequences; SQLite follows the largest id by itself).
            models = [model for model in apps.get_models(include_auto_created=True)
                      if model._meta.db_table in self.tables]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        return True


def _counts(tables=None):
    names = tables or connection.introspection.django_table_names(include_views=False)
    with connection.cursor() as cursor:
        found = {}
        for table in names:
            cursor.execute(f"SELECT COUNT(*) FROM {_name(table)}")
            found[table] = cursor.fetchone()[0]
        return found


def _adapted(value):
    # PostgreSQL gives JSON columns back as Python objects; they go in as JSON.
    return Jsonb(value) if Jsonb and isinstance(value, dict | list) else value


def _name(name):
    return connection.ops.quote_name(name)


def _names(columns):
    return ", ".join(_name(column) for column in columns)
