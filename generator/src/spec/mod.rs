//! Everything about the input document: where it comes from, how we patch it, how we read it.

pub mod audit;
pub mod overlay;
pub mod source;
pub mod view;
