//! Where deliveries may go. A webhook makes planspor send requests to an
//! address a caller chose, so without rules it is a way into the network it
//! runs in (SSRF): targets are https, and never loopback, link-local, private
//! or otherwise internal addresses, whether written as such or resolved from
//! a name at delivery time, unless an operator allows the host by
//! configuration (`PLANSPOR_WEBHOOK_ALLOWED_HOSTS`; an allowed host may also
//! use http, for a receiver on the same machine).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

use crate::error::{FieldCode, Refusal};

/// The operator's exceptions to the address rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetPolicy {
    allowed_hosts: Vec<String>,
}

impl TargetPolicy {
    /// Rules with these hosts (names or addresses as written in a URL) allowed.
    pub fn allowing(hosts: Vec<String>) -> Self {
        Self {
            allowed_hosts: hosts.into_iter().map(|h| h.to_ascii_lowercase()).collect(),
        }
    }

    fn allows(&self, url: &Url) -> bool {
        url.host_str()
            .is_some_and(|host| self.allowed_hosts.iter().any(|allowed| *allowed == host))
    }

    /// The URL a subscription may deliver to, or why not.
    pub fn check(&self, text: &str) -> Result<Url, Refusal> {
        let refuse = |why: &str| Refusal::new(FieldCode::NotAllowed, why.to_owned());
        let url = Url::parse(text.trim()).map_err(|_| {
            Refusal::new(FieldCode::InvalidFormat, "must be an absolute https:// URL")
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refuse(
                "must not hold a user name or password; sign with the secret instead",
            ));
        }
        if url.fragment().is_some() {
            return Err(refuse("must not have a #fragment"));
        }
        let allowed = self.allows(&url);
        match url.scheme() {
            "https" => {}
            "http" if allowed => {}
            _ => return Err(refuse("must be an https:// URL")),
        }
        if allowed {
            return Ok(url);
        }
        match url.host() {
            Some(Host::Ipv4(ip)) if internal(IpAddr::V4(ip)) => Err(refuse(
                "must not be a loopback, link-local or private address",
            )),
            Some(Host::Ipv6(ip)) if internal(IpAddr::V6(ip)) => Err(refuse(
                "must not be a loopback, link-local or private address",
            )),
            Some(Host::Domain(name)) if local_name(name) => {
                Err(refuse("must not name this machine or the local network"))
            }
            None => Err(refuse("must name a host")),
            _ => Ok(url),
        }
    }

    /// At delivery: the addresses the URL's name resolves to now must all be
    /// public (a name can be pointed at an internal address after it was
    /// registered). The check and the connection resolve separately, so a
    /// name that changes between the two within its TTL is not caught.
    pub async fn check_resolved(&self, url: &Url) -> Result<(), String> {
        if self.allows(url) {
            return Ok(());
        }
        let host = url.host_str().ok_or("the URL names no host")?;
        let port = url.port_or_known_default().unwrap_or(443);
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let addresses = tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| format!("resolving {host}: {e}"))?;
        for address in addresses {
            if internal(address.ip()) {
                return Err(format!(
                    "{host} resolves to {}, an internal address",
                    address.ip()
                ));
            }
        }
        Ok(())
    }
}

fn local_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || [".localhost", ".local", ".internal", ".localdomain"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

/// Whether `ip` is anything but a public unicast address.
fn internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => internal_v4(ip),
        IpAddr::V6(ip) => internal_v6(ip),
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240 // reserved
}

fn internal_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return internal_v4(v4);
    }
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || first == 0x2001 && ip.segments()[1] == 0x0db8 // documentation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_https_targets_are_accepted_by_default() {
        let policy = TargetPolicy::default();
        assert!(
            policy
                .check("https://esdh.slagelse.dk/hooks/planspor")
                .is_ok()
        );
        for refused in [
            "http://esdh.slagelse.dk/hook",
            "ftp://esdh.slagelse.dk/hook",
            "https://127.0.0.1/hook",
            "https://10.1.2.3/hook",
            "https://192.168.0.10/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/hook",
            "https://[::1]/hook",
            "https://[fe80::1]/hook",
            "https://[fd00::1]/hook",
            "https://[::ffff:10.0.0.1]/hook",
            "https://localhost/hook",
            "https://db.internal/hook",
            "https://user:pw@esdh.slagelse.dk/hook",
            "https://esdh.slagelse.dk/hook#x",
            "not a url",
        ] {
            assert!(policy.check(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn an_operator_allows_a_host_explicitly_and_then_http_too() {
        let policy = TargetPolicy::allowing(vec!["127.0.0.1".into()]);
        assert!(policy.check("http://127.0.0.1:9000/hook").is_ok());
        assert!(policy.check("http://127.0.0.2:9000/hook").is_err());
    }
}
