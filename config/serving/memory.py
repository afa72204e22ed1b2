"""How a Leanlog process collects its garbage: set once, when the app has loaded.

Python looks for unreachable cycles after every 700 new container objects, and now and then
walks every object the process holds. A report page makes a great many short-lived ones (a
five-year report reads some 25,000 leans of eleven columns, each row a tuple), almost none of
them in a cycle: with the defaults, that page runs hundreds of collections and some full walks
over everything Django and the app loaded, which all stays in use. Measured on the bench's
five-year report built cold (50,000 leans, 2 cores): about 250 ms with the defaults, about
232 ms settled, and its slowest runs 20 to 30 ms faster.

`settle` moves what is loaded so far out of the collector's sight (gc.freeze) and lets far more
new objects pass before a young collection. Cycles are still collected, just less often: a
worker's memory moves by the few megabytes of objects allowed to wait. gunicorn's workers settle
once they have the app (config/serving/gunicorn.py), and the bench settles its own process the same way;
the test suite keeps Python's defaults, so that what its threads leave behind (a live server's
connection, say) is collected as soon as before.
"""

from __future__ import annotations

import gc

# New container objects before a young collection (Python's default is 700).
YOUNG_THRESHOLD = 50_000
# Young collections before a middle one, and middle ones before a full one (defaults 10 and 10).
OLDER_THRESHOLD = 20


def settle() -> None:
    """Freeze what the app loaded and collect less often: call once the app is ready to serve."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, OLDER_THRESHOLD, OLDER_THRESHOLD)
