//! [`Client`] and its [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::auth::{Auth, TokenProvider, bearer};
use super::{Error, Hooks, RetryConfig};

/// The `User-Agent` sent unless [`ClientBuilder::user_agent`] says otherwise.
pub(crate) const DEFAULT_USER_AGENT: &str = concat!("gr4vy-rust/", env!("CARGO_PKG_VERSION"));

/// Header names a caller may not set per call: they frame the HTTP message or route it
/// (`Host`, `Content-Length`, `Transfer-Encoding` and the other hop-by-hop headers), where a wrong
/// value hangs the call or smuggles a second request, or they carry the credentials, which have
/// typed settings of their own ([`RequestOptions::bearer_token`](crate::RequestOptions::bearer_token)).
pub(crate) const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "upgrade",
    "authorization",
    "proxy-authorization",
];

/// A configured Gr4vy API client.
///
/// Cloning is cheap (the configuration and the connection pool are shared), so clone it into tasks
/// rather than wrapping it in an `Arc`.
///
/// ```
/// let client = gr4vy::Client::builder()
///     .server(gr4vy::Server::Production)
///     .server_variable("id", "acme")
///     .bearer_token("<token>")
///     .build()?;
/// assert_eq!(client.base_url(), "https://api.acme.gr4vy.app");
/// # Ok::<(), gr4vy::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

/// The shared state behind a [`Client`].
pub(crate) struct ClientInner {
    pub(crate) base_url: String,
    /// `base_url` parsed, when a call's URL can be made from it by setting its path and query
    /// (see `Call::url_from`): it has no query or fragment, and its path is `/` or does not end
    /// with `/` (which `base_url` can still give after normalization, as in `https://host/a/.`).
    /// Parsing a whole URL for every call costs more than the rest of building the request, while
    /// setting the path of a parsed copy parses only the path.
    pub(crate) parsed_base_url: Option<reqwest::Url>,
    pub(crate) http: reqwest::Client,
    pub(crate) auth: Auth,
    /// The values of the spec's global headers set on the builder (header, value).
    pub(crate) globals: Vec<(&'static str, String)>,
    pub(crate) retries: Option<RetryConfig>,
    pub(crate) timeout: Duration,
    pub(crate) max_response_size: usize,
    pub(crate) allow_insecure_http: bool,
    pub(crate) user_agent: HeaderValue,
    pub(crate) hooks: Vec<Arc<dyn Hooks>>,
    /// Answers every call instead of the network (see `crate::testing`).
    #[cfg(feature = "test-util")]
    pub(crate) mock: Option<Arc<crate::testing::MockState>>,
    /// Runs `send_blocking()` and the blocking iterators (see `http/blocking.rs`).
    #[cfg(feature = "blocking")]
    pub(crate) blocking: super::blocking::BlockingRuntime,
}

impl Client {
    /// How long one attempt may take unless [`ClientBuilder::timeout`] says otherwise: from asking
    /// the token provider to reading the last byte of the response. Generous, because an
    /// authorization passes through a payment service and the card network and can take tens of
    /// seconds; finite, because a call that never ends holds a payment in an unknown state.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(90);

    /// How long opening a connection (TCP and TLS) may take unless
    /// [`ClientBuilder::connect_timeout`] says otherwise.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

    /// The largest response body read unless [`ClientBuilder::max_response_size`] says
    /// otherwise: 32 MiB, many times the largest page of 100 transactions, while a response that
    /// never ends cannot exhaust memory.
    pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 32 * 1024 * 1024;

    /// Starts configuring a client: the default server and the spec's defaults unless told
    /// otherwise.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL every request goes to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A reqwest builder with the TLS set-up this crate uses (rustls with the *ring* provider,
    /// certificates checked against the operating system's roots), redirects turned off and the
    /// default connect timeout. Start from it when you pass your own client to
    /// [`ClientBuilder::http_client`], to set a proxy, say: `reqwest::Client::builder()` alone
    /// does not work with this crate's reqwest features unless your application installs a
    /// rustls crypto provider itself, and it follows redirects, which the SDK then refuses.
    pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|builder| {
                rustls_platform_verifier::BuilderVerifierExt::with_platform_verifier(builder)
            })
            .map_err(|error| {
                Error::invalid_request("could not set up TLS").with_source(Box::new(error))
            })?
            .with_no_client_auth();
        Ok(reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            // A redirect would resend the call, its headers and possibly its body to another
            // URL, and turn a POST into a GET that "succeeds": a 3XX is returned as an error.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Client::DEFAULT_CONNECT_TIMEOUT))
    }
}

impl Client {
    /// Signs an embed token for Gr4vy Embed with the client's private key (scope `embed`, the
    /// `embed` claim set to `embed`), optionally pinned to a checkout session. See
    /// [`auth::get_embed_token`](crate::auth::get_embed_token).
    ///
    /// Fails with [`ErrorKind::Auth`](crate::ErrorKind::Auth) when the client was not built with
    /// [`ClientBuilder::private_key`].
    pub fn embed_token(
        &self,
        embed: &crate::auth::EmbedParams,
        checkout_session_id: Option<&str>,
    ) -> Result<String, Error> {
        crate::auth::get_embed_token(self.private_key()?, embed, checkout_session_id)
    }

    /// The private key the client was built with.
    pub(crate) fn private_key(&self) -> Result<&crate::auth::PrivateKey, Error> {
        match &self.inner.auth {
            Auth::Key(signer) => Ok(&signer.key),
            _ => Err(Error::auth(
                "signing an embed token needs a client built with `ClientBuilder::private_key`",
            )),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut out = f.debug_struct("Client");
        out.field("base_url", &inner.base_url)
            .field("auth", &inner.auth);
        debug_globals(&mut out, &inner.globals);
        out.field("retries", &inner.retries)
            .field("timeout", &inner.timeout)
            .field("max_response_size", &inner.max_response_size)
            .field("allow_insecure_http", &inner.allow_insecure_http)
            .field("user_agent", &inner.user_agent)
            .field("hooks", &inner.hooks.len())
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]; start with [`Client::builder`].
///
/// Every setting is optional. Without any, the client talks to the default server with the spec's
/// default server variables, sends no credentials, retries GET requests as the spec says, gives
/// each attempt [`Client::DEFAULT_TIMEOUT`], reads responses up to
/// [`Client::DEFAULT_MAX_RESPONSE_SIZE`], follows no redirects and sends credentials over
/// HTTPS only (plain HTTP to a loopback address is allowed, for local tests).
#[derive(Clone, Default)]
#[must_use]
pub struct ClientBuilder {
    server: crate::Server,
    variables: Vec<(String, String)>,
    base_url: Option<String>,
    auth: Auth,
    bearer_token: Option<String>,
    globals: Vec<(&'static str, String)>,
    retries: Option<RetryConfig>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_response_size: Option<usize>,
    allow_insecure_http: bool,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    hooks: Vec<Arc<dyn Hooks>>,
    #[cfg(feature = "test-util")]
    mock: Option<Arc<crate::testing::MockState>>,
}

impl ClientBuilder {
    /// Which environment to talk to (default: [`Server::default()`](crate::Server)).
    pub fn server(mut self, server: crate::Server) -> Self {
        self.server = server;
        self
    }

    /// Sets a variable of the server URL template, such as `id` (your Gr4vy instance) in
    /// `https://api.{id}.gr4vy.app`. Variables not set keep the spec's defaults. A value must be
    /// one DNS label (letters, digits and inner `-`, at most 63), so that it cannot change the
    /// host: [`build`](Self::build) refuses anything else.
    pub fn server_variable(mut self, name: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self.variables.iter_mut().find(|(known, _)| known == name) {
            Some(entry) => entry.1 = value,
            None => self.variables.push((name.to_owned(), value)),
        }
        self
    }

    /// Sends every request to this URL instead of the server's, for proxies and tests. A trailing
    /// `/` is ignored; a path (`https://proxy.example/gr4vy`) is kept as a prefix. A URL with a
    /// query, a fragment or credentials (`user:password@`) is refused by [`build`](Self::build):
    /// the first two would swallow every operation's path, and credentials belong in headers.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Authenticates with a fixed bearer token (sent as `Authorization: Bearer <token>`). Replaces
    /// any other credentials.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(token.into());
        self.auth = Auth::None;
        self
    }

    /// Authenticates with a token from `provider`, asked once per call. Replaces any other
    /// credentials.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.auth = Auth::Provider(Arc::new(provider));
        self.bearer_token = None;
        self
    }

    /// Authenticates with your Gr4vy private key: before each call the client signs a fresh JWT
    /// with the default [`TokenOptions`](crate::auth::TokenOptions) (scopes `*.read` and
    /// `*.write`, valid for an hour); retries of one call reuse its token. Replaces any other
    /// credentials. The key also signs [`Client::embed_token`]s.
    ///
    /// ```
    /// # let pem = include_str!("../../tests/support/test_key.pem");
    /// let key = gr4vy::auth::PrivateKey::from_pem(pem)?; // e.g. std::fs::read_to_string("private_key.pem")?
    /// let client = gr4vy::Client::builder()
    ///     .server_variable("id", "acme")
    ///     .private_key(key)
    ///     .build()?;
    /// # Ok::<(), gr4vy::Error>(())
    /// ```
    pub fn private_key(self, key: crate::auth::PrivateKey) -> Self {
        self.private_key_with(key, crate::auth::TokenOptions::default())
    }

    /// Like [`private_key`](Self::private_key), with the claims of every token set by `options`
    /// (narrower scopes, a shorter lifetime...).
    pub fn private_key_with(
        mut self,
        key: crate::auth::PrivateKey,
        options: crate::auth::TokenOptions,
    ) -> Self {
        self.auth = Auth::Key(Arc::new(crate::auth::Signer { key, options }));
        self.bearer_token = None;
        self
    }

    /// Sets the value of a global header for every call, replacing an earlier value. The
    /// generated setters of `src/globals.rs` call it with a header of `globals::GLOBALS`; the
    /// runtime itself knows no header by name, so
    /// that a global the spec renames is renamed here too.
    pub(crate) fn global(mut self, header: &'static str, value: impl Into<String>) -> Self {
        set_global(&mut self.globals, header, value.into());
        self
    }

    /// The retry policy of every operation, replacing the spec's defaults (which retry only GET
    /// requests). Use [`RetryConfig::none`] to turn retries off.
    pub fn retries(mut self, config: RetryConfig) -> Self {
        self.retries = Some(config);
        self
    }

    /// The time limit of each attempt, from asking the token provider for a token to reading the
    /// last byte of the response (default [`Client::DEFAULT_TIMEOUT`]). A call that is retried
    /// can take longer in total; [`RequestOptions::timeout`](crate::RequestOptions::timeout)
    /// overrides it per call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time limit for opening a connection, TCP and TLS (default
    /// [`Client::DEFAULT_CONNECT_TIMEOUT`]). Not applied to a client given with
    /// [`http_client`](Self::http_client), which keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The largest response body the client reads, in bytes (default
    /// [`Client::DEFAULT_MAX_RESPONSE_SIZE`]). It is enforced while reading, so a larger or
    /// endless response fails with [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge)
    /// after at most this many bytes were held.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// Lets credentials go over plain `http://` to hosts other than loopback addresses. Without
    /// it, [`build`](Self::build) refuses such a base URL when the client has credentials, and a
    /// call refuses to send an `Authorization` header over it: a token or a JWT signed with
    /// your private key would cross the network readable by anyone on the path. Only for a
    /// trusted network, such as a TLS-terminating sidecar.
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// The `User-Agent` header (default `gr4vy-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends requests with this reqwest client (for its proxy, connection pool or TLS settings).
    /// [`Client::http_client_builder`] gives a builder with this crate's TLS set-up.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Adds a hook that runs around every request; hooks run in the order they were added.
    pub fn hook(mut self, hook: impl Hooks + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Calls go to the mock API instead of the network (`testing::MockApi::client`).
    #[cfg(feature = "test-util")]
    pub(crate) fn mock(mut self, state: Arc<crate::testing::MockState>) -> Self {
        self.mock = Some(state);
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) when the base
    /// URL is not an `http(s)` URL or has a query, fragment or credentials, a server variable is
    /// unknown, has no value or is not one DNS label, credentials would go over plain HTTP to a
    /// host that is not loopback (see [`allow_insecure_http`](Self::allow_insecure_http)), or the
    /// token or user agent cannot be sent as a header.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => self.resolve_server_url()?,
        };
        let parsed = parse_base_url(&base_url)?;
        let auth = match &self.bearer_token {
            Some(token) => Auth::Static(bearer(token)?),
            None => self.auth,
        };
        if !matches!(auth, Auth::None) && !self.allow_insecure_http && exposes_credentials(&parsed)
        {
            return Err(insecure_http(&parsed));
        }
        let extensible =
            !parsed.cannot_be_a_base() && (parsed.path() == "/" || !parsed.path().ends_with('/'));
        let parsed_base_url = extensible.then_some(parsed);
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| Error::invalid_request("the user agent is not a valid header value"))?;
        let http = match self.http_client {
            Some(client) => client,
            None => {
                let mut builder = Client::http_client_builder()?;
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(|error| {
                    Error::from_reqwest(error).with_message("could not set up HTTP")
                })?
            }
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                base_url,
                parsed_base_url,
                http,
                auth,
                globals: self.globals,
                retries: self.retries,
                timeout: self.timeout.unwrap_or(Client::DEFAULT_TIMEOUT),
                max_response_size: self
                    .max_response_size
                    .unwrap_or(Client::DEFAULT_MAX_RESPONSE_SIZE),
                allow_insecure_http: self.allow_insecure_http,
                user_agent,
                hooks: self.hooks,
                #[cfg(feature = "test-util")]
                mock: self.mock,
                #[cfg(feature = "blocking")]
                blocking: Default::default(),
            }),
        })
    }

    /// The server's URL template with every `{variable}` filled in.
    fn resolve_server_url(&self) -> Result<String, Error> {
        for (name, value) in &self.variables {
            if !crate::servers::SERVER_VARIABLES
                .iter()
                .any(|(known, _)| known == name)
            {
                return Err(Error::invalid_request(format!(
                    "unknown server variable `{name}`"
                )));
            }
            if !is_dns_label(value) {
                return Err(Error::invalid_request(format!(
                    "the server variable `{name}` must be one DNS label (letters, digits and inner \
                     `-`, at most 63), so that it cannot change the host: got {value:?}"
                )));
            }
        }
        let mut url = self.server.url_template().to_owned();
        for (name, default) in crate::servers::SERVER_VARIABLES {
            let value = self
                .variables
                .iter()
                .find(|(set, _)| set == name)
                .map_or(*default, |(_, value)| value.as_str());
            url = url.replace(&format!("{{{name}}}"), value);
        }
        if url.contains('{') {
            return Err(Error::invalid_request(format!(
                "the server URL `{url}` has a variable without a value"
            )));
        }
        Ok(url.trim_end_matches('/').to_owned())
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match (&self.bearer_token, &self.auth) {
            (Some(_), _) => "BearerToken(<redacted>)".to_owned(),
            (None, auth) => format!("{auth:?}"),
        };
        let mut out = f.debug_struct("ClientBuilder");
        out.field("server", &self.server)
            .field("variables", &self.variables)
            .field("base_url", &self.base_url.as_deref().map(redact_url))
            .field("auth", &format_args!("{auth}"));
        debug_globals(&mut out, &self.globals);
        out.field("retries", &self.retries)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_size", &self.max_response_size)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.is_some())
            .field("hooks", &self.hooks.len())
            .finish()
    }
}

/// Sets `header` to `value` in a list of global values, replacing the header's earlier value.
pub(crate) fn set_global(
    globals: &mut Vec<(&'static str, String)>,
    header: &'static str,
    value: String,
) {
    match globals.iter_mut().find(|(known, _)| *known == header) {
        Some(entry) => entry.1 = value,
        None => globals.push((header, value)),
    }
}

/// Lists every global of the spec in a `Debug` output under its setter's name, with its value
/// (`None` when unset), as a field of its own would be. The values route a call (a merchant
/// account id, say) and are not secret, and seeing them helps when a call goes to the wrong place.
pub(crate) fn debug_globals(
    out: &mut fmt::DebugStruct<'_, '_>,
    globals: &[(&'static str, String)],
) {
    for (header, setter) in crate::globals::GLOBALS {
        let value = globals
            .iter()
            .find(|(set, _)| set == header)
            .map(|(_, value)| value);
        out.field(setter, &value);
    }
}

/// Parses a base URL (the client's or a call's, without its trailing `/`) and checks that every
/// operation path can be appended to it: `http` or `https`, no query or fragment (which would
/// swallow the path), no credentials (which would end up in logs; credentials go in headers).
/// Errors never quote credentials.
pub(crate) fn parse_base_url(base_url: &str) -> Result<reqwest::Url, Error> {
    let shown = redact_url(base_url);
    let parsed = reqwest::Url::parse(base_url)
        .map_err(|error| Error::invalid_request(format!("invalid base URL `{shown}`: {error}")))?;
    let problem = if !matches!(parsed.scheme(), "http" | "https") {
        Some("is not an http or https URL")
    } else if !parsed.username().is_empty() || parsed.password().is_some() {
        Some("carries credentials (before the `@`); authenticate with a token or key instead")
    } else if parsed.query().is_some() {
        Some("has a query, which would take the place of every operation's query string")
    } else if parsed.fragment().is_some() {
        Some("has a fragment (`#...`), which would swallow every operation's path")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::invalid_request(format!(
            "the base URL `{shown}` {problem}"
        ))),
        None => Ok(parsed),
    }
}

/// Whether credentials sent to `url` would cross a network in clear text: plain `http` to a host
/// that is not a loopback address (`localhost`, `127.0.0.0/8`, `::1`).
pub(crate) fn exposes_credentials(url: &reqwest::Url) -> bool {
    if url.scheme() != "http" {
        return false;
    }
    let Some(host) = url.host_str() else {
        return true;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        return !ip.is_loopback();
    }
    // A parsed URL's domain is lowercase already.
    let domain = host.trim_end_matches('.');
    !(domain == "localhost" || domain.ends_with(".localhost"))
}

/// The error for credentials that would go over plain HTTP to `url`.
pub(crate) fn insecure_http(url: &reqwest::Url) -> Error {
    Error::invalid_request(format!(
        "refusing to send credentials over plain HTTP to `{}`: use https, or \
         `ClientBuilder::allow_insecure_http()` for a trusted network",
        url.host_str().unwrap_or_default()
    ))
}

/// `url` with any `user:password@` replaced, for messages and `Debug`; works on text that does
/// not parse as a URL too.
pub(crate) fn redact_url(url: &str) -> String {
    let authority_start = url.find("://").map_or(0, |at| at + 3);
    let rest = &url[authority_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!(
            "{}<redacted>@{}",
            &url[..authority_start],
            &url[authority_start + at + 1..]
        ),
        None => url.to_owned(),
    }
}

/// One DNS label: 1 to 63 ASCII letters, digits and hyphens, not starting or ending with a hyphen.
fn is_dns_label(value: &str) -> bool {
    (1..=63).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_credentials_when_shown() {
        assert_eq!(
            redact_url("http://user:PASSWORD@host:1/p?q#f"),
            "http://<redacted>@host:1/p?q#f"
        );
        assert_eq!(
            redact_url("https://a@b@host/x@y"),
            "https://<redacted>@host/x@y"
        );
        assert_eq!(redact_url("https://host/x@y"), "https://host/x@y");
        assert_eq!(redact_url("user:pw@host"), "<redacted>@host");
    }

    #[test]
    fn loopback_is_the_only_plain_http_that_may_carry_credentials() {
        for url in [
            "http://127.0.0.1:4010",
            "http://127.8.0.1",
            "http://[::1]:80",
            "http://localhost:8080",
            "http://LOCALHOST.",
            "http://api.localhost",
            "https://api.example",
        ] {
            let url = reqwest::Url::parse(url).unwrap();
            assert!(!exposes_credentials(&url), "{url}");
        }
        for url in [
            "http://api.example",
            "http://10.0.0.1",
            "http://localhost.example",
            "http://[2001:db8::1]",
        ] {
            let url = reqwest::Url::parse(url).unwrap();
            assert!(exposes_credentials(&url), "{url}");
        }
    }

    #[test]
    fn dns_labels() {
        for ok in ["acme", "a", "acme-eu-1", &"a".repeat(63)] {
            assert!(is_dns_label(ok), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a.b",
            "evil.example/",
            "a#",
            "a@b",
            "a:1",
            "é",
            &"a".repeat(64),
        ] {
            assert!(!is_dns_label(bad), "{bad}");
        }
    }
}
