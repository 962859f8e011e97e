"""Browser pages for working cases: catalogue, case lists, the case page, review queue."""
