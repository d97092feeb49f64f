"""The REST API: one NinjaAPI (auth, one error shape) mounting the router each app keeps in <app>/api.py."""
