"""PAdES signatures with pyHanko: the key and certificate come from a PKCS#12 file named by the
environment (SIGNING_PKCS12_PATH, SIGNING_PKCS12_PASSWORD; a timestamp server by SIGNING_TSA_URL);
without one, a development key and self-signed certificate are made under var/ and pages say so."""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

DEVELOPMENT_SUBJECT = "Ủy ban nhân dân tỉnh (khóa phát triển)"
# The stamp's text needs Vietnamese glyphs; pyHanko embeds the subset it uses.
STAMP_FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
    Path("/usr/share/fonts/noto/NotoSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
FIELD_NAME = "ChuKySo"


@dataclass(frozen=True)
class SignerInfo:
    """Who signs, as pages and records show it."""

    subject: str  # the certificate's subject common name
    fingerprint: str  # SHA-256 of the DER certificate, hex, lower case
    development: bool  # a self-signed development key made by the portal


def development_pkcs12_path() -> Path:
    return Path(settings.VAR_DIR) / "signing" / "development.p12"


def self_signed_certificate(key, name, *, days: int):
    """A certificate of ``name`` for ``key``, signed by itself and fit for signing documents: the
    development key's, and a test's signer's."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _development_pkcs12() -> Path:
    """The development key and certificate, made on first use. Workers may race to make it: each writes
    a file of its own and links it into place, so the first one wins and the others use it."""
    path = development_pkcs12_path()
    if path.exists():
        return path
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Cổng chính quyền thân thiện"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEVELOPMENT_SUBJECT),
        ]
    )
    certificate = self_signed_certificate(key, name, days=3650)
    data = pkcs12.serialize_key_and_certificates(b"development", key, certificate, None, serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".development-")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        try:
            os.link(temporary, path)
            logger.warning("No SIGNING_PKCS12_PATH: made a development signing key at %s.", path)
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)
    return path


def _pkcs12() -> tuple[Path, bytes | None, bool]:
    if settings.SIGNING_PKCS12_PATH:
        password = settings.SIGNING_PKCS12_PASSWORD.encode() or None
        return Path(settings.SIGNING_PKCS12_PATH), password, False
    return _development_pkcs12(), None, True


@functools.lru_cache(maxsize=4)
def _load(path: str, password: bytes | None, mtime: float):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password)
    if signer is None:
        raise RuntimeError(f"Cannot read the signing key in {path}: check SIGNING_PKCS12_PASSWORD.")
    return signer


def _signer():
    path, password, development = _pkcs12()
    return _load(str(path), password, path.stat().st_mtime), development


def signer_info() -> SignerInfo:
    signer, development = _signer()
    certificate = signer.signing_cert
    return SignerInfo(
        subject=certificate.subject.native.get("common_name", certificate.subject.human_friendly),
        fingerprint=hashlib.sha256(certificate.dump()).hexdigest(),
        development=development,
    )


def signer_certificate_pem() -> bytes:
    """The signing certificate in PEM, for whoever wants to trust it (a verifier, the tests' NSS database)."""
    from asn1crypto import pem

    signer, _development = _signer()
    return pem.armor("CERTIFICATE", signer.signing_cert.dump())


# The stamp's characters: Latin with Vietnamese letters and tones, digits, punctuation.
STAMP_UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x180),
    0x1A0,
    0x1A1,
    0x1AF,
    0x1B0,
    *range(0x300, 0x324),
    *range(0x1EA0, 0x1EFA),
    *range(0x2010, 0x2027),
]


@functools.cache
def stamp_font_path() -> Path:
    """A copy of the system font reduced to the stamp's characters, made once under var/. pyHanko subsets
    the stamp's font on every signature; on the whole Noto Sans that took about 240 ms a signature."""
    source = next((path for path in STAMP_FONT_CANDIDATES if path.exists()), None)
    if source is None:
        raise RuntimeError("No font with Vietnamese glyphs for the signature stamp (install fonts-noto-core).")
    reduced = Path(settings.VAR_DIR) / "signing" / f"stamp-{source.stem}.ttf"
    if not reduced.exists():
        from fontTools import subset

        options = subset.Options()
        options.layout_features = []  # the stamp needs no ligatures or positioning rules
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=STAMP_UNICODES)
        subsetter.subset(font)
        reduced.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=reduced.parent, suffix=".ttf", delete=False) as partial:
            subset.save_font(font, partial.name, options)
        os.replace(partial.name, reduced)  # whole or not at all, even with two workers at once
    return reduced


def _last_page(pdf: bytes) -> tuple[int, tuple[float, float, float, float]]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    count = int(reader.root["/Pages"]["/Count"])
    page = reader.find_page_for_modification(count - 1)[0].get_object()
    while "/MediaBox" not in page:  # inherited from the page tree
        page = page["/Parent"]
    x0, y0, x1, y1 = (float(v) for v in page["/MediaBox"])
    return count - 1, (x0, y0, x1, y1)


def sign_pdf(pdf: bytes, *, stamp_lines: list[str], box: tuple[float, float, float, float] | None = None) -> bytes:
    """``pdf`` signed (PAdES baseline B-B, B-T with a timestamp server) with a visible stamp whose text is
    ``stamp_lines`` (Vietnamese, in a font with its glyphs). ``box`` is the stamp's rectangle on the last
    page in PDF points from its lower left corner; by default the page's lower right corner."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.stamp import TextStampStyle

    signer, _development = _signer()
    page, (_x0, y0, x1, _y1) = _last_page(pdf)
    if box is None:
        box = (x1 - 36 - 230, y0 + 24, x1 - 36, y0 + 84)
    style = TextStampStyle(
        # pyHanko %-formats the text with its own parameters; ours are literal.
        stamp_text="\n".join(stamp_lines).replace("%", "%%"),
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(stamp_font_path())), font_size=9),
        border_width=1,
    )
    timestamper = timestamps.HTTPTimeStamper(settings.SIGNING_TSA_URL) if settings.SIGNING_TSA_URL else None
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            use_pades_lta=False,
        ),
        signer=signer,
        timestamper=timestamper,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=page, box=tuple(round(v) for v in box)),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    return pdf_signer.sign_pdf(writer).getvalue()


def signature_intact(pdf: bytes) -> bool:
    """True when ``pdf`` carries a signature that covers the whole file and whose digest matches.

    Trust is not judged here: the verification page compares the file's SHA-256 with our record and the
    signer's fingerprint with the key that signed it. "Whole file" is pyHanko's ENTIRE_FILE coverage: no
    byte outside the signed ranges and no revision appended after the signature."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        if not signatures:
            return False
        signature = signatures[-1]
        # Its own certificate as the trust root: only integrity is judged, without a chain to build.
        context = ValidationContext(trust_roots=[signature.signer_cert], allow_fetching=False)
        status = validate_pdf_signature(signature, context)
    except Exception:  # a damaged file is simply not an intact signed one
        logger.info("An unreadable or damaged signed PDF was checked.", exc_info=True)
        return False
    return bool(status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE)
