from alliance.testing.sample_app.models import Note


class NoteAuthors:
    """Merges move a person's notes to the kept person and remember where they came from."""

    def merge(self, *, kept, removed) -> list[int]:
        pks = list(Note.objects.filter(author=removed).values_list("pk", flat=True))
        Note.objects.filter(pk__in=pks).update(author=kept, moved_from=removed)
        return pks

    def undo(self, *, kept, removed, record: list[int]) -> None:
        Note.objects.filter(pk__in=record, author=kept).update(author=removed, moved_from=None)


class NoteMovedFrom:
    """Where a note came from is history: it keeps naming the merged-away record."""

    def merge(self, *, kept, removed) -> None:
        return None

    def undo(self, *, kept, removed, record: None) -> None:
        pass
