from tandem.referrals.urls_concern import urlpatterns as concern
from tandem.referrals.urls_evaluation import urlpatterns as evaluation
from tandem.referrals.urls_intake import urlpatterns as intake
from tandem.referrals.urls_reevaluation import urlpatterns as reevaluation

urlpatterns = [*intake, *evaluation, *reevaluation, *concern]
