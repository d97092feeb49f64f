# Shared fixtures (personas, a real SMTP server, shared data) live in alliance/testing/; the suite
# runs with alliance.testing.settings, which adds a throwaway app that plugs into the platform.
pytest_plugins = ["alliance.testing.fixtures"]
