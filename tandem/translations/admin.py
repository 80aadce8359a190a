from django.contrib import admin

from tandem.translations.models import TranslationSettings


@admin.register(TranslationSettings)
class TranslationSettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("district", "due_school_days")
