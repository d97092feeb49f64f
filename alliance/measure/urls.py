from django.urls import path

from alliance.measure.views import dashboards, data

app_name = "measure"

urlpatterns = [
    path("dashboards/", dashboards.national, name="dashboards"),
    path("dashboards/<str:state_code>/", dashboards.state, name="dashboard-state"),
    path("data/", data.datasets, name="datasets"),
    path("data/<int:dataset_id>/", data.dataset, name="dataset"),
    path("data/<int:dataset_id>/rejected.csv", data.dataset_rejections, name="dataset-rejections"),
    path("data/<int:dataset_id>/rollback/", data.dataset_rollback, name="dataset-rollback"),
    path("data/mappings/new/", data.mapping_edit, name="mapping-new"),
    path("data/mappings/<int:mapping_id>/", data.mapping_edit, name="mapping-edit"),
]
