"""Communication: the contact log, portal messages, deliveries, notifications."""
