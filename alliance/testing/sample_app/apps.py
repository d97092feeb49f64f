from django.apps import AppConfig


class SampleConfig(AppConfig):
    """A throwaway app, installed only in tests, that plugs into the platform as a real app would."""

    name = "alliance.testing.sample_app"
    label = "sample_app"

    def ready(self) -> None:
        from alliance.network import merging
        from alliance.testing.sample_app import services
        from alliance.testing.sample_app.models import Note

        merging.person_rows_register(Note, "author", services.NoteAuthors())
        merging.person_rows_register(Note, "moved_from", services.NoteMovedFrom())
