//! The blocking client (`blocking` feature): every request builder's `send_blocking()`, and list
//! operations' `pages_blocking()` and `items_blocking()`, run the same futures as their async
//! counterparts on a runtime the [`Client`](super::Client) owns.
//!
//! The runtime is made on the first blocking call, so a client used only with `.await` never has
//! one, and it has one worker thread that drives the client's connections between calls (a
//! pooled connection the server closed is seen as closed, rather than tried again and failing).
//! Clones of a client share it; it stops when the last clone is dropped.
//!
//! Waiting inside an async runtime would stall one of its threads, or deadlock a single-threaded
//! one, so a blocking call made there is refused before anything is sent
//! ([`ErrorKind::InvalidRequest`](super::ErrorKind::InvalidRequest)); async code uses `.send().await`.

use std::fmt;
use std::future::Future;
use std::sync::OnceLock;

use futures::StreamExt;
use futures::stream::BoxStream;

use super::{Client, Error};

/// The runtime of a client's blocking calls, made when first needed.
#[derive(Default)]
pub(crate) struct BlockingRuntime(OnceLock<tokio::runtime::Runtime>);

impl BlockingRuntime {
    /// The runtime, made now if this is the first blocking call; refuses inside an async runtime.
    /// `what` is the start of the refusal's message ("`send_blocking` was called").
    fn get(&self, what: &str) -> Result<&tokio::runtime::Runtime, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::invalid_request(format!(
                "{what} inside an async runtime, where waiting would stall the \
                 runtime's thread; nothing was sent. Use the async method with `.await` there"
            )));
        }
        if let Some(runtime) = self.0.get() {
            return Ok(runtime);
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("gr4vy-blocking")
            .enable_all()
            .build()
            .map_err(|error| {
                Error::invalid_request("could not start the blocking client's runtime")
                    .with_source(Box::new(error))
            })?;
        // Two threads making the first call at once both build one; the loser's is dropped here,
        // outside any runtime, which is allowed.
        Ok(self.0.get_or_init(|| runtime))
    }
}

impl Drop for BlockingRuntime {
    fn drop(&mut self) {
        // Dropping a runtime waits for its worker to stop, which tokio forbids (with a panic)
        // inside an async context, such as when the last clone of a client is dropped in a task.
        // There, the worker is told to stop without being waited for.
        if let Some(runtime) = self.0.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            runtime.shutdown_background();
        }
    }
}

impl Client {
    /// Runs one call to its end on the client's runtime: what every `send_blocking()` does.
    pub(crate) fn block_on<T>(
        &self,
        call: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        self.inner
            .blocking
            .get("`send_blocking` was called")?
            .block_on(call)
    }
}

/// The pages, or the items, of a list operation as an [`Iterator`], fetched as it is advanced:
/// what `pages_blocking()` and `items_blocking()` return (`blocking` feature).
///
/// It yields what the async [`Pages`](crate::Pages) or [`Items`](crate::Items) stream would,
/// ending after the first error. Advanced inside an async runtime it yields one
/// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) error, sending nothing, and ends.
#[must_use = "an iterator does nothing until advanced"]
pub struct BlockingIter<T> {
    client: Client,
    /// `None` once the iterator has ended.
    stream: Option<BoxStream<'static, Result<T, Error>>>,
}

impl<T> BlockingIter<T> {
    pub(crate) fn new(client: Client, stream: BoxStream<'static, Result<T, Error>>) -> Self {
        BlockingIter {
            client,
            stream: Some(stream),
        }
    }
}

impl<T> Iterator for BlockingIter<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let stream = self.stream.as_mut()?;
        let runtime = match self
            .client
            .inner
            .blocking
            .get("a blocking iterator was advanced")
        {
            Ok(runtime) => runtime,
            Err(error) => {
                self.stream = None;
                return Some(Err(error));
            }
        };
        let next = runtime.block_on(stream.next());
        if !matches!(next, Some(Ok(_))) {
            self.stream = None;
        }
        next
    }
}

impl<T> fmt::Debug for BlockingIter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingIter")
            .field("ended", &self.stream.is_none())
            .finish_non_exhaustive()
    }
}
