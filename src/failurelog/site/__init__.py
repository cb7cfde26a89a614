"""The published site: page generators (pure functions from incidents to Markdown), the build and the hooks."""
