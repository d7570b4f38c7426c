"""Full-text search of the library, accent-insensitive on every backend (docs/library.md, "Search").

Who may see what is not decided here: `selectors.search_documents` narrows the documents to the
viewer's (congdoan.library.rules) and to the filters, then asks this package for one page:
- words.py      the folded words a document is indexed under, a query's tokens;
- query.py      the query in each engine's syntax (FTS5 MATCH, tsquery), prefix or whole word;
- sql.py        the full-text condition and the walks down the index, per database;
- postgres.py   PostgreSQL's statistics, the cost model that picks a plan, `SET LOCAL`;
- planner.py    the page: by tiers (title, phrase, the rest; newest first) or from the engine;
- engine.py     the optional external engine (tantivy, LIBRARY_SEARCH_ENGINE=tantivy);
- highlight.py  titles and snippets with <mark> around the query's words.
"""
