"""Extension points of core.

worker_starting: sent by `alliance worker` before it takes tasks, with `sender` the command
class. A receiver re-queues its own work that a dead worker left half-done and returns how
many items it resumed (or 0).
"""

from django.dispatch import Signal

worker_starting = Signal()
