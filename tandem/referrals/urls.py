from tandem.referrals.urls_evaluation import urlpatterns as evaluation
from tandem.referrals.urls_intake import urlpatterns as intake

urlpatterns = [*intake, *evaluation]
