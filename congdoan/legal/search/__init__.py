"""Finding the articles that answer a question (engine.py: pure ranking; resources.py: its word
lists; passages.py: an article cut into passages). `legal.selectors.ask` builds the index from
the database and serves it; `congdoan bench legal` measures it against plain BM25."""
