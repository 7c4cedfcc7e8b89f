"""The member directory: free text, filters, facet counts and sorting over visible members.

Reads only, from the database. Who may be listed comes from access.visible_members (split by
access.visible_members_split into the part every signed-in person sees and the part only this
viewer sees); nothing here decides who may see whom.

- The page of 25 is one query over visible_members(user), ordered by the database.
- The facet counts (and the total) are one GROUP BY over the filtered set per part. Counts over
  the shared part do not depend on the viewer, so they are kept in the cache (Redis in
  production, shared by every process) per block of CHUNK member ids, under a version token per
  block that the services replace when they change one of its members, at once and after
  commit (members_changed). A profile change therefore recounts one block, not the network. Counts
  over the viewer's own part (cohort-only profiles of cohort-mates, the cohorts they manage,
  their own profile) are made per request and added: the two parts are disjoint. A program
  with several cohorts the viewer sees is counted per request too (each member once).

The modules: filters (what is asked, resolved to ids), matching (which members match), counts
(the counts and the cache of the shared ones), facets (the counts as options) and page (one
page, and search, which puts it all together). Patch a setting such as CHUNK in the module
that reads it (network.directory.counts); it is not re-exported here.
"""

from network.directory.counts import count_by_chunk, members_changed
from network.directory.facets import FacetValue
from network.directory.filters import (
    ORDERS,
    SORTS,
    AgencyTree,
    Criteria,
    Filters,
    criteria,
    visible_cohorts,
)
from network.directory.matching import matching
from network.directory.page import Result, page_of, ranked_page, search

__all__ = [
    "ORDERS",
    "SORTS",
    "AgencyTree",
    "Criteria",
    "FacetValue",
    "Filters",
    "Result",
    "count_by_chunk",
    "criteria",
    "matching",
    "members_changed",
    "page_of",
    "ranked_page",
    "search",
    "visible_cohorts",
]
