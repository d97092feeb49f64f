"""Test support that stands above every app: personas, fixtures, test settings and a sample app."""
