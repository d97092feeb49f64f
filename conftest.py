# Shared fixtures (personas, a real SMTP server, the live site) live in alliance/core/tests/.
pytest_plugins = ["alliance.core.tests.fixtures"]
