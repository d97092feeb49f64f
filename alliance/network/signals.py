"""Signals the network sends, for the apps that stand on it to react without network importing them.

Each is sent with `sender=Person` once the transaction that made the change has committed
(`transaction.on_commit`), so receivers see the change and a receiver's failure cannot undo it.
Receivers run in the process that made the change; long work belongs in a task they enqueue.

person_confirmed(person, signup, first_time)
    A person confirmed a sign-up's address (double opt-in). `first_time` is True when this made
    them an active, confirmed member; False when a known member joined again. The network's own
    welcome is the first receiver (network/receivers.py).

people_merged(kept, removed, merge)
    `removed` was merged into `kept` (`merge` is the PersonMerge). Rows pointing at people have
    been moved already, each app's by its merge handler (see network.merging.person_rows_register);
    this signal is for what follows a merge: caches, counts, notifications.

merge_undone(kept, removed, merge)
    A merge was undone: `removed` is its own person again and its rows are back.
"""

from django.dispatch import Signal

person_confirmed = Signal()
people_merged = Signal()
merge_undone = Signal()
