from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, API tokens and the audit log's table.

    The label stays "access", the name these models were first released under, so that their
    tables, their migrations and AUTH_USER_MODEL ("access.User") carry on unchanged.
    """

    name = "tandem.accounts"
    label = "access"
    verbose_name = "Accounts and audit log"
