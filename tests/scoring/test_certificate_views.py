"""The certificate pages: anyone verifies a signed document and checks a copy of it; DoHA and the
provincial leader follow the batch of an approved decision; only DoHA revokes. Every role against every
staff page, on real PDFs rendered and signed by scoring.services.certificates.
"""

from __future__ import annotations

import hashlib
import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone, translation

from accounts.models import Role
from core.uploads import NOT_A_PDF
from scoring.models import Certificate, Decision
from scoring.rules import REVOKE_CERTIFICATE, VIEW_CERTIFICATES
from scoring.services import decision_approve
from scoring.services.certificates import certificate_issue, certificate_revoke, certificates_plan
from scoring.views import certificates as views
from tests.core.test_uploads import pdf_with_200000_page_references
from tests.portal.factories import user_with_role
from tests.portal.test_permissions import ROLES, make_user, places, places_build  # noqa: F401 - places is a fixture
from tests.scoring.factories import pdf_bytes
from tests.scoring.test_decisions import draft, final, recognisable_set

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The pages are read in English here (URLs reversed now carry /en/); their Vietnamese is the .po's."""
    with translation.override("en"):
        yield


DOHA = {"doha_here", "doha_of_successor"}
VIEWERS = DOHA | {"leader_here", "site_admin"}
REASON = "Kết quả đánh giá bị phát hiện sai sót sau khi phúc tra"


def expected(allowed: set[str], *, allowed_status: int = 200) -> dict[str, int]:
    """200 (or ``allowed_status``) for ``allowed``, 302 to sign in for anonymous, 403 for the rest."""
    return {role: 302 if role == "anonymous" else allowed_status if role in allowed else 403 for role in ROLES}


# Expected status of a GET per route and role, on an approved decision of the pre-2025 province; the
# POST-only routes answer the roles allowed to act with 405.
MATRIX = {
    "scoring:certificates_batch": expected(VIEWERS),
    "scoring:certificates_progress": expected(VIEWERS),
    "scoring:certificates_zip": expected(VIEWERS),
    "scoring:certificates_reissue": expected(VIEWERS, allowed_status=405),
    "scoring:certificate_revoke": expected(DOHA, allowed_status=405),
}
PERMISSIONS = {
    "scoring:certificates_batch": VIEW_CERTIFICATES,
    "scoring:certificates_progress": VIEW_CERTIFICATES,
    "scoring:certificates_zip": VIEW_CERTIFICATES,
    "scoring:certificates_reissue": VIEW_CERTIFICATES,
    "scoring:certificate_revoke": REVOKE_CERTIFICATE,
}


@pytest.fixture
def decision(places) -> Decision:  # noqa: F811
    """The approved decision recognising the pre-2025 commune, its documents planned (not yet issued:
    approval queues them after the commit, which a test's transaction never reaches)."""
    criteria_set = recognisable_set(places.province)
    drafted = draft(
        places.province, [final(places.commune, criteria_set)], user_with_role(Role.DOHA_STAFF, places.province)
    )
    approved = decision_approve(decision=drafted, by=user_with_role(Role.PROVINCIAL_LEADER, places.province))
    certificates_plan(approved)
    return approved


def star_certificate(decision: Decision) -> Certificate:
    return decision.certificates.get(kind=Certificate.Kind.CERTIFICATE)


@pytest.fixture
def issued(decision) -> Decision:
    for certificate in decision.certificates.all():
        certificate_issue(certificate.pk)
    return decision


def sign_in(client, role: str, places):  # noqa: F811
    user = make_user(role, places)
    if user is not None:
        client.force_login(user)
    return user


def url_for(name: str, decision: Decision) -> str:
    if name == "scoring:certificate_revoke":
        return reverse(name, kwargs={"serial": star_certificate(decision).serial})
    return reverse(name, kwargs={"pk": decision.pk})


# --- Who may do what ----------------------------------------------------------------------------


def test_every_certificate_route_is_in_the_matrix_with_its_permission():
    patterns = [
        p
        for p in get_resolver("scoring.urls").url_patterns
        if isinstance(p, URLPattern) and p.callback.__module__ == views.__name__
    ]
    protected = {f"scoring:{p.name}": p.callback for p in patterns if hasattr(p.callback, "permission_required")}
    public = {f"scoring:{p.name}" for p in patterns if not hasattr(p.callback, "permission_required")}

    assert public == {"scoring:verify", "scoring:certificate_download"}
    assert set(protected) == set(MATRIX) == set(PERMISSIONS)
    for name, view in protected.items():
        assert view.permission_required == PERMISSIONS[name], name


@pytest.mark.parametrize("role", ["leader_here", "site_admin", "doha_elsewhere", "citizen"])
def test_only_doha_revokes(client, places, issued, role):  # noqa: F811
    certificate = star_certificate(issued)
    sign_in(client, role, places)

    response = client.post(
        reverse("scoring:certificate_revoke", kwargs={"serial": certificate.serial}), {"reason": REASON}
    )

    certificate.refresh_from_db()
    assert response.status_code == 403
    assert certificate.status == Certificate.Status.VALID
    assert certificate.revoked_reason == ""


@pytest.mark.parametrize("role", sorted(DOHA))
def test_doha_revokes_with_a_reason_and_the_verify_page_says_revoked(client, places, issued, role):  # noqa: F811
    certificate = star_certificate(issued)
    user = sign_in(client, role, places)
    url = reverse("scoring:certificate_revoke", kwargs={"serial": certificate.serial})

    refused = client.post(url, {"reason": "   "})
    certificate.refresh_from_db()
    assert refused.status_code == 302
    assert certificate.status == Certificate.Status.VALID

    response = client.post(url, {"reason": REASON})

    certificate.refresh_from_db()
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("scoring:certificates_batch", kwargs={"pk": issued.pk})
    assert (certificate.status, certificate.revoked_reason, certificate.revoked_by) == (
        Certificate.Status.REVOKED,
        REASON,
        user,
    )
    client.logout()
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert 'id="certificate-status"' in page
    assert "Revoked: no longer valid." in page
    assert REASON in page
    assert f"{timezone.localtime(certificate.revoked_at):%d/%m/%Y}" in page
    # A revoked document stays readable: whoever holds it can see what it was.
    assert client.get(reverse("scoring:certificate_download", kwargs={"serial": certificate.serial})).status_code == 200


def test_the_revoke_form_shows_for_doha_only(client, places, issued):  # noqa: F811
    url = reverse("scoring:certificates_batch", kwargs={"pk": issued.pk})
    sign_in(client, "doha_here", places)
    as_doha = client.get(url).content.decode()
    sign_in(client, "leader_here", places)
    as_leader = client.get(url).content.decode()

    revoke = reverse("scoring:certificate_revoke", kwargs={"serial": star_certificate(issued).serial})
    assert revoke in as_doha
    assert revoke not in as_leader


# --- The public verification page ---------------------------------------------------------------


def test_verify_page_shows_the_document_s_data_hash_and_signer(client, issued, django_assert_num_queries):
    certificate = star_certificate(issued)

    with django_assert_num_queries(1):
        response = client.get(certificate.get_absolute_url())

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert certificate.status == Certificate.Status.VALID
    for text in (
        certificate.unit_name,
        certificate.serial,
        certificate.sha256,
        certificate.signer_fingerprint,
        issued.number,
        "30/12/2025",
        issued.signer_name,
        "2025",
        "Valid: issued by the portal, sealed with the portal's digital seal, and not revoked.",
        "Sealed by the portal's key",
        reverse("scoring:certificate_download", kwargs={"serial": certificate.serial}),
    ):
        assert text in page, text
    assert certificate.sha256 == hashlib.sha256(certificate.file.open("rb").read()).hexdigest()
    note = "Sealed with the portal's development key: not a real seal."
    assert (note in page) == certificate.development_key


def test_verify_page_of_the_decision_document_costs_the_same_queries(client, issued, django_assert_num_queries):
    document = issued.certificates.get(kind=Certificate.Kind.DECISION)

    with django_assert_num_queries(1):
        response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    assert document.serial in response.content.decode()


def test_unknown_serial_is_a_not_found_page_saying_so(client, issued):
    response = client.get(reverse("scoring:verify", kwargs={"serial": "KHONG-CO-SO-NAY"}))

    assert response.status_code == 404
    assert "This certificate is unknown" in response.content.decode()
    assert client.get(reverse("scoring:certificate_download", kwargs={"serial": "KHONG-CO-SO-NAY"})).status_code == 404


def test_a_document_being_issued_says_so_and_has_nothing_to_download(client, decision):
    certificate = star_certificate(decision)

    page = client.get(certificate.get_absolute_url()).content.decode()

    assert "Being issued: not ready yet." in page
    assert reverse("scoring:certificate_download", kwargs={"serial": certificate.serial}) not in page
    assert 'type="file"' not in page
    assert client.get(reverse("scoring:certificate_download", kwargs={"serial": certificate.serial})).status_code == 404


def check(client, certificate: Certificate, data: bytes, name: str = "giay-chung-nhan.pdf") -> str:
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    response = client.post(certificate.get_absolute_url(), {"document": upload})
    assert response.status_code == 200
    return response.content.decode()


def test_the_downloaded_file_is_authentic_and_one_flipped_byte_makes_it_modified(client, issued):
    certificate = star_certificate(issued)
    download = client.get(reverse("scoring:certificate_download", kwargs={"serial": certificate.serial}))
    original = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert original.startswith(b"%PDF-")
    assert hashlib.sha256(original).hexdigest() == certificate.sha256

    authentic = check(client, certificate, original)
    flipped = bytearray(original)
    flipped[len(flipped) // 3] ^= 0x01
    modified = check(client, certificate, bytes(flipped))

    assert 'id="certificate-check"' in authentic
    assert "certificate-check--authentic" in authentic
    assert "certificate-check--modified" not in authentic
    assert "certificate-check--modified" in modified
    assert "certificate-check--authentic" not in modified


def test_the_decision_s_file_uploaded_on_a_certificate_s_page_is_named_not_called_modified(client, issued):
    certificate = star_certificate(issued)
    other = issued.certificates.get(kind=Certificate.Kind.DECISION)

    page = html.unescape(check(client, certificate, other.file.open("rb").read()))

    assert "certificate-check--other" in page
    assert "certificate-check--modified" not in page
    assert (
        f"This is the genuine document {other.serial} (the recognition decision {issued.number}), "
        f"not {certificate.serial}." in page
    )
    assert other.get_absolute_url() in page


@pytest.fixture
def two_issued(places) -> Decision:  # noqa: F811
    """An approved decision recognising two communes, every document issued."""
    criteria_set = recognisable_set(places.province)
    drafted = draft(
        places.province,
        [final(places.commune, criteria_set), final(places.other_commune, criteria_set)],
        user_with_role(Role.DOHA_STAFF, places.province),
    )
    approved = decision_approve(decision=drafted, by=user_with_role(Role.PROVINCIAL_LEADER, places.province))
    for certificate in certificates_plan(approved):
        certificate_issue(certificate.pk)
    return approved


def the_two(decision: Decision) -> tuple[Certificate, Certificate]:
    first, second = decision.certificates.filter(kind=Certificate.Kind.CERTIFICATE).order_by("register_number")
    return first, second


def test_a_genuine_certificate_uploaded_under_another_serial_says_which_one_it_is(client, two_issued):
    first, second = the_two(two_issued)

    page = html.unescape(check(client, second, first.file.open("rb").read()))

    assert "certificate-check--other" in page
    assert "certificate-check--modified" not in page and "certificate-check--authentic" not in page
    assert f"This is the genuine certificate {first.serial} of {first.unit_name}, not {second.serial}." in page
    assert f'href="{first.get_absolute_url()}" id="certificate-check-other"' in page


def test_a_file_that_matches_nothing_and_whose_seal_is_broken_is_modified(client, two_issued):
    first, _second = the_two(two_issued)
    data = bytearray(first.file.open("rb").read())
    data[len(data) // 3] ^= 0x01

    page = html.unescape(check(client, first, bytes(data)))

    assert page.count('id="certificate-check"') == 1
    assert "certificate-check--modified" in page
    assert "it was changed after it was sealed" in page  # test_verify_page.py: every verdict's text


@pytest.mark.parametrize("upload", ["own", "other", "nothing"])
def test_a_revoked_certificate_is_revoked_whatever_file_is_uploaded(client, places, two_issued, upload):  # noqa: F811
    first, second = the_two(two_issued)
    certificate_revoke(certificate=first, by=make_user("doha_here", places), reason=REASON)
    data = {"own": first, "other": second}.get(upload)
    data = data.file.open("rb").read() if data else pdf_bytes("Made elsewhere")

    page = html.unescape(check(client, first, data))

    assert page.count('id="certificate-check"') == 1
    assert "certificate-check--revoked" in page
    for other in ("authentic", "other", "modified"):
        assert f"certificate-check--{other}" not in page
    assert "whatever file you hold, it is no longer valid." in page


def test_the_file_of_another_revoked_certificate_is_named_and_revoked(client, places, two_issued):  # noqa: F811
    first, second = the_two(two_issued)
    certificate_revoke(certificate=first, by=make_user("doha_here", places), reason=REASON)
    first.refresh_from_db()

    page = html.unescape(check(client, second, first.file.open("rb").read()))

    assert "certificate-check--revoked" in page
    day = f"{timezone.localtime(first.revoked_at):%d/%m/%Y}"
    assert (
        f"your file is document {first.serial} of {first.unit_name}, not {second.serial}, "
        f"and that document was revoked on {day}" in page
    )


def test_a_check_looks_the_hash_up_in_one_query(client, two_issued, django_assert_num_queries):
    first, second = the_two(two_issued)
    upload = SimpleUploadedFile("copy.pdf", first.file.open("rb").read(), content_type="application/pdf")

    # The page's document, then the uploaded file's hash among every issued one (sha256 is indexed).
    with django_assert_num_queries(2):
        response = client.post(second.get_absolute_url(), {"document": upload})

    assert "certificate-check--other" in response.content.decode()
    assert Certificate._meta.get_field("sha256").db_index


def test_the_page_names_the_document_type_and_the_register_number(client, two_issued):
    first, _second = the_two(two_issued)
    document = two_issued.certificates.get(kind=Certificate.Kind.DECISION)

    certificate_page = client.get(first.get_absolute_url()).content.decode()
    decision_page = client.get(document.get_absolute_url()).content.decode()

    assert '<dt>Document type</dt><dd id="certificate-kind">Certificate</dd>' in certificate_page
    assert '<dt>Document type</dt><dd id="certificate-kind">Decision</dd>' in decision_page
    assert f'<dd id="certificate-register">{first.register_label}</dd>' in certificate_page
    assert 'id="certificate-register"' not in decision_page
    assert f"Verify certificate {first.serial}" in certificate_page
    assert f"Verify decision document {document.serial}" in decision_page


def test_a_pdf_past_the_parser_limits_is_refused_with_the_usual_message_not_an_error(client, issued):
    page = check(client, star_certificate(issued), pdf_with_200000_page_references(), name="ban-sao.pdf")

    assert str(NOT_A_PDF) in html.unescape(page)
    assert 'id="certificate-check"' not in page


def test_issued_documents_are_served_sandboxed(client, issued):
    certificate = star_certificate(issued)
    download = client.get(reverse("scoring:certificate_download", kwargs={"serial": certificate.serial}))
    assert download["Content-Security-Policy"] == "sandbox"


def test_a_file_that_is_no_pdf_is_refused_with_a_message(client, issued):
    page = check(client, star_certificate(issued), b"MZ\x90\x00 not a pdf", name="virus.pdf")

    assert str(NOT_A_PDF) in html.unescape(page)
    assert 'id="certificate-check"' not in page


# --- The batch of a decision --------------------------------------------------------------------


def test_progress_follows_the_documents_as_they_are_issued(client, places, decision):  # noqa: F811
    sign_in(client, "doha_here", places)
    url = reverse("scoring:certificates_progress", kwargs={"pk": decision.pk})

    before = client.get(url).json()
    for certificate in decision.certificates.all():
        certificate_issue(certificate.pk)
    after = client.get(url).json()

    assert before == {"total": 2, "valid": 0, "failed": 0, "pending": 2, "percent": 0, "done": False}
    assert after == {"total": 2, "valid": 2, "failed": 0, "pending": 0, "percent": 100, "done": True}


def test_batch_page_shows_progress_rows_and_the_zip_once_all_are_valid(client, places, decision):  # noqa: F811
    sign_in(client, "leader_here", places)
    url = reverse("scoring:certificates_batch", kwargs={"pk": decision.pk})
    zip_url = reverse("scoring:certificates_zip", kwargs={"pk": decision.pk})

    pending = client.get(url).content.decode()
    for certificate in decision.certificates.all():
        certificate_issue(certificate.pk)
    done = client.get(url).content.decode()

    assert '<progress id="certificates-progress-bar" max="100" value="0">' in pending
    assert "js/certificates-progress." in pending
    assert zip_url not in pending
    assert '<progress id="certificates-progress-bar" max="100" value="100">' in done
    assert "js/certificates-progress." not in done
    assert zip_url in done
    for certificate in decision.certificates.all():
        assert reverse("scoring:verify", kwargs={"serial": certificate.serial}) in done
    star = star_certificate(decision)
    row = done[done.index(f'id="certificate-{star.serial}"') :].split("</tr>")[0]
    assert f"<td>{star.register_label}</td>" in row and star.register_label == "01/GCN-UBND"


def test_failed_documents_show_their_error_and_are_issued_again(
    client,
    places,  # noqa: F811
    decision,
    django_capture_on_commit_callbacks,
):
    certificate = star_certificate(decision)
    # A render that failed, as the task leaves it after its last retry.
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.FAILED, error="WeasyPrint: boom")
    sign_in(client, "doha_here", places)
    url = reverse("scoring:certificates_batch", kwargs={"pk": decision.pk})

    page = client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scoring:certificates_reissue", kwargs={"pk": decision.pk}))

    certificate.refresh_from_db()
    assert "WeasyPrint: boom" in page
    assert "Issue again the failed ones" in page
    assert response.status_code == 302
    assert response.headers["Location"] == url
    assert certificate.status == Certificate.Status.VALID
    assert Certificate.objects.filter(decision=decision).count() == 2


def test_zip_holds_every_valid_pdf_named_by_its_serial(client, places, issued):  # noqa: F811
    sign_in(client, "doha_here", places)

    response = client.get(reverse("scoring:certificates_zip", kwargs={"pk": issued.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    expected_files = {f"{c.serial}.pdf": c.sha256 for c in issued.certificates.all()}
    assert {name: hashlib.sha256(archive.read(name)).hexdigest() for name in archive.namelist()} == expected_files


def test_zip_leaves_out_a_revoked_certificate(client, places, issued):  # noqa: F811
    certificate = star_certificate(issued)
    certificate_revoke(certificate=certificate, by=make_user("doha_here", places), reason=REASON)
    sign_in(client, "doha_here", places)

    response = client.get(reverse("scoring:certificates_zip", kwargs={"pk": issued.pk}))

    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert f"{certificate.serial}.pdf" not in names
    assert len(names) == 1


def test_a_draft_decision_has_no_certificates(client, places):  # noqa: F811
    criteria_set = recognisable_set(places.province)
    doha = user_with_role(Role.DOHA_STAFF, places.province)
    drafted = draft(places.province, [final(places.commune, criteria_set)], doha)
    client.force_login(doha)

    page = client.get(reverse("scoring:certificates_batch", kwargs={"pk": drafted.pk})).content.decode()
    progress = client.get(reverse("scoring:certificates_progress", kwargs={"pk": drafted.pk})).json()
    archive = client.get(reverse("scoring:certificates_zip", kwargs={"pk": drafted.pk}))
    detail = client.get(reverse("scoring:decision", kwargs={"pk": drafted.pk})).content.decode()

    assert "Only an approved decision has certificates." in page
    assert "<tbody>" not in page and "<progress" not in page
    assert progress == {"total": 0, "valid": 0, "failed": 0, "pending": 0, "percent": 0, "done": False}
    assert archive.status_code == 404
    assert reverse("scoring:certificates_batch", kwargs={"pk": drafted.pk}) not in detail
    assert not Certificate.objects.filter(decision=drafted).exists()


def test_an_approved_decision_links_its_certificates(client, places, decision):  # noqa: F811
    sign_in(client, "leader_here", places)

    page = client.get(reverse("scoring:decision", kwargs={"pk": decision.pk})).content.decode()

    assert reverse("scoring:certificates_batch", kwargs={"pk": decision.pk}) in page


# --- The commune page ---------------------------------------------------------------------------


def test_the_commune_page_and_its_successor_s_link_the_valid_certificate(client, places, issued):  # noqa: F811
    certificate = star_certificate(issued)
    verify = reverse("scoring:verify", kwargs={"serial": certificate.serial})
    download = reverse("scoring:certificate_download", kwargs={"serial": certificate.serial})

    own = client.get(places.commune.get_absolute_url()).content.decode()
    successor = client.get(places.new_commune.get_absolute_url()).content.decode()

    assert verify in own and download in own
    assert verify in successor and download in successor
    assert "Revoked: no longer valid." not in own


def test_a_revoked_certificate_is_shown_revoked_on_the_commune_page_without_its_download(
    client,
    places,  # noqa: F811
    issued,
):
    certificate = star_certificate(issued)
    certificate_revoke(certificate=certificate, by=make_user("doha_here", places), reason=REASON)
    certificate.refresh_from_db()
    download = reverse("scoring:certificate_download", kwargs={"serial": certificate.serial})

    page = html.unescape(client.get(places.commune.get_absolute_url()).content.decode())
    item = page[page.index(f'id="certificate-{certificate.serial}"') :].split("</li>")[0]

    assert 'class="certificate-revoked"' in item
    assert "Revoked: no longer valid." in item
    assert f"Revoked on {timezone.localtime(certificate.revoked_at):%d/%m/%Y}." in item
    assert REASON in item
    assert reverse("scoring:verify", kwargs={"serial": certificate.serial}) in item
    assert download not in page


def test_the_stars_page_lists_the_certificates_and_shows_a_revoked_one_as_revoked(
    client,
    places,  # noqa: F811
    two_issued,
):
    first, second = the_two(two_issued)
    certificate_revoke(certificate=first, by=make_user("doha_here", places), reason=REASON)
    first.refresh_from_db()
    # Both communes were taken over by today's ward: its stars page lists both certificates.
    places.new_commune.predecessors.add(places.commune, places.other_commune)

    response = client.get(reverse("scoring:star_history", kwargs={"pk": places.new_commune.pk}))
    page = html.unescape(response.content.decode())
    listing = page[page.index('id="history-certificates"') :].split("</ul>")[0]
    revoked = listing[listing.index(f'id="certificate-{first.serial}"') :].split("</li>")[0]
    valid = listing[listing.index(f'id="certificate-{second.serial}"') :].split("</li>")[0]

    assert {c.serial for c in response.context["history"].certificates} == {first.serial, second.serial}
    assert "Revoked: no longer valid." in revoked and REASON in revoked
    assert f"Revoked on {timezone.localtime(first.revoked_at):%d/%m/%Y}." in revoked
    assert reverse("scoring:certificate_download", kwargs={"serial": first.serial}) not in page
    assert "Revoked" not in valid
    assert reverse("scoring:certificate_download", kwargs={"serial": second.serial}) in valid


# --- Who may do what: last in the module, whose scene stays open until the module ends ---------


@pytest.fixture(scope="module")
def matrix_scene(django_db_setup, django_db_blocker):
    """The approved decision and every role's signed-in client, built once for the module inside a
    transaction rolled back at its end; each route's test runs in a savepoint of its own."""
    with django_db_blocker.unblock(), transaction.atomic():
        scene = places_build()
        criteria_set = recognisable_set(scene.province)
        drafted = draft(
            scene.province, [final(scene.commune, criteria_set)], user_with_role(Role.DOHA_STAFF, scene.province)
        )
        approved = decision_approve(decision=drafted, by=user_with_role(Role.PROVINCIAL_LEADER, scene.province))
        certificates_plan(approved)
        clients = {}
        for role in ROLES:
            clients[role] = Client()
            sign_in(clients[role], role, scene)
        yield approved, clients
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", list(MATRIX))
def test_role_gets_expected_answer_from_certificate_page(db, matrix_scene, name):
    approved, clients = matrix_scene
    with transaction.atomic():
        decision = Decision.objects.get(pk=approved.pk)  # read again: nothing cached from a route before
        if name == "scoring:certificates_zip":
            certificate_issue(star_certificate(decision).pk)  # an archive needs one issued document
        url = url_for(name, decision)
        answers = {}
        for role in ROLES:
            response = clients[role].get(url)
            answers[role] = response.status_code
            if response.status_code == 302:
                assert "login" in response.headers["Location"], role
        transaction.set_rollback(True)

    assert answers == MATRIX[name]
