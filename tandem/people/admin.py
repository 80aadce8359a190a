"""Django admin for set-up data (districts, schools, calendars, staff roles).

Student records are deliberately absent: they are read and changed only through the pages
and the API, which pass the access policy and write the audit log.
"""

from django.contrib import admin

from tandem.people.models import (
    CalendarClosure,
    District,
    MarkingPeriod,
    School,
    SchoolCalendar,
    Staff,
    StaffRole,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "state", "time_zone")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "district", "code", "lowest_grade", "highest_grade")
    list_filter = ("district",)
    search_fields = ("name", "code")


class ClosureInline(admin.TabularInline):
    model = CalendarClosure
    extra = 0


class MarkingPeriodInline(admin.TabularInline):
    model = MarkingPeriod
    extra = 0


@admin.register(SchoolCalendar)
class SchoolCalendarAdmin(admin.ModelAdmin):
    list_display = ("district", "school", "school_year", "first_day", "last_day")
    list_filter = ("district",)
    inlines = [ClosureInline, MarkingPeriodInline]


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ("__str__", "title", "employer")
    search_fields = ("user__email", "user__last_name")
    inlines = [StaffRoleInline]
    raw_id_fields = ("user",)
