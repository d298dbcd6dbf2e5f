"""The delivery plan's pages. `/projects/` and `/open-data/projects.{json,csv}` are stable
interfaces (DESIGN.md): keep these addresses."""

from django.urls import path

from strategy import delivery_views as views

app_name = "projects"
urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/portfolio/", views.portfolio, name="portfolio"),
    path("projects/roadmap/", views.roadmap, name="roadmap"),
    path("projects/roadmap/pdf/", views.roadmap_pdf_request, name="roadmap_pdf_request"),
    path("projects/roadmap/<int:year>.pdf", views.roadmap_pdf, name="roadmap_pdf"),
    path("projects/ideas/", views.idea_list, name="ideas"),
    path("projects/ideas/new/", views.idea_new, name="idea_new"),
    path("projects/ideas/<int:pk>/", views.idea_detail, name="idea"),
    path("projects/ideas/<int:pk>/promote/", views.idea_promote, name="idea_promote"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
    path("projects/<slug:slug>/update/", views.project_update, name="update"),
    path("projects/<slug:slug>/risks/new/", views.risk_edit, name="risk_new"),
    path("projects/<slug:slug>/risks/<int:pk>/", views.risk_edit, name="risk_edit"),
    path("open-data/projects.csv", views.projects_csv, name="projects_csv"),
    path("open-data/projects.json", views.projects_json, name="projects_json"),
]
