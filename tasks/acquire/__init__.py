"""Getting pages: crawl scope and address safety, discovery documents, polite HTTP fetching, the raw archive."""
