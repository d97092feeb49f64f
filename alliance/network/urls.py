from django.urls import path

from alliance.network.views import deactivation, duplicates, follow_ups, home, imports, merges, organizations, people
from alliance.network.views import members as views

app_name = "network"

urlpatterns = [
    path("", home.home, name="home"),
    path("join/", views.join, name="join"),
    path("join/sent/", views.join_sent, name="join-sent"),
    path("join/confirm/<str:token>/", views.join_confirm, name="join-confirm"),
    path("people/", views.directory, name="directory"),
    path("people/export.<str:fmt>", views.directory_export, name="directory-export"),
    path("people/<int:person_id>/", views.person_detail, name="person-detail"),
    path("people/new/", people.person_add, name="person-add"),
    path("people/<int:person_id>/edit/", people.person_edit, name="person-edit"),
    path("people/<int:person_id>/deactivate/", deactivation.person_deactivate, name="person-deactivate"),
    path("people/<int:person_id>/reactivate/", deactivation.person_reactivate, name="person-reactivate"),
    path("people/deactivated/", deactivation.inactive_list, name="people-inactive"),
    path("me/", people.profile, name="profile"),
    path("organizations/<int:organization_id>/", views.organization_detail, name="organization-detail"),
    path("organizations/<int:organization_id>/edit/", organizations.organization_edit, name="organization-edit"),
    path("organizations/duplicates/", organizations.organization_duplicates, name="organization-duplicates"),
    path("organizations/merge/", organizations.organization_merge, name="organization-merge"),
    path(
        "organizations/merges/<int:merge_id>/undo/",
        organizations.organization_merge_undo,
        name="organization-merge-undo",
    ),
    path("newcomers/", views.newcomers, name="newcomers"),
    path("newcomers/not-followed-up/", follow_ups.newcomers_not_followed_up, name="newcomers-not-followed-up"),
    path("newcomers/<int:welcome_id>/followed-up/", views.newcomer_followed_up, name="newcomer-followed-up"),
    path("welcome/", views.welcome_template, name="welcome-template"),
    path("welcome/sent/", views.welcome_list, name="welcome-list"),
    path("welcome/<int:welcome_id>/retry/", views.welcome_retry, name="welcome-retry"),
    path("people/import/", imports.upload, name="import"),
    path("people/import/<int:import_id>/", imports.detail, name="import-detail"),
    path("people/import/<int:import_id>/preview/", imports.preview, name="import-preview"),
    path("people/import/<int:import_id>/run/", imports.run, name="import-run"),
    path("people/import/<int:import_id>/rejected.csv", imports.rejections, name="import-rejections"),
    path("people/duplicates/", duplicates.duplicate_list, name="duplicates"),
    path("people/duplicates/merge/", duplicates.duplicate_merge, name="duplicates-merge"),
    path("people/duplicates/distinct/", duplicates.duplicate_distinct, name="duplicates-distinct"),
    path("people/merges/<int:merge_id>/undo/", duplicates.merge_undo, name="merge-undo"),
    path("people/merges/confirm/", merges.merge_confirm, name="merge-confirm"),
]
