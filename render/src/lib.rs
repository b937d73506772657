#![doc = include_str!("../README.md")]

pub mod compare;
pub mod html;
pub mod signing;
pub mod text;
#[cfg(feature = "xlsx")]
pub mod xlsx;
