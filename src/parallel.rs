//! Two pieces of work at once, for the large documents where a second core pays for a thread.

use std::sync::{Mutex, OnceLock, PoisonError};

/// Texts shorter than this are worked on one thread: threads cost more than they save
/// (measured on tracking documents: even at 260 KB, faster from about 300 KB; a thread costs
/// 30-50 µs to start and its results are copied into the whole).
pub const PARALLEL_FROM: usize = 384 * 1024;

/// Returns whether work over a text of `len` bytes should be split over two threads: not
/// on a machine with one core, nor when `GIT_MILESTONE_THREADS=1` asks for one thread.
pub fn worth_it(len: usize) -> bool {
    len >= PARALLEL_FROM && threads() > 1
}

/// Returns how many threads a large document's work may use: the machine's cores, or fewer
/// when the environment variable `GIT_MILESTONE_THREADS` says so.
///
/// Worked out once per process: std asks the kernel (and the cgroup's CPU quota files) on
/// every call, about 27 µs here, and a large document's parse asks several times.
pub fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        match std::env::var("GIT_MILESTONE_THREADS").ok().and_then(|v| v.trim().parse::<usize>().ok()) {
            Some(n) if n >= 1 => n.min(cores),
            _ => cores,
        }
    })
}

/// Runs `a` and `b`, on two threads when `parallel` is true, and returns both results.
///
/// `a` runs on the calling thread (so it may use what stays on one thread, such as a git2
/// repository); `b` goes to whichever thread comes to it first: on a busy machine the second
/// thread may get no core before this one is done with `a`, and then this one runs `b` too
/// instead of waiting for it, as it does when no thread can be started. A panic in either is a
/// bug; it propagates to the caller as if the work had run here.
pub fn join<A, B: Send>(parallel: bool, a: impl FnOnce() -> A, b: impl FnOnce() -> B + Send) -> (A, B) {
    if !parallel {
        return (a(), b());
    }
    let job = Mutex::new(Some(b));
    let take = || job.lock().unwrap_or_else(PoisonError::into_inner).take();
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new().spawn_scoped(scope, || take().map(|b| b())).ok();
        let first = a();
        let second = match (take(), other) {
            (Some(b), _) => b(),
            (None, Some(other)) => other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                .expect("`b` was taken by the other thread, which returned its result"),
            (None, None) => unreachable!("`b` is taken only by this thread or the other"),
        };
        (first, second)
    })
}

/// Returns the results of `work` over both halves of `items`, cut where `weight` (an
/// increasing position, such as a byte offset) crosses its midpoint, in order.
pub fn halves<T: Sync, R: Send>(
    parallel: bool,
    items: &[T],
    weight: impl Fn(&T) -> usize,
    work: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return Vec::new();
    };
    if !parallel || items.len() < 2 {
        return work(items);
    }
    let middle = weight(first) / 2 + weight(last) / 2;
    let cut = items.partition_point(|i| weight(i) < middle).clamp(1, items.len() - 1);
    let (mut front, back) = join(true, || work(&items[..cut]), || work(&items[cut..]));
    front.extend(back);
    front
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_keeps_order_and_every_item() {
        let items: Vec<usize> = (0..1000).map(|i| i * 3).collect();
        for parallel in [false, true] {
            let out = halves(parallel, &items, |i| *i, |part| part.iter().map(|i| i + 1).collect());
            assert_eq!(out, items.iter().map(|i| i + 1).collect::<Vec<_>>());
        }
        assert!(halves(true, &[] as &[usize], |i| *i, |p| p.to_vec()).is_empty());
        assert_eq!(halves(true, &[7usize], |i| *i, |p| p.to_vec()), vec![7]);
    }

    #[test]
    fn join_returns_both_results() {
        assert_eq!(join(true, || 1, || "two"), (1, "two"));
        assert_eq!(join(false, || 1, || "two"), (1, "two"));
        // However long `a` takes, `b` runs once, on one thread or the other.
        for _ in 0..50 {
            let runs = std::sync::atomic::AtomicUsize::new(0);
            let b = || runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let (_, before) = join(true, std::thread::yield_now, b);
            assert_eq!((before, runs.into_inner()), (0, 1));
        }
    }

    #[test]
    #[should_panic(expected = "in b")]
    fn a_panic_in_b_reaches_the_caller() {
        join(true, || std::thread::sleep(std::time::Duration::from_millis(20)), || panic!("in b"));
    }
}
