//! A bounded number of password hashes at once. Each argon2id computation takes 19 MiB and a
//! core for a good part of a second; without a bound, 64 requests at once took the server from
//! 0.4 to 2.2 GB. A request that cannot get a slot within a short wait is refused (429) rather
//! than queued without end.

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The hashing slots of one application. Cheap to clone.
#[derive(Debug, Clone)]
pub struct HashSlots {
    slots: Arc<Semaphore>,
    wait: Duration,
}

/// No slot came free in time; try again after `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("every hashing slot is busy")]
pub struct Busy {
    pub retry_after: Duration,
}

/// A slot, held until the work given to [`HashPermit::run`] is done.
pub struct HashPermit(OwnedSemaphorePermit);

impl HashSlots {
    /// `slots` hashes at once (at least one); a request waits at most `wait` for one.
    pub fn new(slots: usize, wait: Duration) -> Self {
        HashSlots {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            wait,
        }
    }

    /// As many slots as the machine has cores: more would not finish sooner, only take memory.
    pub fn for_this_machine_count() -> usize {
        std::thread::available_parallelism().map_or(2, usize::from)
    }

    /// Waits for a free slot, at most the configured wait.
    pub async fn acquire(&self) -> Result<HashPermit, Busy> {
        match tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(HashPermit(permit)),
            // Timed out (or, never here, the semaphore closed): the server is busy.
            _ => Err(Busy {
                retry_after: self.wait.max(Duration::from_secs(1)),
            }),
        }
    }

    /// Runs `work` in a slot: see [`HashPermit::run`].
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<Option<T>, Busy> {
        Ok(self.acquire().await?.run(work).await)
    }

    /// Slots free now.
    pub fn free(&self) -> usize {
        self.slots.available_permits()
    }
}

impl HashPermit {
    /// Runs `work` off the async runtime, holding the slot until it is done: the slot goes with
    /// the work, so a request given up by its client (its future dropped) still keeps the slot
    /// until the hashing it started has finished and its memory is freed. `None` only if the
    /// work panicked.
    pub async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        tokio::task::spawn_blocking(move || {
            let _slot = self.0;
            work()
        })
        .await
        .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_that_finds_every_slot_taken_is_refused_after_the_wait() {
        let slots = HashSlots::new(2, Duration::from_millis(50));
        let first = slots.acquire().await.unwrap();
        let second = slots.acquire().await.unwrap();
        let started = tokio::time::Instant::now();
        let refused = slots.acquire().await.err().unwrap();
        assert!(started.elapsed() >= Duration::from_millis(50));
        assert!(refused.retry_after >= Duration::from_secs(1));
        drop(first);
        assert!(slots.acquire().await.is_ok());
        drop(second);
    }

    #[tokio::test]
    async fn a_slot_is_held_until_the_work_is_done_even_when_its_caller_gives_up() {
        let slots = HashSlots::new(1, Duration::from_millis(20));
        let (started_tx, started_rx) = std::sync::mpsc::channel::<()>();
        let (finish_tx, finish_rx) = std::sync::mpsc::channel::<()>();
        let caller = tokio::spawn({
            let slots = slots.clone();
            async move {
                slots
                    .run(move || {
                        started_tx.send(()).unwrap();
                        finish_rx.recv().unwrap();
                    })
                    .await
            }
        });
        tokio::task::spawn_blocking(move || started_rx.recv().unwrap())
            .await
            .unwrap();
        // The caller gives up (a client that disconnects); the work goes on and keeps its slot.
        caller.abort();
        assert!(slots.acquire().await.is_err());
        assert_eq!(slots.free(), 0);
        finish_tx.send(()).unwrap();
        for _ in 0..100 {
            if slots.free() == 1 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the slot was not given back after the work finished");
    }
}
