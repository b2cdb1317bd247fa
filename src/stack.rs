//! Deep recursion on any caller's stack.
//!
//! Trees reach 10,000 levels (kustomize's limit) and chains of bases have no
//! limit, while library callers may run on a 2 MiB thread. Every recursive
//! walk calls [`guard`] once per level: when less than [`RED_ZONE`] of the
//! stack is left, the rest of the walk runs on a fresh heap-allocated segment.

/// Stack a single recursion step may use between two [`guard`] calls.
const RED_ZONE: usize = 128 * 1024;

/// Size of each segment added when the stack runs low.
const SEGMENT: usize = 4 << 20;

/// Stack that third-party recursion over a whole tree may need (serde_json's
/// serializer, clone and drop of a `Value`): up to kustomize's 10,000 levels
/// with unoptimised frames. Mapped lazily, so only what is used is touched.
const WHOLE_TREE: usize = 256 << 20;

/// Runs `f`, on a new stack segment if this one is nearly used up.
#[inline]
pub fn guard<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

/// Runs `f` with enough stack for a recursion over a whole tree that cannot
/// call [`guard`] itself (a `serde_json::Value` is walked by serde_json).
pub fn for_whole_tree<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(WHOLE_TREE, WHOLE_TREE, f)
}

/// Whether less than [`RED_ZONE`] of this thread's stack is left.
#[inline]
pub fn is_low() -> bool {
    stacker::remaining_stack().is_some_and(|left| left < RED_ZONE)
}

/// Runs `f` on a new stack segment.
pub fn on_new_segment<R>(f: impl FnOnce() -> R) -> R {
    stacker::grow(SEGMENT, f)
}
