from django.conf import settings


def alliance(request):
    return {"alliance_name": settings.ALLIANCE_NAME}
