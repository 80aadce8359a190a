"""The people who implement a plan: the teacher's page and the record of what was provided."""

urlpatterns: list = []
