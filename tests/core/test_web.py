"""The client address rate limits count: X-Forwarded-For only through the trusted proxies."""

import pytest
from django.test import RequestFactory

from accounts.adapters import AccountAdapter
from core.web import client_ip

CHAIN = "203.0.113.9, 198.51.100.7, 10.0.0.2"


def request_with(forwarded: str | None = CHAIN, remote: str = "10.0.0.1"):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_with()) == "10.0.0.1"


def test_one_trusted_proxy_gives_the_last_entry(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_with()) == "10.0.0.2"


def test_two_trusted_proxies_give_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_with()) == "198.51.100.7"


def test_entries_the_client_wrote_left_of_the_trusted_ones_are_never_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_with("1.2.3.4, 1.2.3.5, 198.51.100.7")) == "198.51.100.7"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "203.0.113.9,", "198.51.100.7; drop"])
def test_a_malformed_forwarded_header_falls_back_to_the_connection_address(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_with(forwarded)) == "10.0.0.1"


def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_connection_address(settings):
    settings.TRUSTED_PROXY_COUNT = 3

    assert client_ip(request_with("198.51.100.7, 10.0.0.2")) == "10.0.0.1"


def test_a_missing_header_behind_a_proxy_gives_the_connection_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_with(None)) == "10.0.0.1"


@pytest.mark.parametrize(("proxies", "expected"), [(0, "10.0.0.1"), (1, "10.0.0.2"), (2, "198.51.100.7")])
def test_allauth_counts_the_same_address_as_the_portal(settings, proxies, expected):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert AccountAdapter().get_client_ip(request_with()) == expected
