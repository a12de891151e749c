//! Independent work on every core, results in the order given.
//!
//! Composing documents, rendering them, writing feedback workbooks and
//! decoding intake workbooks are all independent per item, but the output
//! must not depend on the number of threads (byte-identical files, the
//! first error in input order). Threads take the next item as they finish
//! one, so a single long item (the province's circular) does not leave a
//! core idle behind a fixed split.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

/// Applies `f` to every item on up to `jobs` threads and returns the
/// results in the order of `items`.
pub fn map_in_order<T: Send, R: Send>(
    items: Vec<T>,
    jobs: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let count = items.len();
    let jobs = jobs.clamp(1, count.max(1));
    if jobs == 1 {
        return items.into_iter().map(f).collect();
    }
    let tasks: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let results: Vec<Mutex<Option<R>>> = (0..count).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(task) = tasks.get(i) else { break };
                    let task = task.lock().unwrap_or_else(PoisonError::into_inner).take();
                    if let Some(task) = task {
                        let result = f(task);
                        *results[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
                    }
                }
            });
        }
    });
    results
        .into_iter()
        .map(|r| {
            r.into_inner()
                .unwrap_or_else(PoisonError::into_inner)
                .expect("every item was processed")
        })
        .collect()
}

/// Produces `produce(i)` for every index below `count` on `jobs` threads
/// and hands the results to `consume` on the calling thread, in index
/// order, as soon as each is ready (the consumer mostly waits, so it gets no
/// core of its own). Producers stay at most
/// `window` items ahead of the consumer, so memory is bounded however slow
/// the consumer is.
///
/// For work whose first step is independent (decoding a workbook) and whose
/// second must run in order (rules that look across files).
pub fn produce_in_order<R: Send>(
    count: usize,
    jobs: usize,
    window: usize,
    produce: impl Fn(usize) -> R + Sync,
    mut consume: impl FnMut(usize, R),
) {
    let producers = jobs.min(count);
    if producers <= 1 {
        (0..count).for_each(|i| consume(i, produce(i)));
        return;
    }
    let window = window.max(producers);
    struct State<R> {
        ready: Vec<Option<std::thread::Result<R>>>,
        consumed: usize,
        /// Set when a producer or the consumer panicked: everyone stops
        /// waiting, so the panic reaches the caller instead of a hang.
        abort: bool,
    }
    let state = Mutex::new(State {
        ready: (0..count).map(|_| None).collect(),
        consumed: 0,
        abort: false,
    });
    let changed = Condvar::new();
    let next = AtomicUsize::new(0);
    let lock = || state.lock().unwrap_or_else(PoisonError::into_inner);
    let abort = || {
        lock().abort = true;
        changed.notify_all();
    };
    std::thread::scope(|s| {
        for _ in 0..producers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    {
                        let mut st = lock();
                        while !st.abort && i >= st.consumed + window {
                            st = changed.wait(st).unwrap_or_else(PoisonError::into_inner);
                        }
                        if st.abort {
                            break;
                        }
                    }
                    let result = catch_unwind(AssertUnwindSafe(|| produce(i)));
                    lock().ready[i] = Some(result);
                    changed.notify_all();
                }
            });
        }
        let consumed = catch_unwind(AssertUnwindSafe(|| {
            for i in 0..count {
                let result = {
                    let mut st = lock();
                    loop {
                        if let Some(r) = st.ready[i].take() {
                            st.consumed = i + 1;
                            break r;
                        }
                        st = changed.wait(st).unwrap_or_else(PoisonError::into_inner);
                    }
                };
                changed.notify_all();
                match result {
                    Ok(r) => consume(i, r),
                    Err(panic) => resume_unwind(panic),
                }
            }
        }));
        if let Err(panic) = consumed {
            abort();
            resume_unwind(panic);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_whatever_the_jobs() {
        let items: Vec<u64> = (0..500).collect();
        // Uneven work, so threads finish out of order.
        let work = |n: u64| (0..(n % 7) * 1000).fold(n, |a, b| a.wrapping_mul(31) ^ b);
        let one = map_in_order(items.clone(), 1, work);
        for jobs in [2, 3, 8] {
            assert_eq!(map_in_order(items.clone(), jobs, work), one);
        }
    }

    #[test]
    fn consumer_sees_every_index_once_in_order() {
        for (jobs, window) in [(1, 4), (2, 1), (3, 2), (8, 64)] {
            let mut seen = Vec::new();
            produce_in_order(
                300,
                jobs,
                window,
                |i| i * 2,
                |i, r| {
                    assert_eq!(r, i * 2);
                    seen.push(i);
                },
            );
            assert_eq!(seen, (0..300).collect::<Vec<_>>(), "jobs {jobs}");
        }
    }

    /// A panic while producing (a decoder choking on a hostile file)
    /// reaches the caller; the other threads stop waiting instead of
    /// hanging the run.
    #[test]
    #[should_panic(expected = "bad item 7")]
    fn a_producer_panic_reaches_the_caller() {
        produce_in_order(
            200,
            2,
            2,
            |i| {
                assert!(i != 7, "bad item {i}");
                i
            },
            |_, _| {},
        );
    }

    #[test]
    #[should_panic(expected = "consumer gave up")]
    fn a_consumer_panic_reaches_the_caller() {
        produce_in_order(200, 2, 2, |i| i, |i, _| assert!(i != 3, "consumer gave up"));
    }

    #[test]
    fn nothing_to_do_is_fine() {
        assert!(map_in_order(Vec::<u8>::new(), 4, |x| x).is_empty());
        produce_in_order(0, 4, 4, |i| i, |_, _| panic!("no items"));
    }
}
