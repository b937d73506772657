//! The hasher of every table the crate builds from input (URLs and items while scoring, names while loading a
//! pack): seeded at random per process and per table, so that crafted collisions cannot make them slow. In the
//! WebAssembly module the seed is fixed: foldhash has no randomness there (it would seed from memory addresses, the
//! same on every run), and its seeding code is 1.5 KB.

/// The seeded hasher state (see the module docs).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type Seeded = foldhash::fast::RandomState;
/// The fixed hasher state of the WebAssembly module (see the module docs).
#[cfg(target_arch = "wasm32")]
pub(crate) type Seeded = foldhash::fast::FixedState;
