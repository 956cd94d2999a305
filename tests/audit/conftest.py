import pytest
from django.urls import clear_url_caches


@pytest.fixture(autouse=True)
def _audit_urls(settings):
    settings.ROOT_URLCONF = "tests.audit.urls"
    clear_url_caches()
    yield
    clear_url_caches()
