//! Certificate verification as Go does it for Atlantis: the system store (with `SSL_CERT_FILE`
//! and `SSL_CERT_DIR`) plus the `--ca-cert` roots, and one addition: a self-signed server
//! certificate given to `--ca-cert` is trusted as itself even when it says `CA:TRUE`, the kind
//! `openssl req -x509` makes and GitHub Enterprise and GitLab appliances often serve. Go accepts
//! it (the leaf is in its roots); webpki refuses a CA certificate as an end entity. The host
//! name and the validity period are still checked.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, SignatureScheme};
use std::sync::Arc;

#[derive(Debug)]
pub struct Verifier {
    inner: Arc<dyn ServerCertVerifier>,
    /// The `--ca-cert` certificates (DER), compared byte for byte with a refused leaf.
    pinned: Vec<CertificateDer<'static>>,
}

/// The `--ca-cert` certificates of `pems`, DER.
pub fn parse_pems(pems: &[Vec<u8>]) -> Result<Vec<CertificateDer<'static>>, String> {
    use rustls::pki_types::pem::PemObject;
    let mut out = Vec::new();
    for pem in pems {
        let certs: Result<Vec<_>, _> = CertificateDer::pem_slice_iter(pem).collect();
        match certs {
            Ok(c) if !c.is_empty() => out.extend(c),
            _ => return Err("the --ca-cert file holds no readable PEM certificate".into()),
        }
    }
    Ok(out)
}

impl Verifier {
    pub fn new(
        pinned: Vec<CertificateDer<'static>>,
        provider: Arc<rustls::crypto::CryptoProvider>,
    ) -> Result<Verifier, String> {
        let platform =
            rustls_platform_verifier::Verifier::new_with_extra_roots(pinned.clone(), provider)
                .map_err(|_| {
                    "no usable trusted root certificates (from the system store, SSL_CERT_FILE / SSL_CERT_DIR, or --ca-cert)".to_string()
                })?;
        Ok(Verifier {
            inner: Arc::new(platform),
            pinned,
        })
    }
}

/// True for webpki's refusal of a CA certificate used as the server's own.
fn ca_used_as_end_entity(e: &Error) -> bool {
    match e {
        Error::InvalidCertificate(CertificateError::Other(o)) => matches!(
            o.0.downcast_ref::<webpki::Error>(),
            Some(webpki::Error::CaUsedAsEndEntity)
        ),
        _ => false,
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            // webpki checks the validity period before the basic constraints, so this refusal
            // means the certificate is within its dates.
            Err(e)
                if ca_used_as_end_entity(&e)
                    && self
                        .pinned
                        .iter()
                        .any(|p| p.as_ref() == end_entity.as_ref()) =>
            {
                let cert = webpki::EndEntityCert::try_from(end_entity)
                    .map_err(|_| Error::InvalidCertificate(CertificateError::BadEncoding))?;
                cert.verify_is_valid_for_subject_name(server_name)
                    .map_err(|_| Error::InvalidCertificate(CertificateError::NotValidForName))?;
                Ok(ServerCertVerified::assertion())
            }
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The TLS client configuration of every probe, built once per set of `--ca-cert` files (loading
/// and parsing the system store is the most expensive part of setting up a host's client).
pub fn client_config(ca_pem: &[Vec<u8>]) -> Result<rustls::ClientConfig, String> {
    type Cache = Vec<(Vec<Vec<u8>>, Result<rustls::ClientConfig, String>)>;
    static CACHE: std::sync::Mutex<Cache> = std::sync::Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, c)) = cache.iter().find(|(k, _)| k.as_slice() == ca_pem) {
        return c.clone();
    }
    let c = build_config(ca_pem);
    cache.push((ca_pem.to_vec(), c.clone()));
    c
}

fn build_config(ca_pem: &[Vec<u8>]) -> Result<rustls::ClientConfig, String> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let pinned = parse_pems(ca_pem)?;
    let verifier = Verifier::new(pinned, provider.clone())?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|_| "no usable TLS versions".to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
