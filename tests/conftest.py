import pytest

from goals.document import load_document, read_document
from goals.management.commands.load_document import DEFAULT_DOCUMENT


@pytest.fixture(scope="session")
def document_data():
    return read_document(DEFAULT_DOCUMENT)


@pytest.fixture
def institution(db, document_data):
    """The institution with the whole 2024 document loaded."""
    return load_document(document_data)


@pytest.fixture
def plan_2024(institution):
    return institution.plans.get(year=2024)
