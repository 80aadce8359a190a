"""The demo logins (personas): their emails, names, titles and roles, and how many students
each one works with. The two parents are guardians, not staff; everyone shares one password.
"""

from __future__ import annotations

from tandem.demo.districts import OAK_VALLEY, RIVERSIDE, RIVERSIDE_ELEMENTARY, SYCAMORE_ELEMENTARY
from tandem.people.models import Role

DEMO_PASSWORD = "tandem-demo"


# Demo logins. Keys are used by `Plan.demo_staff`; the two parents are guardians, not staff.
DIRECTOR = "director@riverside.example"
PRINCIPAL = "principal@riverside.example"
CASE_MANAGER = "casemanager@riverside.example"
TEACHER = "teacher@riverside.example"
SLP = "slp@riverside.example"
PSYCHOLOGIST = "psych@riverside.example"
COORDINATOR_504 = "coordinator504@riverside.example"
TELETHERAPIST = "teletherapist@brightpath.example"
PARENT = "parent@riverside.example"
MADRE = "madre@riverside.example"
OAK_VALLEY_DIRECTOR = "director@oakvalley.example"
# Riverside's SLP's assistant (SLPA): added with the services demo (services_supervision), not
# planned with the world, so the world's shape and the logins above stay as they were.
SLP_ASSISTANT = "slpa@riverside.example"
DEMO_EMAILS = (
    DIRECTOR,
    PRINCIPAL,
    CASE_MANAGER,
    TEACHER,
    SLP,
    PSYCHOLOGIST,
    COORDINATOR_504,
    TELETHERAPIST,
    PARENT,
    MADRE,
    OAK_VALLEY_DIRECTOR,
)


# How many students each demo account relates to (when the world is too small, students are
# moved into special education or 504 territory until the numbers are met).
CASELOAD_SIZE = 15
CASELOAD_IN_TEACHER_HOMEROOM = 5  # of which in teacher@'s grade 3 homeroom (incl. Ethan Morgan)
SLP_STUDENTS = (8, 7)  # Riverside Elementary, Sycamore Elementary
PSYCHOLOGIST_STUDENTS = 10
COORDINATOR_504_STUDENTS = 8
TELETHERAPY_STUDENTS = (6, 4)  # Riverside, Oak Valley


# The demo staff: email, first and last name, title, roles (district, school, role), employer.
RES, SES = RIVERSIDE_ELEMENTARY, SYCAMORE_ELEMENTARY
DEMO_STAFF = (
    (DIRECTOR, "Denise", "Carter", "Director of Special Education",
     ((RIVERSIDE, None, Role.DISTRICT_ADMIN),), ""),
    (PRINCIPAL, "Michael", "Okafor", "Principal", ((RIVERSIDE, RES, Role.SCHOOL_ADMIN),), ""),
    (CASE_MANAGER, "Emily", "Chen", "Education Specialist (Case Manager)",
     ((RIVERSIDE, RES, Role.CASE_MANAGER),), ""),
    (TEACHER, "David", "Brooks", "Grade 3 Teacher", ((RIVERSIDE, RES, Role.TEACHER),), ""),
    (SLP, "Priya", "Raman", "Speech-Language Pathologist",
     ((RIVERSIDE, RES, Role.PROVIDER), (RIVERSIDE, SES, Role.PROVIDER)), ""),
    (PSYCHOLOGIST, "Marcus", "Webb", "School Psychologist",
     ((RIVERSIDE, RES, Role.EVALUATOR),), ""),
    (COORDINATOR_504, "Angela", "Torres", "504 Coordinator",
     ((RIVERSIDE, RES, Role.COORDINATOR_504),), ""),
    (TELETHERAPIST, "Nora", "Feldman", "Occupational Therapist (teletherapy)",
     ((RIVERSIDE, None, Role.PROVIDER), (OAK_VALLEY, None, Role.PROVIDER)), "BrightPath Therapy"),
    (OAK_VALLEY_DIRECTOR, "Roberto", "Garza", "Director of Special Programs",
     ((OAK_VALLEY, None, Role.DISTRICT_ADMIN),), ""),
)  # fmt: skip
