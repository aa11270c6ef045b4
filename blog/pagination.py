"""
Pages of post lists that cost the same however large the archive grows.

A list page is a LIMIT/OFFSET query: page n reads the n × 12 newest posts of the list to skip
them, and counting the list for its page links reads every post in it. So readers page through
at most MAX_PAGES pages of any list (1,200 articles, further than anyone clicks "Older"; the
year archives and search reach the rest), a page past that is a 404 like any missing page, and
each list is counted once per page cache generation in each process, not on every request.
"""

from django.core.paginator import EmptyPage, Paginator
from django.utils.functional import cached_property

import pagecache

MAX_PAGES = 100


class ListPaginator(Paginator):
    def __init__(self, object_list, per_page, *, list_key, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.list_key = list_key

    @cached_property
    def count(self):
        counted = pagecache.per_generation(("list-count", *self.list_key), self.object_list.count)
        return min(counted, MAX_PAGES * self.per_page)

    def validate_number(self, number):
        number = super().validate_number(number) if self._looks_valid(number) else None
        if number is None:
            raise EmptyPage(f"Lists go back {MAX_PAGES} pages; the year archives go further.")
        return number

    def _looks_valid(self, number):
        # Past the cap before counting (a page 5000 needs no count to be refused).
        try:
            return int(number) <= MAX_PAGES
        except (TypeError, ValueError):
            return True  # Paginator's own checks answer those.
