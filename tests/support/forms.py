"""Reading a rendered form the way a person sees it."""


def field_error(response, field):
    """The error message rendered beside `field` (GOV.UK's error-message element for it)."""
    html = response.content.decode()
    marker = f'id="id_{field}_error"'
    assert marker in html, f"No error shown beside {field}"
    start = html.index(marker)
    return html[start : html.index("</p>", start)]
