//! Peak memory while a server sends 500 MB: the client holds at most its response size limit, not
//! the body (and not the body twice, as it once did when a decode error copied it).
//!
//! A test binary of its own, because it counts every allocation of the process with a global
//! allocator: another test running beside it would be counted too.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use gr4vy::{Client, ErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The system allocator, counting the bytes live now and the most live at once.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::SeqCst) + by;
    PEAK.fetch_max(live, Ordering::SeqCst);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size > layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
            }
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MB: usize = 1024 * 1024;
const BODY: usize = 500 * MB;

/// Serves one response of 500 MB: chunked (no length announced), or close-delimited. The body is
/// written from one 64 KiB buffer over and over, so the server itself holds almost nothing.
async fn serve_500_mb(chunked: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request).await;
        let head: &[u8] = if chunked {
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
        } else {
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n"
        };
        let block = vec![b' '; 64 * 1024];
        let mut framed = format!("{:x}\r\n", block.len()).into_bytes();
        framed.extend_from_slice(&block);
        framed.extend_from_slice(b"\r\n");
        let piece = if chunked { &framed } else { &block };
        if stream.write_all(head).await.is_err() {
            return;
        }
        for _ in 0..BODY / block.len() {
            // The client hangs up once it has read past its limit.
            if stream.write_all(piece).await.is_err() {
                return;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
    });
    url
}

/// One test, so that nothing else allocates in the process while it measures.
#[tokio::test(flavor = "current_thread")]
async fn a_500_mb_response_holds_at_most_the_limit() {
    let cases = [(true, Some(8 * MB)), (false, Some(8 * MB)), (true, None)];
    for (chunked, limit) in cases {
        let url = serve_500_mb(chunked).await;
        let mut builder = Client::builder().base_url(url);
        if let Some(limit) = limit {
            builder = builder.max_response_size(limit);
        }
        let client = builder.build().unwrap();
        let limit = limit.unwrap_or(Client::DEFAULT_MAX_RESPONSE_SIZE);
        let before = LIVE.load(Ordering::SeqCst);
        PEAK.store(before, Ordering::SeqCst);
        let error = client.transactions().get("t1").send().await.unwrap_err();
        let peak = PEAK.load(Ordering::SeqCst) - before;
        assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error:?}");
        assert!(
            peak <= limit + 2 * MB,
            "chunked: {chunked}: peak {peak} bytes over a limit of {limit}"
        );
        assert!(error.body().unwrap().len() <= 64 * 1024);
    }
}
