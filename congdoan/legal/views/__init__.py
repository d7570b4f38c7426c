"""The legal app's pages: `public` (the worker's questions, the laws, curated answers; no
login) and `officer` (curated answers, questions to answer next, the law import)."""
