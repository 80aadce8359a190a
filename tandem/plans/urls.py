from tandem.plans.urls_implementation import urlpatterns as implementation
from tandem.plans.urls_pages import urlpatterns as pages

urlpatterns = [*pages, *implementation]
