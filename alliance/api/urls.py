from django.urls import path

from alliance.api import views

# Not "api": that namespace belongs to the NinjaAPI mounted at /api/.
app_name = "apitokens"

urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("<int:token_id>/revoke/", views.token_revoke, name="revoke"),
]
