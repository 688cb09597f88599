"""Small platform interfaces: start at login (`autostart`) and one app instance (`single_instance`)."""
