"""Goals: the goal editor and the goal bank."""
