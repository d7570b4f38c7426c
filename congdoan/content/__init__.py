"""Communication products of the unions: writing, approval, versions, the shared library."""
