"""Assessment plan, assessments, evaluation report, eligibility and its notice."""

urlpatterns: list = []
