from django.urls import path

from apps.audit.apis import AuditEntryListApi

urlpatterns = [
    path("entries/", AuditEntryListApi.as_view(), name="audit-entry-list"),
]
