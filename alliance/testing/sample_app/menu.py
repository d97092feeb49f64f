from alliance.core.menu import MenuEntry

MENU = [MenuEntry("Sample notes", "sample_app:notes", "sample.notes.view", order=50)]
