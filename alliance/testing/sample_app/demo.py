from alliance.network.models import Person
from alliance.testing.sample_app.models import Note


def demo_part() -> list[str]:
    """One note by the first demo member, once."""
    author = Person.objects.order_by("pk").first()
    if author is None or Note.objects.filter(text="Demo note").exists():
        return []
    Note.objects.create(author=author, text="Demo note")
    return ["  1 sample note"]
