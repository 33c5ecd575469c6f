"""Console pages of the portal (saas.urls_public)."""

from django.urls import path

from apps.portal.platform import views

public_urlpatterns = [
    path("", views.landing, name="portal-landing"),
    path("provinsi/<str:kode>/", views.province_page, name="portal-province"),
]

staff_urlpatterns = [
    path("", views.prices, name="portal-console-prices"),
    path("<int:daerah>/<str:kode>/", views.price_drill, name="portal-console-drill"),
]
