"""Pages for oversight: district dashboards, the supervisory audit view, registers, the board."""
