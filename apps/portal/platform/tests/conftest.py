from apps.portal.tests.conftest import apbd_provider_test_double  # noqa: F401
