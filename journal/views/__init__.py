"""The journal's pages: the home and dog pages, leans, events and weighings, check-ins and flags."""
