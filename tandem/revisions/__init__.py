"""Revision requests: anyone may ask to revise a plan; tracked to an outcome."""
