//! A fixed set of threads that run CPU-heavy jobs (password hashes) one at a
//! time each, answering through a oneshot channel.

use crate::error::{BackendError, Result};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

pub(crate) struct HashPool {
    jobs: mpsc::Sender<Job>,
}

impl HashPool {
    /// Starts `threads` workers; they end when the pool is dropped.
    pub(crate) fn new(threads: usize) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..threads {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new().name(format!("warden-hash-{i}")).spawn(move || loop {
                // The lock is held only while waiting for the next job.
                let next = match queue.lock() {
                    Ok(q) => q.recv(),
                    Err(_) => return,
                };
                match next {
                    Ok(job) => job(),
                    Err(_) => return, // the pool was dropped
                }
            });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        HashPool { jobs }
    }

    /// Runs `f` on a pool thread and waits (asynchronously) for its result.
    pub(crate) async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = tx.send(f());
            }))
            .map_err(|_| BackendError::Hashing("the hashing threads are gone".into()))?;
        rx.await.map_err(|_| BackendError::Hashing("a hashing job was dropped".into()))
    }
}
