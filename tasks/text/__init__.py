"""From page bytes to text: HTML parsing and metadata, text repair, sentence-aligned chunks."""
