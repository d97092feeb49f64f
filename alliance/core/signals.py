"""Extension points of core.

worker_sweep: sent by `alliance worker` when it starts (`periodic=False`) and then every
WORKER_SWEEP_SECONDS while it runs (`periodic=True`), with `sender` the command class. A receiver
re-queues its own work that was left half-done (a worker died, a task was lost on the way to the
queue) and returns how many items it resumed (or 0).
"""

from django.dispatch import Signal

worker_sweep = Signal()
