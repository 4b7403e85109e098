//! `dns`, `tcp`, `tls`: can this machine reach the appliance, and does its
//! certificate hold? The handshake is the one the broker's HTTP client
//! makes (rustls, the same public web roots), done by hand so the line can
//! say which certificate rule failed.

use super::Report;
use bt_broker::config::Config;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::rustls::{self, pki_types::ServerName, CertificateError};

/// A lookup gets at least this long: one resolver retry takes 5 s.
const DNS_TIMEOUT_MIN: Duration = Duration::from_secs(5);

/// Whether the appliance can be reached (the API checks follow only then).
pub async fn check(report: &mut Report, config: &Config) -> bool {
    let Ok(url) = url::Url::parse(&config.appliance_url) else {
        // The configuration check validated it; nothing else to say.
        return false;
    };
    let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return false;
    };
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let Some(addrs) = dns(report, config, &host, port).await else {
        return false;
    };
    let Some(stream) = tcp(report, config, &addrs).await else {
        return false;
    };
    match url.scheme() {
        "https" => tls(report, config, &host, port, stream).await,
        _ if config.is_insecure_remote() => {
            report.fail(
                "tls",
                format!("plain http to {host}: the client secret and every token cross the network unencrypted"),
                "use https:// in BT_APPLIANCE_URL and remove BT_ALLOW_INSECURE",
            );
            true
        }
        _ => {
            report.ok("tls", "not used: plain http to a loopback address");
            true
        }
    }
}

async fn dns(
    report: &mut Report,
    config: &Config,
    host: &str,
    port: u16,
) -> Option<Vec<SocketAddr>> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        report.ok("dns", format!("{host} is an address (no lookup)"));
        return Some(vec![SocketAddr::new(ip, port)]);
    }
    let limit = config.connect_timeout.max(DNS_TIMEOUT_MIN);
    let fix = "check the host name in BT_APPLIANCE_URL and this machine's DNS resolver (/etc/resolv.conf)";
    match timeout(limit, tokio::net::lookup_host((host, port))).await {
        Ok(Ok(found)) => {
            let addrs: Vec<SocketAddr> = found.collect();
            if addrs.is_empty() {
                report.fail("dns", format!("{host} has no address"), fix);
                return None;
            }
            let shown: Vec<String> = addrs.iter().take(4).map(|a| a.ip().to_string()).collect();
            report.ok("dns", format!("{host} is {}", shown.join(", ")));
            Some(addrs)
        }
        Ok(Err(e)) => {
            report.fail("dns", format!("{host} does not resolve ({e})"), fix);
            None
        }
        Err(_) => {
            report.fail(
                "dns",
                format!("no answer for {host} within {} s", limit.as_secs()),
                fix,
            );
            None
        }
    }
}

/// Connects to the first address that accepts, each within the broker's
/// connect timeout (`BT_CONNECT_TIMEOUT_MS`).
async fn tcp(report: &mut Report, config: &Config, addrs: &[SocketAddr]) -> Option<TcpStream> {
    let mut why = String::new();
    for addr in addrs {
        let started = Instant::now();
        match timeout(config.connect_timeout, TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => {
                report.ok(
                    "tcp",
                    format!(
                        "{addr} accepts connections ({} ms)",
                        started.elapsed().as_millis()
                    ),
                );
                return Some(stream);
            }
            Ok(Err(e)) => why = format!("{addr}: {e}"),
            Err(_) => {
                why = format!(
                    "{addr}: no answer within {} ms (BT_CONNECT_TIMEOUT_MS)",
                    config.connect_timeout.as_millis()
                )
            }
        }
    }
    let port = addrs.first().map_or(443, SocketAddr::port);
    report.fail(
        "tcp",
        format!("the appliance does not accept connections ({why})"),
        format!("check that the appliance is up and that this machine may open TCP {port} to it (firewall, proxy), or correct the port in BT_APPLIANCE_URL"),
    );
    None
}

/// The client configuration reqwest's `rustls-tls` builds: the public web
/// roots, default protocol versions.
fn client_config() -> Result<rustls::ClientConfig, rustls::Error> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    Ok(rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_root_certificates(roots)
    .with_no_client_auth())
}

async fn tls(report: &mut Report, config: &Config, host: &str, port: u16, tcp: TcpStream) -> bool {
    let fail = |report: &mut Report, what: String, fix: String| {
        report.fail("tls", what, fix);
        false
    };
    let client = match client_config() {
        Ok(c) => c,
        Err(e) => {
            return fail(
                report,
                format!("cannot set up TLS: {e}"),
                "report this as a bug".into(),
            );
        }
    };
    let Ok(name) = ServerName::try_from(host.to_owned()) else {
        return fail(
            report,
            format!("'{host}' cannot be checked against a certificate"),
            "use the appliance's DNS name in BT_APPLIANCE_URL".into(),
        );
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client));
    let handshake = match timeout(config.request_timeout, connector.connect(name, tcp)).await {
        Ok(h) => h,
        Err(_) => {
            return fail(
                report,
                format!(
                    "no TLS answer from {host}:{port} within {} ms (BT_REQUEST_TIMEOUT_MS)",
                    config.request_timeout.as_millis()
                ),
                format!("check that port {port} of the appliance serves HTTPS"),
            );
        }
    };
    match handshake {
        Ok(stream) => {
            let version = stream
                .get_ref()
                .1
                .protocol_version()
                .and_then(|v| v.as_str())
                .unwrap_or("TLS")
                .replace('_', ".")
                .replace("TLSv", "TLS ");
            report.ok(
                "tls",
                format!("the certificate is valid for {host} and trusted ({version})"),
            );
            true
        }
        Err(e) => {
            let rustls_error = e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>());
            let (what, fix) = describe(host, port, rustls_error, &e);
            fail(report, what, fix)
        }
    }
}

/// What a failed handshake means, and what to do about it.
fn describe(
    host: &str,
    port: u16,
    error: Option<&rustls::Error>,
    io: &std::io::Error,
) -> (String, String) {
    let install = "install a certificate from a public certificate authority on the appliance (/appliance > Security > Certificates; the broker trusts the public web roots only)";
    match error {
        Some(rustls::Error::InvalidCertificate(c)) => match c {
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                (
                    format!("the appliance's certificate is not valid for {host}"),
                    format!(
                        "use in BT_APPLIANCE_URL the name the certificate was issued for, or {install}"
                    ),
                )
            }
            CertificateError::UnknownIssuer => (
                format!(
                    "the certificate of {host} is not signed by an authority the broker trusts (self-signed or from a private CA)"
                ),
                install.to_owned(),
            ),
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => (
                format!("the certificate of {host} has expired"),
                format!("renew it: {install}"),
            ),
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => (
                format!("the certificate of {host} is not valid yet"),
                "check this machine's clock (timedatectl), then the certificate's dates".to_owned(),
            ),
            other => (
                format!("the certificate of {host} is refused ({other:?})"),
                install.to_owned(),
            ),
        },
        Some(other) => (
            format!("the TLS handshake with {host}:{port} failed ({other})"),
            format!("check that https://{host}:{port} is the appliance's public site"),
        ),
        None => (
            format!("the TLS handshake with {host}:{port} failed ({io})"),
            format!("check that port {port} of the appliance serves HTTPS, not plain http"),
        ),
    }
}
