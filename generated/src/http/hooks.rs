//! [`Hooks`]: code of the application's own that runs around every request.

use super::Error;

/// Callbacks around each request, for logging, metrics, extra headers or request signing.
///
/// Register them with [`ClientBuilder::hook`](crate::ClientBuilder::hook); several hooks run in the
/// order they were added. Every method has a default that does nothing, so implement only what you
/// need.
///
/// ```
/// struct Tag;
///
/// impl gr4vy::Hooks for Tag {
///     fn before_request(&self, request: &mut gr4vy::reqwest::Request) -> Result<(), gr4vy::Error> {
///         request.headers_mut().insert("x-team", "payments".parse().unwrap());
///         Ok(())
///     }
/// }
///
/// let client = gr4vy::Client::builder().hook(Tag).build()?;
/// # Ok::<(), gr4vy::Error>(())
/// ```
pub trait Hooks: Send + Sync {
    /// Runs before each attempt is sent, with every header set (the `Authorization` value is
    /// marked sensitive, so its `Debug` output is redacted). Returning an error stops the call
    /// with that error; it is not retried.
    fn before_request(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        let _ = request;
        Ok(())
    }

    /// Runs when an attempt gets a response, whatever its status, before the body is read.
    fn after_response(&self, response: &reqwest::Response) {
        let _ = response;
    }

    /// Runs once when a call fails, with the error the call is about to return (after any
    /// retries).
    fn on_error(&self, error: &Error) {
        let _ = error;
    }
}
