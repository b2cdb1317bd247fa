//! rustomize: a Kustomize-compatible configuration compiler.
//!
//! [`build`] runs the whole pipeline for one kustomization directory; the
//! result prints as kustomize v5.6.0 would print it.

#![forbid(unsafe_code)]

pub mod accumulator;
pub mod build;
pub mod builtin;
pub mod cache;
pub mod cli;
pub mod diff;
pub mod error;
pub mod fieldpath;
pub mod fieldspec;
pub mod generate;
pub mod kustomization;
pub mod loader;
pub mod openapi;
pub mod origin;
pub mod render;
pub mod resource;
pub mod schema;
pub mod selector;
pub mod stack;
pub mod tables;
pub mod transform;
pub mod yaml;

pub use build::{BuildOptions, Output, Reorder, build, build_with_cache};
pub use cache::BuildCache;
pub use error::{Error, ErrorKind};
pub use loader::LoadRestrictor;

/// The kustomize release whose output rustomize reproduces.
pub const KUSTOMIZE_VERSION: &str = "v5.6.0";
