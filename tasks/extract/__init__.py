"""What a review says: film identity, rating, verdict, mentions of people, films and aspects."""
