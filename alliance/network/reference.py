"""Reference data every alliance has: US states and territories, sectors, roles.

State, sector and role names are stored in English; they are marked here so that makemessages
collects them and `State.__str__`, `Sector.__str__` and `Role.__str__` can show them in the reader's
language.
"""

from django.utils.translation import gettext_noop

STATES = [
    ("AL", gettext_noop("Alabama")),
    ("AK", gettext_noop("Alaska")),
    ("AZ", gettext_noop("Arizona")),
    ("AR", gettext_noop("Arkansas")),
    ("CA", gettext_noop("California")),
    ("CO", gettext_noop("Colorado")),
    ("CT", gettext_noop("Connecticut")),
    ("DE", gettext_noop("Delaware")),
    ("DC", gettext_noop("District of Columbia")),
    ("FL", gettext_noop("Florida")),
    ("GA", gettext_noop("Georgia")),
    ("HI", gettext_noop("Hawaii")),
    ("ID", gettext_noop("Idaho")),
    ("IL", gettext_noop("Illinois")),
    ("IN", gettext_noop("Indiana")),
    ("IA", gettext_noop("Iowa")),
    ("KS", gettext_noop("Kansas")),
    ("KY", gettext_noop("Kentucky")),
    ("LA", gettext_noop("Louisiana")),
    ("ME", gettext_noop("Maine")),
    ("MD", gettext_noop("Maryland")),
    ("MA", gettext_noop("Massachusetts")),
    ("MI", gettext_noop("Michigan")),
    ("MN", gettext_noop("Minnesota")),
    ("MS", gettext_noop("Mississippi")),
    ("MO", gettext_noop("Missouri")),
    ("MT", gettext_noop("Montana")),
    ("NE", gettext_noop("Nebraska")),
    ("NV", gettext_noop("Nevada")),
    ("NH", gettext_noop("New Hampshire")),
    ("NJ", gettext_noop("New Jersey")),
    ("NM", gettext_noop("New Mexico")),
    ("NY", gettext_noop("New York")),
    ("NC", gettext_noop("North Carolina")),
    ("ND", gettext_noop("North Dakota")),
    ("OH", gettext_noop("Ohio")),
    ("OK", gettext_noop("Oklahoma")),
    ("OR", gettext_noop("Oregon")),
    ("PA", gettext_noop("Pennsylvania")),
    ("RI", gettext_noop("Rhode Island")),
    ("SC", gettext_noop("South Carolina")),
    ("SD", gettext_noop("South Dakota")),
    ("TN", gettext_noop("Tennessee")),
    ("TX", gettext_noop("Texas")),
    ("UT", gettext_noop("Utah")),
    ("VT", gettext_noop("Vermont")),
    ("VA", gettext_noop("Virginia")),
    ("WA", gettext_noop("Washington")),
    ("WV", gettext_noop("West Virginia")),
    ("WI", gettext_noop("Wisconsin")),
    ("WY", gettext_noop("Wyoming")),
    ("AS", gettext_noop("American Samoa")),
    ("GU", gettext_noop("Guam")),
    ("MP", gettext_noop("Northern Mariana Islands")),
    ("PR", gettext_noop("Puerto Rico")),
    ("VI", gettext_noop("U.S. Virgin Islands")),
]

SECTORS = [
    ("k12", gettext_noop("K-12 education")),
    ("postsecondary", gettext_noop("Postsecondary education")),
    ("business", gettext_noop("Business and industry")),
    ("government", gettext_noop("Government")),
    ("community", gettext_noop("Community and nonprofit")),
    ("workforce", gettext_noop("Workforce development")),
]

ROLES = [
    ("backbone", gettext_noop("Backbone staff")),
    ("steering", gettext_noop("Steering committee")),
    ("chair", gettext_noop("Workgroup chair")),
    ("member", gettext_noop("Member")),
]
