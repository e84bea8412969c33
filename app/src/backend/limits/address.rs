//! Who is asking: the client's address, for the per-address limits (and logs).
//!
//! By default it is the TCP peer. Behind a reverse proxy every peer is the proxy, so the
//! operator names the header the proxy writes the client's address into, and the addresses of
//! the proxies. The header is believed only when the request came from one of those proxies
//! (anyone who can reach the app directly could write it), and it is read from the right: the
//! first entry that is not itself a trusted proxy is the client (anything further left came from
//! the client). Without that setting, such headers are ignored: a client cannot choose its own
//! address.

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderName;
use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// The proxies trusted by default: one on the same machine.
pub fn loopback() -> Vec<IpNet> {
    vec!["127.0.0.0/8".parse().expect("a network"), "::1/128".parse().expect("a network")]
}

/// The client address of a request, as found by the limits middleware (in the request's
/// extensions). IPv6 addresses are cut to their /64 network, which one subscriber usually has
/// whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// How the client address is found.
#[derive(Debug, Clone)]
pub(super) struct ClientAddress {
    trusted_header: Option<HeaderName>,
    trusted_proxies: Vec<IpNet>,
}

impl ClientAddress {
    pub(super) fn new(trusted_header: Option<HeaderName>, trusted_proxies: Vec<IpNet>) -> Self {
        ClientAddress { trusted_header, trusted_proxies }
    }

    fn is_trusted_proxy(&self, ip: IpAddr) -> bool {
        let ip = unmapped(ip);
        self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }

    /// The client address of `req`: from the trusted proxy header when one is configured and
    /// the request came from a trusted proxy, else the TCP peer (unspecified when the request
    /// did not come over TCP, as in tests that call the router directly).
    pub(super) fn of(&self, req: &Request) -> ClientAddr {
        let peer =
            req.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
        let forwarded = self
            .trusted_header
            .as_ref()
            .filter(|_| peer.is_some_and(|p| self.is_trusted_proxy(p)))
            .and_then(|name| {
                let values: Vec<&str> =
                    req.headers().get_all(name).iter().filter_map(|v| v.to_str().ok()).collect();
                self.client_in(name, &values)
            });
        ClientAddr(network(forwarded.or(peer).unwrap_or(IpAddr::from([0, 0, 0, 0]))))
    }

    /// The client in a proxy header's values (`X-Forwarded-For: a, b` style lists, or
    /// `Forwarded: for=…`, RFC 7239), read from the right past the trusted proxies. `None` when
    /// that entry is not an address (then the peer, the proxy, is used: the request is still
    /// limited, just with the proxy's other unreadable requests).
    fn client_in(&self, name: &HeaderName, values: &[&str]) -> Option<IpAddr> {
        let entries: Vec<&str> = values
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .collect();
        let mut client = None;
        for entry in entries.iter().rev() {
            let text = if name.as_str() == "forwarded" {
                entry.split(';').find_map(|pair| {
                    let (key, value) = pair.trim().split_once('=')?;
                    key.eq_ignore_ascii_case("for").then(|| value.trim_matches('"'))
                })?
            } else {
                entry
            };
            let ip = parse_address(text)?;
            client = Some(ip);
            if !self.is_trusted_proxy(ip) {
                break;
            }
        }
        client
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or
/// `[2001:db8::1]:5678`.
fn parse_address(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(socket) = text.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    text.strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(inner, _)| inner.parse::<Ipv6Addr>().ok())
        .map(IpAddr::V6)
}

/// The address a limit is kept for: an IPv4 address itself (or the one inside an IPv4-mapped
/// IPv6 address), an IPv6 address's /64.
fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(Ipv6Addr::from(segments))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(peer: &str, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().uri("/api/device/unlock");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let mut req = builder.body(Body::empty()).unwrap();
        req.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        req
    }

    fn ip(text: &str) -> ClientAddr {
        ClientAddr(text.parse().unwrap())
    }

    #[test]
    fn without_a_trusted_header_the_peer_is_the_client_whatever_the_request_claims() {
        let client = ClientAddress::new(None, loopback());
        let req = request(
            "198.51.100.7:40000",
            &[("x-forwarded-for", "203.0.113.1"), ("forwarded", "for=203.0.113.2")],
        );
        assert_eq!(client.of(&req), ip("198.51.100.7"));
    }

    fn behind(header: &'static str) -> ClientAddress {
        ClientAddress::new(
            Some(HeaderName::from_static(header)),
            vec!["10.0.0.0/8".parse().unwrap()],
        )
    }

    #[test]
    fn behind_a_proxy_the_last_entry_of_its_header_is_the_client() {
        let client = behind("x-forwarded-for");
        // The client wrote "6.6.6.6" itself; the proxy added the address it saw.
        let req = request("10.0.0.2:40000", &[("x-forwarded-for", "6.6.6.6, 203.0.113.9")]);
        assert_eq!(client.of(&req), ip("203.0.113.9"));
        let two_lines = request(
            "10.0.0.2:40000",
            &[("x-forwarded-for", "6.6.6.6"), ("x-forwarded-for", "203.0.113.10")],
        );
        assert_eq!(client.of(&two_lines), ip("203.0.113.10"));
        let forwarded = behind("forwarded");
        let req = request(
            "10.0.0.2:40000",
            &[("forwarded", "for=6.6.6.6, for=\"[2001:db8:1:2:3::4]:443\";proto=https")],
        );
        assert_eq!(forwarded.of(&req), ip("2001:db8:1:2::"));
    }

    #[test]
    fn the_proxy_header_is_believed_only_from_a_trusted_proxy() {
        let client = behind("x-forwarded-for");
        // Straight to the app, past the proxy: the header is the client's own claim.
        let direct = request("198.51.100.7:40000", &[("x-forwarded-for", "203.0.113.1")]);
        assert_eq!(client.of(&direct), ip("198.51.100.7"));
        let mapped = request("[::ffff:10.0.0.2]:40000", &[("x-forwarded-for", "203.0.113.1")]);
        assert_eq!(client.of(&mapped), ip("203.0.113.1"));
        // Two proxies in a row: the first address from the right that is not a proxy.
        let chain =
            request("10.0.0.2:40000", &[("x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.0.0.3")]);
        assert_eq!(client.of(&chain), ip("203.0.113.9"));
        let by_default =
            ClientAddress::new(Some(HeaderName::from_static("x-forwarded-for")), loopback());
        let local = request("127.0.0.1:40000", &[("x-forwarded-for", "203.0.113.1")]);
        assert_eq!(by_default.of(&local), ip("203.0.113.1"));
        let remote = request("10.0.0.2:40000", &[("x-forwarded-for", "203.0.113.1")]);
        assert_eq!(by_default.of(&remote), ip("10.0.0.2"));
    }

    #[test]
    fn a_missing_or_unreadable_proxy_header_falls_back_to_the_peer() {
        let client = behind("x-forwarded-for");
        assert_eq!(client.of(&request("10.0.0.2:1", &[])), ip("10.0.0.2"));
        assert_eq!(
            client.of(&request("10.0.0.2:1", &[("x-forwarded-for", "1.2.3.4, unknown")])),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_64_network() {
        assert_eq!(
            network("2001:db8:aa:bb:1:2:3:4".parse().unwrap()),
            "2001:db8:aa:bb::".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            network("::ffff:192.0.2.1".parse().unwrap()),
            "192.0.2.1".parse::<IpAddr>().unwrap()
        );
        assert_eq!(parse_address("192.0.2.1:8080"), Some("192.0.2.1".parse().unwrap()));
    }
}
