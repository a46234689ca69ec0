//! Cursor pagination as `futures::Stream`s of pages and of items.
//!
//! A list operation's builder holds every parameter of the first request. Each next page is
//! fetched with a clone of that builder whose cursor is the previous page's `next_cursor`, so
//! filters, limits and per-call options apply to every page, not only the first. The stream ends
//! after a page without a next cursor (absent, `null` or empty), or after the first error.
//!
//! A stream always ends: a server whose cursors go round in a cycle (`A → B → A`) would make it
//! endless, so a cursor already seen in the same stream ends it with an
//! [`ErrorKind::Pagination`] error naming that cursor, after the page that handed it back; and
//! [`RequestOptions::max_pages`](crate::RequestOptions::max_pages) bounds the number of pages.
//!
//! The streams operations return, [`Pages`] and [`Items`], are boxed: they are `Unpin`, `Send` and
//! `'static`, so `.next().await` works without `pin!` and a stream can move into a spawned task.
//! One allocation per stream, against the requests it makes, costs nothing measurable.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::BoxStream;
use futures::{Stream, StreamExt, TryStreamExt, stream};

use super::{Error, ErrorKind};

/// The pages of a list operation, fetched as the stream is polled: what the `pages()` method of a
/// list operation's request builder returns.
///
/// A `futures::Stream`; [`next`](Self::next) saves importing `StreamExt` for the common loop.
#[must_use = "a stream does nothing until polled"]
pub struct Pages<P>(BoxStream<'static, Result<P, Error>>);

/// Every item of every page of a list operation, in order: what the `items()` method of a list
/// operation's request builder returns.
///
/// A `futures::Stream`; [`next`](Self::next) saves importing `StreamExt` for the common loop.
#[must_use = "a stream does nothing until polled"]
pub struct Items<I>(BoxStream<'static, Result<I, Error>>);

/// What the two streams share: built from any sendable stream, polled through the box.
macro_rules! boxed_stream {
    ($name:ident, $what:literal) => {
        impl<T> $name<T> {
            pub(crate) fn new(
                stream: impl Stream<Item = Result<T, Error>> + Send + 'static,
            ) -> Self {
                $name(stream.boxed())
            }

            #[doc = concat!("The next ", $what, ", `None` once the stream has ended.")]
            pub async fn next(&mut self) -> Option<Result<T, Error>> {
                self.0.next().await
            }

            /// The same stream as an iterator whose `next()` waits on `client`'s runtime.
            #[cfg(feature = "blocking")]
            pub(crate) fn into_blocking(self, client: super::Client) -> super::BlockingIter<T> {
                super::BlockingIter::new(client, self.0)
            }
        }

        impl<T> Stream for $name<T> {
            type Item = Result<T, Error>;

            fn poll_next(
                mut self: Pin<&mut Self>,
                cx: &mut Context<'_>,
            ) -> Poll<Option<Self::Item>> {
                self.0.as_mut().poll_next(cx)
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                self.0.size_hint()
            }
        }

        impl<T> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(stringify!($name))
            }
        }
    };
}

boxed_stream!(Pages, "page");
boxed_stream!(Items, "item");

/// Where a page stream is.
struct Pager<B, F> {
    /// The builder for the next request, if there is one.
    next: Option<B>,
    /// Every next cursor the stream has followed, to notice a cycle.
    seen: HashSet<String>,
    /// Pages fetched so far, against `max_pages`.
    fetched: usize,
    max_pages: Option<usize>,
    /// An error to yield after the page just yielded, which ends the stream.
    pending: Option<Error>,
    fetch: F,
}

/// The pages of a list operation, starting with the one `builder` asks for, at most `max_pages`
/// of them.
///
/// `fetch` sends one request; `next_cursor` reads a page's next cursor; `set_cursor` puts a cursor
/// into a builder.
pub(crate) fn pages<B, P, F, Fut>(
    max_pages: Option<usize>,
    builder: B,
    fetch: F,
    next_cursor: fn(&P) -> Option<String>,
    set_cursor: fn(&mut B, String),
) -> impl Stream<Item = Result<P, Error>>
where
    B: Clone,
    F: Fn(B) -> Fut,
    Fut: Future<Output = Result<P, Error>>,
{
    let start = Pager {
        next: Some(builder),
        seen: HashSet::new(),
        fetched: 0,
        max_pages,
        pending: None,
        fetch,
    };
    stream::unfold(start, move |mut pager| async move {
        // Once `next` is `None`, every path below ends the stream after what it yields.
        if let Some(error) = pager.pending.take() {
            return Some((Err(error), pager));
        }
        let builder = pager.next.take()?;
        if let Some(limit) = pager.max_pages.filter(|&limit| pager.fetched >= limit) {
            let error = Error::from_kind(ErrorKind::Pagination).with_message(format!(
                "more pages remain after {limit}, the limit set with `RequestOptions::max_pages`"
            ));
            return Some((Err(error), pager));
        }
        pager.fetched += 1;
        let page = match (pager.fetch)(builder.clone()).await {
            Ok(page) => page,
            Err(error) => return Some((Err(error), pager)),
        };
        match next_cursor(&page).filter(|cursor| !cursor.is_empty()) {
            Some(cursor) if pager.seen.contains(&cursor) => {
                pager.pending = Some(Error::from_kind(ErrorKind::Pagination).with_message(
                    format!(
                        "the API returned the cursor {cursor:?} a second time; following it \
                         would repeat pages without end"
                    ),
                ));
            }
            Some(cursor) => {
                let mut next = builder;
                set_cursor(&mut next, cursor.clone());
                pager.next = Some(next);
                pager.seen.insert(cursor);
            }
            None => {}
        }
        Some((Ok(page), pager))
    })
}

/// The items of every page, in order; an error ends the stream after being yielded.
pub(crate) fn items<P, I>(
    pages: impl Stream<Item = Result<P, Error>>,
    items: fn(P) -> Vec<I>,
) -> impl Stream<Item = Result<I, Error>> {
    pages
        .map_ok(move |page| stream::iter(items(page).into_iter().map(Ok)))
        .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;
    use std::sync::Mutex;

    #[derive(Clone, Debug, PartialEq)]
    struct ListBuilder {
        limit: u32,
        cursor: Option<String>,
    }

    struct Page {
        items: Vec<u32>,
        next_cursor: Option<String>,
    }

    /// The page the server returns for each cursor asked for (`None`: the first page); `Err` is a
    /// failed request.
    type Script = Vec<(Option<&'static str>, Result<Page, ()>)>;

    fn page(items: &[u32], next: Option<&str>) -> Result<Page, ()> {
        Ok(Page {
            items: items.to_vec(),
            next_cursor: next.map(str::to_owned),
        })
    }

    /// Streams the items of `script`'s pages; returns them and every request sent.
    async fn run(script: Script) -> (Vec<Result<u32, String>>, Vec<ListBuilder>) {
        run_with(script, None).await
    }

    async fn run_with(
        script: Script,
        max_pages: Option<usize>,
    ) -> (Vec<Result<u32, String>>, Vec<ListBuilder>) {
        let (seen, script) = (Mutex::new(Vec::new()), Mutex::new(script));
        let fetch = |builder: ListBuilder| {
            seen.lock().unwrap().push(builder.clone());
            let mut script = script.lock().unwrap();
            let position = script
                .iter()
                .position(|(cursor, _)| cursor.map(str::to_owned) == builder.cursor)
                .expect("a page for this cursor");
            let (_, response) = script.remove(position);
            async move { response.map_err(|()| Error::invalid_request("boom")) }
        };
        let builder = ListBuilder {
            limit: 2,
            cursor: None,
        };
        let stream = items(
            pages(
                max_pages,
                builder,
                fetch,
                |p: &Page| p.next_cursor.clone(),
                |b, c| b.cursor = Some(c),
            ),
            |p| p.items,
        );
        let got = stream
            .map(|r| r.map_err(|e| e.to_string()))
            .collect::<Vec<_>>()
            .await;
        (got, seen.into_inner().unwrap())
    }

    #[tokio::test]
    async fn follows_cursors_and_resends_every_parameter() {
        let (got, seen) = run(vec![
            (None, page(&[1, 2], Some("c1"))),
            (Some("c1"), page(&[3, 4], Some("c2"))),
            (Some("c2"), page(&[5], None)),
        ])
        .await;
        assert_eq!(got, [Ok(1), Ok(2), Ok(3), Ok(4), Ok(5)]);
        let cursors: Vec<_> = seen.iter().map(|b| b.cursor.clone()).collect();
        assert_eq!(cursors, [None, Some("c1".into()), Some("c2".into())]);
        assert!(seen.iter().all(|b| b.limit == 2));
    }

    #[tokio::test]
    async fn an_empty_cursor_ends_the_stream() {
        let (got, seen) = run(vec![(None, page(&[1], Some("")))]).await;
        assert_eq!(got, [Ok(1)]);
        assert_eq!(seen.len(), 1);
    }

    #[tokio::test]
    async fn an_error_is_yielded_once_and_ends_the_stream() {
        let (got, seen) = run(vec![(None, page(&[1], Some("c1"))), (Some("c1"), Err(()))]).await;
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], Ok(1));
        assert!(
            got[1].as_ref().is_err_and(|e| e.contains("boom")),
            "{got:?}"
        );
        assert_eq!(seen.len(), 2);
    }

    #[tokio::test]
    async fn a_repeated_cursor_ends_the_stream_with_an_error_naming_it() {
        let (got, seen) = run(vec![
            (None, page(&[1], Some("c1"))),
            (Some("c1"), page(&[2], Some("c1"))),
        ])
        .await;
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[..2], [Ok(1), Ok(2)]);
        assert!(
            got[2].as_ref().is_err_and(|e| e.contains("\"c1\"")),
            "{got:?}"
        );
        assert_eq!(seen.len(), 2);
    }

    #[tokio::test]
    async fn a_cursor_cycle_ends_the_stream_with_an_error() {
        let (got, seen) = run(vec![
            (None, page(&[1], Some("a"))),
            (Some("a"), page(&[2], Some("b"))),
            (Some("b"), page(&[3], Some("a"))),
        ])
        .await;
        assert_eq!(got[..3], [Ok(1), Ok(2), Ok(3)]);
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(
            got[3]
                .as_ref()
                .is_err_and(|e| e.starts_with("pagination stopped") && e.contains("\"a\"")),
            "{got:?}"
        );
        assert_eq!(seen.len(), 3);
    }

    #[tokio::test]
    async fn the_page_limit_ends_the_stream_with_an_error_when_pages_remain() {
        let script = || {
            vec![
                (None, page(&[1], Some("c1"))),
                (Some("c1"), page(&[2], Some("c2"))),
                (Some("c2"), page(&[3], None)),
            ]
        };
        let (got, seen) = run_with(script(), Some(2)).await;
        assert_eq!(got[..2], [Ok(1), Ok(2)]);
        assert!(
            got[2].as_ref().is_err_and(|e| e.contains("max_pages")),
            "{got:?}"
        );
        assert_eq!(seen.len(), 2);
        let (got, _) = run_with(script(), Some(3)).await;
        assert_eq!(got, [Ok(1), Ok(2), Ok(3)]);
    }
}
