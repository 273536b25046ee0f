"""The curators' pages: the moderation queue with approve and reject."""
