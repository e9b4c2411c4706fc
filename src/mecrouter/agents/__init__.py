"""The five agents: Context, Resource, Router, Cache, Monitor."""
