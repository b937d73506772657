//! Running out of memory raises `MemoryError`, which `except Exception` catches, not a `PanicException`, which
//! it does not: pyo3 panics when CPython cannot allocate an object (leaving `MemoryError` set), and a thread that
//! cannot be started panics in the standard library.

use pyo3::exceptions::PyMemoryError;
use pyo3::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

/// `f`, with a panic from running out of memory turned into `MemoryError`; any other panic goes on as it was.
pub fn or_memory_error<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            if let Some(e) = PyErr::take(py)
                && e.is_instance_of::<PyMemoryError>(py)
            {
                return Err(e);
            }
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let lower = msg.to_ascii_lowercase();
            if [
                "memory",
                "pointer is null",
                "capacity overflow",
                "failed to spawn thread",
            ]
            .iter()
            .any(|m| lower.contains(m))
            {
                return Err(PyMemoryError::new_err(format!(
                    "out of memory while scoring: {msg}"
                )));
            }
            resume_unwind(payload)
        }
    }
}
