"""Progress monitoring: data points, decisions, graphs."""
