from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tandem.web"
    label = "web"
    verbose_name = "Web pages"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from tandem.web import two_factor
        from tandem.web.middleware import IdleTimeoutMiddleware

        # The session's clocks start at sign-in, saved with the sign-in itself.
        user_logged_in.connect(IdleTimeoutMiddleware.signed_in, dispatch_uid="tandem-idle-timeout")
        # Whether the session owes a second factor is decided at sign-in too.
        user_logged_in.connect(two_factor.on_sign_in, dispatch_uid="tandem-second-factor")
