from django.test import Client


def test_a_page_that_does_not_exist_gets_the_portals_own_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_an_expired_form_gets_a_plain_explanation(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "x@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Your form has expired" in response.content.decode()
