import pytest

from goals.document import load_document, read_document
from goals.management.commands.load_document import DEFAULT_DOCUMENT
from goals.models import Institution

CODE = "jbsss"


@pytest.fixture(scope="session")
def document_data():
    return read_document(DEFAULT_DOCUMENT)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, document_data):
    """The 2024 document is loaded once; each test runs in a transaction that
    is rolled back, so every test starts from the document as it is."""
    with django_db_blocker.unblock():
        load_document(document_data)


@pytest.fixture
def institution(db, document_data):
    """The institution with the whole 2024 document loaded. Transactional
    tests (which empty the database afterwards) load it again."""
    return Institution.objects.filter(code=CODE).first() or load_document(document_data)


@pytest.fixture
def plan_2024(institution):
    return institution.plans.get(year=2024)
