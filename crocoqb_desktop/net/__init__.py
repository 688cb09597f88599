"""HTTP plumbing shared by both API clients: rate limiting, retry timing, safe sessions."""
