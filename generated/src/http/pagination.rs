//! Cursor pagination as `futures::Stream`s of pages and of items.
//!
//! A list operation's builder holds every parameter of the first request. Each next page is
//! fetched with a clone of that builder whose cursor is the previous page's `next_cursor`, so
//! filters, limits and per-call options apply to every page, not only the first. The stream ends
//! after a page without a next cursor (absent, `null` or empty), or after the first error.

use std::future::Future;

use futures::{Stream, TryStreamExt, stream};

use super::Error;

/// Where a page stream is: the builder for the next request, if there is one.
struct Pager<B, F> {
    next: Option<B>,
    /// The cursor `next` was given, to stop if the server hands the same one back.
    cursor: Option<String>,
    fetch: F,
}

/// The pages of a list operation, starting with the one `builder` asks for.
///
/// `fetch` sends one request; `next_cursor` reads a page's next cursor; `set_cursor` puts a cursor
/// into a builder. A server that answers with the cursor it was just given would make the stream
/// endless, so the stream stops there too.
pub(crate) fn pages<B, P, F, Fut>(
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
        cursor: None,
        fetch,
    };
    stream::unfold(start, move |mut pager| async move {
        let builder = pager.next.take()?;
        let page = match (pager.fetch)(builder.clone()).await {
            Ok(page) => page,
            // `next` is now `None`: the stream ends after reporting the error.
            Err(error) => return Some((Err(error), pager)),
        };
        match next_cursor(&page).filter(|cursor| !cursor.is_empty()) {
            Some(cursor) if pager.cursor.as_ref() == Some(&cursor) => {
                tracing::warn!(
                    "gr4vy: the API returned the cursor it was given; stopping pagination"
                );
            }
            Some(cursor) => {
                let mut next = builder;
                set_cursor(&mut next, cursor.clone());
                pager.next = Some(next);
                pager.cursor = Some(cursor);
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
    async fn a_repeated_cursor_ends_the_stream() {
        let (got, seen) = run(vec![
            (None, page(&[1], Some("c1"))),
            (Some("c1"), page(&[2], Some("c1"))),
        ])
        .await;
        assert_eq!(got, [Ok(1), Ok(2)]);
        assert_eq!(seen.len(), 2);
    }
}
