from django import template
from django.http import QueryDict

from alliance.core import policy

register = template.Library()


@register.filter
def can(user, action: str) -> bool:
    """`{% if request.user|can:"app.noun.verb" %}`: asks the policy module."""
    return policy.can(user, action)


@register.simple_tag(takes_context=True)
def query(context, **changes) -> str:
    """The current query string with some parameters changed: `?{% query page=2 %}`."""
    params: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
