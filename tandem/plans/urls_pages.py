"""Plan pages: the plan, its versions, comparisons and PDFs."""

urlpatterns: list = []
