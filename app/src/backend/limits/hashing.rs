//! A bounded number of password hashes at once. Each argon2id computation takes 19 MiB and a
//! core for a good part of a second; without a bound, 64 requests at once took the server from
//! 0.4 to 2.2 GB. A request that cannot get a slot within a short wait is refused (429) rather
//! than queued without end.
//!
//! Each slot also keeps the hash's working memory for the next one. Allocated afresh every
//! time, freed 19 MiB blocks stay with the allocator's per-thread arenas, and a server that
//! never hashed more than two at once still grew by a quarter of a gigabyte.

use argon2::Block;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Working memory for one hash; grown to the size a hash needs and then kept.
pub type Memory = Vec<Block>;

/// The hashing slots of one application. Cheap to clone.
#[derive(Debug, Clone)]
pub struct HashSlots {
    slots: Arc<Semaphore>,
    /// The working memory of slots not in use: never more than there are slots.
    memory: Arc<Mutex<Vec<Memory>>>,
    wait: Duration,
}

/// No slot came free in time; try again after `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("every hashing slot is busy")]
pub struct Busy {
    pub retry_after: Duration,
}

/// A slot, held until the work given to [`HashPermit::run`] is done.
pub struct HashPermit {
    slot: OwnedSemaphorePermit,
    memory: Arc<Mutex<Vec<Memory>>>,
}

impl HashSlots {
    /// `slots` hashes at once (at least one); a request waits at most `wait` for one.
    pub fn new(slots: usize, wait: Duration) -> Self {
        HashSlots { slots: Arc::new(Semaphore::new(slots.max(1))), memory: Arc::default(), wait }
    }

    /// As many slots as the machine has cores: more would not finish sooner, only take memory.
    pub fn for_this_machine_count() -> usize {
        std::thread::available_parallelism().map_or(2, usize::from)
    }

    /// Waits for a free slot, at most the configured wait.
    pub async fn acquire(&self) -> Result<HashPermit, Busy> {
        match tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(slot)) => Ok(HashPermit { slot, memory: self.memory.clone() }),
            // Timed out (or, never here, the semaphore closed): the server is busy.
            _ => Err(Busy { retry_after: self.wait.max(Duration::from_secs(1)) }),
        }
    }

    /// Runs `work` in a slot: see [`HashPermit::run`].
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Memory) -> T + Send + 'static,
    ) -> Result<Option<T>, Busy> {
        Ok(self.acquire().await?.run(work).await)
    }

    /// Slots free now.
    pub fn free(&self) -> usize {
        self.slots.available_permits()
    }
}

impl HashPermit {
    /// Runs `work` off the async runtime with the slot's working memory, holding the slot until
    /// it is done: the slot goes with the work, so a request given up by its client (its future
    /// dropped) still keeps the slot until the hashing it started has finished. `None` only if
    /// the work panicked.
    pub async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce(&mut Memory) -> T + Send + 'static,
    ) -> Option<T> {
        tokio::task::spawn_blocking(move || {
            let HashPermit { slot, memory } = self;
            let mut mine = lock(&memory).pop().unwrap_or_default();
            let result = work(&mut mine);
            // Given back before the slot, so no more memories exist than slots.
            lock(&memory).push(mine);
            drop(slot);
            result
        })
        .await
        .ok()
    }
}

fn lock(memory: &Mutex<Vec<Memory>>) -> std::sync::MutexGuard<'_, Vec<Memory>> {
    // A panic while holding the lock leaves the list itself intact.
    memory.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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
                    .run(move |_| {
                        started_tx.send(()).unwrap();
                        finish_rx.recv().unwrap();
                    })
                    .await
            }
        });
        tokio::task::spawn_blocking(move || started_rx.recv().unwrap()).await.unwrap();
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

    #[tokio::test]
    async fn the_working_memory_is_kept_for_the_next_hash_and_never_outnumbers_the_slots() {
        let slots = HashSlots::new(2, Duration::from_secs(10));
        let grow = |memory: &mut Memory| {
            let fresh = memory.is_empty();
            memory.resize(16, Block::default());
            (fresh, memory.as_ptr() as usize)
        };
        let (fresh, first) = slots.run(grow).await.unwrap().unwrap();
        assert!(fresh);
        let (fresh, again) = slots.run(grow).await.unwrap().unwrap();
        assert!(!fresh && again == first, "the same memory is used again");
        let all = futures::future::join_all((0..10).map(|_| slots.run(grow))).await;
        assert!(all.iter().all(|r| r.is_ok()));
        assert!(lock(&slots.memory).len() <= 2);
    }
}
