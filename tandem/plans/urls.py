from tandem.plans.urls_editor import urlpatterns as editor
from tandem.plans.urls_implementation import urlpatterns as implementation
from tandem.plans.urls_lifecycle import urlpatterns as lifecycle
from tandem.plans.urls_pages import urlpatterns as pages

urlpatterns = [*pages, *editor, *lifecycle, *implementation]
