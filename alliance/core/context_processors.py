from django.conf import settings

from alliance.core.menu import menu_for


def alliance(request):
    return {"alliance_name": settings.ALLIANCE_NAME, "menu": menu_for(request)}
