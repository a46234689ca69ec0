//! Where the bearer token of each request comes from.

use std::fmt;
use std::sync::Arc;

use futures::future::BoxFuture;
use reqwest::header::HeaderValue;

use super::Error;

/// Supplies the bearer token for each request, for tokens that change: a freshly signed JWT per
/// request, or a token fetched and cached by the application.
///
/// The client calls [`token`](Self::token) once per call, before its first attempt, and reuses the
/// token for that call's retries. The method returns a boxed future so that the trait stays usable
/// as `dyn TokenProvider` without the `async-trait` crate; implement it with
/// `Box::pin(async move { ... })`.
///
/// Any `Fn() -> Result<String, Error>` closure is a provider too, for tokens computed without
/// waiting:
///
/// ```
/// let client = gr4vy::Client::builder()
///     .token_provider(|| std::env::var("GR4VY_TOKEN").map_err(gr4vy::Error::auth))
///     .build()?;
/// # Ok::<(), gr4vy::Error>(())
/// ```
///
/// An error from the provider fails the call with [`ErrorKind::Auth`](crate::ErrorKind::Auth)
/// before anything is sent.
pub trait TokenProvider: Send + Sync {
    /// The token to send as `Authorization: Bearer <token>`.
    fn token(&self) -> BoxFuture<'_, Result<String, Error>>;
}

impl<F> TokenProvider for F
where
    F: Fn() -> Result<String, Error> + Send + Sync,
{
    fn token(&self) -> BoxFuture<'_, Result<String, Error>> {
        Box::pin(std::future::ready(self()))
    }
}

/// The client's credentials. `Debug` names the kind of credential, never its value.
#[derive(Clone, Default)]
pub(crate) enum Auth {
    /// No `Authorization` header (for tests against mocks, or a proxy that adds it).
    #[default]
    None,
    /// A fixed token, turned into a header value once, marked sensitive so that HTTP-level logging
    /// in reqwest and hyper redacts it.
    Static(HeaderValue),
    /// A provider asked once per call.
    Provider(Arc<dyn TokenProvider>),
    /// A private key that signs a fresh JWT for each call, and embed tokens on request.
    Key(Arc<crate::auth::Signer>),
}

impl Auth {
    /// Whether getting the header can wait on something outside the process (a provider's
    /// future), and so needs a time limit.
    pub(crate) fn may_wait(&self) -> bool {
        matches!(self, Auth::Provider(_))
    }

    /// The `Authorization` header value for one call, if any.
    pub(crate) async fn header(&self) -> Result<Option<HeaderValue>, Error> {
        match self {
            Auth::None => Ok(None),
            Auth::Static(value) => Ok(Some(value.clone())),
            Auth::Provider(provider) => {
                let token = provider.token().await.map_err(Error::into_auth)?;
                bearer(&token).map(Some).map_err(Error::into_auth)
            }
            Auth::Key(signer) => {
                let token = crate::auth::get_token(&signer.key, &signer.options)?;
                bearer(&token).map(Some)
            }
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Auth::None => "None",
            Auth::Static(_) => "BearerToken(<redacted>)",
            Auth::Provider(_) => "TokenProvider",
            Auth::Key(_) => "PrivateKey(<redacted>)",
        })
    }
}

/// `Bearer <token>` as a sensitive header value. The error does not quote the token.
pub(crate) fn bearer(token: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.trim())).map_err(|_| {
        Error::invalid_request("the bearer token contains characters not allowed in a header")
    })?;
    value.set_sensitive(true);
    Ok(value)
}
