from django.db import models

from alliance.network.models import Person


class Note(models.Model):
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=200)
    # Set when a merge moved the note, as an app keeping its own bookkeeping would.
    moved_from = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
