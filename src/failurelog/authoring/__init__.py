"""Writing incident files: scaffolding a new one (with machine capture) and renumbering."""
