"""The sample app's timeline entries, found by network's timeline like any app's.

A real app marks its texts with gettext_noop so that they reach the Spanish catalog; this
throwaway app keeps its one text plain, out of the catalog.
"""

TIMELINE = {"sample.note.written": "Wrote a note: %(text)s"}
