//! Fault injection for the cheating-prover tests, compiled out of production builds.
//!
//! A prover with a fault hook takes a fault value (`mlp`'s `Fault`, `logup`'s `Cheat`)
//! whose type has only the honest value `None` outside `cfg(test)`, and tests each hook
//! with [`fault_hook!`], which is the hook's condition under `cfg(test)` and the
//! constant `false` otherwise: a production build contains no faulty branch.

/// `fault_hook!(fault, cond)`: `cond` (an expression about the fault value `fault`) in
/// test builds, `false` in production builds (where `cond` is not even compiled, so
/// it may name test-only fault variants). Cost: `cond`'s, or nothing.
macro_rules! fault_hook {
    ($fault:ident, $cond:expr) => {{
        #[cfg(test)]
        let hit: bool = $cond;
        #[cfg(not(test))]
        let hit = {
            let _ = &$fault;
            false
        };
        hit
    }};
}
