from django.apps import AppConfig


class NavAppConfig(AppConfig):
    name = "apps.access.tests.navapp"
    label = "access_test_navapp"
