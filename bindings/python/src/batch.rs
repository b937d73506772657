//! Batches: many observations scored on worker threads while the calling thread, which holds the GIL, reads the
//! next inputs and turns finished results into Python objects. Workers never touch Python objects.

use crate::convert::{JsonWriter, SummaryWriter};
use pucha_core::{Engine, Error, ErrorKind, Observation, Report, Tally};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use std::sync::{Arc, Mutex, mpsc};

/// Inputs are handed to the workers in chunks of this many.
const CHUNK: usize = 512;

enum Input {
    /// A dict as `marshal.dumps` wrote it.
    Marshal(Vec<u8>),
    /// A dict written as JSON text here.
    Written(String),
    /// JSON text as given.
    Text(String),
    /// Anything else: taken the JSON way on the calling thread, after the workers.
    Later,
}

enum Output {
    /// Site, monitoring point and tally: a summary's makings, without the rest of the observation.
    Summary(Box<(std::sync::Arc<pucha_core::Site>, std::sync::Arc<str>, Tally)>),
    Report(Box<Report>),
    Failed(Error),
    /// Not read from its value: read again through the JSON route, so the error is worded as for `score`.
    Redo,
}

fn score_one(engine: &Engine, obs: Result<Observation, Error>, summary: bool) -> Output {
    match obs {
        Ok(o) if summary => {
            let t = engine.tally(&o);
            Output::Summary(Box::new((o.site, o.monitoring_point.raw, t)))
        }
        Ok(o) => Output::Report(Box::new(engine.score(&o))),
        Err(e) => Output::Failed(e),
    }
}

fn work(engine: &Engine, input: Input, summary: bool) -> Output {
    match input {
        // Any problem, including one the marshal reader does not take, is worded by the JSON route.
        Input::Marshal(b) => match crate::marshal::from_bytes::<Observation>(&b) {
            Ok(o) if o.check_consistency().is_ok() => score_one(engine, Ok(o), summary),
            _ => Output::Redo,
        },
        Input::Written(t) => match pucha_core::messages::read_observation(&t) {
            Ok(o) => score_one(engine, Ok(o), summary),
            Err(_) => Output::Redo,
        },
        Input::Text(t) => score_one(engine, pucha_core::messages::read_observation(&t), summary),
        Input::Later => Output::Redo,
    }
}

/// One answer per input, in input order: `(True, report or summary dict)` or `(False, error dict)`.
pub fn score_many(
    py: Python<'_>,
    engine: &Engine,
    observations: &[Bound<'_, PyAny>],
    workers: usize,
    summary: bool,
) -> PyResult<Vec<(bool, Py<PyAny>)>> {
    let n = observations.len();
    // The calling thread is busy the whole batch (reading inputs, building answers, and scoring whenever the
    // scoring threads fall behind), so it counts as one of `workers`: a third thread on two cores would only take
    // turns with it, and it is the one every answer waits for. `workers=1` is this thread alone.
    let workers = (workers.clamp(1, 64) - 1).min(n.div_ceil(CHUNK));
    let writer = SummaryWriter::new(py, engine.pack())?;
    let mut answers: Vec<Option<(bool, Py<PyAny>)>> = (0..n).map(|_| None).collect();
    let mut place = |start: usize, outs: Vec<Output>| -> PyResult<()> {
        for (i, out) in outs.into_iter().enumerate() {
            let out = match (out, observations.get(start + i)) {
                (Output::Redo, Some(obj)) => score_one(engine, through_json(py, obj), summary),
                (out, _) => out,
            };
            let item = match out {
                Output::Summary(s) => (true, writer.write(&s.0, &s.1, &s.2)?.into_any().unbind()),
                Output::Report(r) => (true, pythonize::pythonize(py, &*r)?.unbind()),
                Output::Failed(e) => (false, pythonize::pythonize(py, &crate::error_value(&e))?.unbind()),
                // Only without an input to read again, which cannot happen: left empty, filled in as failed below.
                Output::Redo => continue,
            };
            if let Some(slot) = answers.get_mut(start + i) {
                *slot = Some(item);
            }
        }
        Ok(())
    };
    let mut json = JsonWriter::new(py);
    let dumps = py.import("marshal")?.getattr("dumps")?;
    // Bounded: when the workers fall behind, the calling thread scores the next chunk itself instead of writing
    // the whole batch ahead into memory.
    let (in_tx, in_rx) = mpsc::sync_channel::<(usize, Vec<Input>)>(2 * workers.max(1));
    // Shared by the workers only: should they all stop, the receiver goes with them and a waiting send returns.
    let in_rx = Arc::new(Mutex::new(in_rx));
    let (out_tx, out_rx) = mpsc::channel::<(usize, Vec<Output>)>();
    std::thread::scope(|s| -> PyResult<()> {
        // A thread that cannot be started (no memory or threads left) is one worker fewer, not an error.
        let handles: Vec<_> = (0..workers)
            .map_while(|_| {
                let (in_rx, out_tx) = (Arc::clone(&in_rx), out_tx.clone());
                std::thread::Builder::new()
                    .spawn_scoped(s, move || {
                        loop {
                            let job = match in_rx.lock() {
                                Ok(rx) => rx.recv(),
                                Err(_) => return,
                            };
                            let Ok((start, inputs)) = job else { return };
                            let outs = inputs.into_iter().map(|i| work(engine, i, summary)).collect();
                            if out_tx.send((start, outs)).is_err() {
                                return;
                            }
                        }
                    })
                    .ok()
            })
            .collect();
        let alone = handles.is_empty();
        drop(out_tx);
        drop(in_rx);
        let mut start = 0;
        // Each text starts with room for the last one's length: observations of a batch are alike, so it is
        // written without growing (and copying) the buffer on the way.
        let mut room = 1024;
        for objs in observations.chunks(CHUNK) {
            let inputs = objs
                .iter()
                .map(|obj| {
                    if let Ok(s) = obj.cast::<PyString>() {
                        match s.to_cow() {
                            Ok(text) => Input::Text(text.into_owned()),
                            Err(_) => Input::Later,
                        }
                    } else if let Some(bytes) = marshalled(&dumps, obj) {
                        Input::Marshal(bytes)
                    } else {
                        let mut text = String::with_capacity(room);
                        if json.write(obj, &mut text) {
                            room = (text.len() + 64).clamp(256, 1 << 16);
                            Input::Written(text)
                        } else {
                            Input::Later
                        }
                    }
                })
                .collect();
            let job = (start, inputs);
            let queued = if alone {
                Err(mpsc::TrySendError::Full(job))
            } else {
                in_tx.try_send(job)
            };
            let sent = match queued {
                Ok(()) => true,
                // The scoring threads are behind (or there are none): rather than wait, this thread scores the
                // chunk itself.
                Err(mpsc::TrySendError::Full((at, inputs))) => {
                    let outs = py.detach(|| inputs.into_iter().map(|i| work(engine, i, summary)).collect());
                    place(at, outs)?;
                    true
                }
                Err(mpsc::TrySendError::Disconnected(_)) => false,
            };
            if !sent {
                break;
            }
            start += objs.len();
            while let Ok((at, outs)) = out_rx.try_recv() {
                place(at, outs)?;
            }
            // Ctrl-C (or any signal handler that raises) stops a long batch between chunks: returning drops both
            // channels' ends held here, so the workers finish the chunks already queued and stop.
            py.check_signals()?;
            // Other Python threads get their turn between chunks too, as they would every few milliseconds in
            // Python code (the rest of this loop holds the GIL whenever the workers keep up).
            py.detach(|| ());
        }
        drop(in_tx);
        // The rest without the GIL while waiting.
        let mut rx = out_rx;
        loop {
            let (got, back) = py.detach(move || {
                let got = rx.recv();
                (got, rx)
            });
            rx = back;
            match got {
                Ok((at, outs)) => {
                    place(at, outs)?;
                    py.check_signals()?;
                }
                Err(_) => break,
            }
        }

        for h in handles {
            // A worker that died leaves its answers empty; they are filled in below.
            let _ = h.join();
        }
        Ok(())
    })?;
    Ok(answers
        .into_iter()
        .map(|a| {
            a.unwrap_or_else(|| {
                let e = Error::new(ErrorKind::Io, "a worker thread failed");
                (
                    false,
                    pythonize::pythonize(py, &crate::error_value(&e))
                        .map_or_else(|_| py.None(), |o| o.unbind()),
                )
            })
        })
        .collect())
}

/// Marshalled dicts larger than this are written as JSON instead (where the input size limit is checked).
const MAX_MARSHALLED: usize = 1 << 20;

/// A plain dict as `marshal.dumps(obj, 4)` writes it: that walks the dict in C, far cheaper than reading it object by
/// object through the C API (`JsonWriter`), which stays for dict subclasses and for what marshal refuses.
fn marshalled(dumps: &Bound<'_, PyAny>, obj: &Bound<'_, PyAny>) -> Option<Vec<u8>> {
    if !obj.is_exact_instance_of::<PyDict>() {
        return None;
    }
    let out = dumps.call1((obj, crate::marshal::VERSION)).ok()?;
    let bytes = out.cast::<PyBytes>().ok()?.as_bytes();
    (bytes.len() <= MAX_MARSHALLED).then(|| bytes.to_vec())
}

/// An observation the direct reader could not take, through `pucha._to_json` and the JSON parser: the same words
/// as a single `score` for whatever is wrong with it.
fn through_json(py: Python<'_>, obj: &Bound<'_, PyAny>) -> Result<Observation, Error> {
    let text = py
        .import("pucha")
        .and_then(|m| m.getattr("_to_json"))
        .and_then(|f| f.call1((obj,)));
    match text {
        Ok(t) => match t.extract::<String>() {
            Ok(t) => pucha_core::messages::read_observation(&t),
            Err(e) => Err(Error::new(ErrorKind::InvalidType, e.to_string())),
        },
        Err(err) => {
            let v = err.value(py);
            let get = |k: &str| {
                v.getattr(k)
                    .ok()
                    .and_then(|x| x.extract::<Option<String>>().ok())
                    .flatten()
            };
            let kind = if get("code").as_deref() == Some("invalid_type") {
                ErrorKind::InvalidType
            } else {
                ErrorKind::InvalidValue
            };
            Err(Error::new(kind, get("message").unwrap_or_default()))
        }
    }
}

/// `f` over `items` on up to `workers` scoped threads (the caller has released the GIL), results in input order.
/// Should a worker die, each of its items gets `failed()`, so the answer always lines up with the input.
pub fn parallel_map<T: Send, R: Send>(
    items: Vec<T>,
    workers: usize,
    f: impl Fn(T) -> R + Sync,
    failed: impl Fn() -> R + Sync,
) -> Vec<R> {
    let workers = workers.clamp(1, 64).min(items.len().max(1));
    if workers == 1 {
        return items.into_iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(workers);
    let mut rest = items.into_iter();
    let chunks: Vec<Vec<T>> = (0..workers)
        .map(|_| rest.by_ref().take(chunk).collect())
        .collect();
    let (f, failed) = (&f, &failed);
    let lens: Vec<usize> = chunks.iter().map(Vec::len).collect();
    // Each chunk waits in a slot for the thread that takes it; a thread that cannot be started (no memory or
    // threads left) leaves its chunk to the calling thread.
    let slots: Vec<Mutex<Option<Vec<T>>>> = chunks.into_iter().map(|c| Mutex::new(Some(c))).collect();
    let take = |slot: &Mutex<Option<Vec<T>>>| slot.lock().ok().and_then(|mut g| g.take()).unwrap_or_default();
    std::thread::scope(|s| {
        let handles: Vec<_> = slots
            .iter()
            .map(|slot| {
                std::thread::Builder::new()
                    .spawn_scoped(s, move || take(slot).into_iter().map(f).collect::<Vec<R>>())
                    .ok()
            })
            .collect();
        handles
            .into_iter()
            .zip(slots.iter().zip(lens))
            .flat_map(|(h, (slot, n))| match h {
                Some(h) => h.join().unwrap_or_else(|_| (0..n).map(|_| failed()).collect()),
                None => take(slot).into_iter().map(f).collect(),
            })
            .collect()
    })
}
