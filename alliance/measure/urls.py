from django.urls import path

from alliance.measure.views import dashboards, data, indicators

app_name = "measure"

urlpatterns = [
    path("dashboards/", dashboards.national, name="dashboards"),
    path("dashboards/indicators/", indicators.indicator_list, name="indicators"),
    path("dashboards/indicators/<int:indicator_id>/", indicators.indicator_detail, name="indicator"),
    path("dashboards/indicators/<int:indicator_id>/worksheet/", indicators.worksheet_edit, name="worksheet-edit"),
    path("dashboards/indicators/<int:indicator_id>/targets/", indicators.target_edit, name="target-edit"),
    path("dashboards/<str:state_code>/", dashboards.state, name="dashboard-state"),
    path("data/", data.datasets, name="datasets"),
    path("data/<int:dataset_id>/", data.dataset, name="dataset"),
    path("data/<int:dataset_id>/rejected.csv", data.dataset_rejections, name="dataset-rejections"),
    path("data/<int:dataset_id>/rollback/", data.dataset_rollback, name="dataset-rollback"),
    path("data/mappings/new/", data.mapping_edit, name="mapping-new"),
    path("data/mappings/<int:mapping_id>/", data.mapping_edit, name="mapping-edit"),
]
