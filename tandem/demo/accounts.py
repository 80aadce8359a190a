"""The fixed demo accounts: listed in README, printed by `make demo`, all with one password."""

DEMO_PASSWORD = "tandem-demo"

# (email, who they are)
DEMO_ACCOUNTS = (
    ("director@riverside.example", "District administrator, Riverside Unified (CA)"),
    ("principal@riverside.example", "Principal of one Riverside school"),
    ("casemanager@riverside.example", "Special education teacher with a caseload"),
    ("teacher@riverside.example", "General education teacher"),
    ("slp@riverside.example", "Speech-language pathologist"),
    ("slpa@riverside.example", "Speech-language pathology assistant, supervised by the SLP"),
    ("psych@riverside.example", "School psychologist"),
    ("coordinator504@riverside.example", "504 coordinator"),
    ("teletherapist@brightpath.example", "Contract occupational therapist, both districts"),
    ("parent@riverside.example", "Parent of two students (English)"),
    ("madre@riverside.example", "Parent, Spanish-speaking (español)"),
    ("director@oakvalley.example", "District administrator, Oak Valley (TX)"),
)
