//! Without x86-64 there are no lanes: the scalar passes in `logup.rs` do all the work.
//! The same interface as `wide.rs`, with types that have no values.

use super::Leaves;
use crate::field::F;
use crate::simd::Ifma;

/// As in `wide.rs`; never used, since [`enabled`] is false.
pub(super) const WIDE_LEVEL: usize = 4;

/// Lanes are never used here.
pub(super) fn enabled() -> Option<Ifma> {
    None
}

/// Runs `f` (the scalar path is the only one here).
#[cfg(test)]
pub(super) fn scalar_only<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// A type with no values (stands for the lanes types).
#[derive(Clone, Copy)]
pub(super) enum Never {}

pub(super) type Level = Vec<Never>;
pub(super) type Block4 = Never;

pub(super) struct WideLeaves<'a>(Never, std::marker::PhantomData<&'a ()>);

impl<'a> WideLeaves<'a> {
    pub fn new(_: Ifma, _: &'a Leaves<'a>) -> Self {
        unreachable!("lanes are disabled on this architecture")
    }
}

pub(super) fn build_levels(w: &WideLeaves, _: usize) -> Vec<Level> {
    match w.0 {}
}

pub(super) fn to_scalar<const N: usize>(_: &[Never]) -> Vec<[F; N]> {
    Vec::new()
}

pub(super) struct WideLayer<'a, const N: usize>(Never, std::marker::PhantomData<&'a ()>);
pub(super) type WideInner<'a> = WideLayer<'a, 4>;
pub(super) type WideLeaf<'a> = WideLayer<'a, 2>;

impl<'a> WideInner<'a> {
    pub fn inner(_: Ifma, _: &'a [Never], t0: &'a [Never], _: [Vec<Never>; 2]) -> Self {
        match t0.first() {
            Some(n) => match *n {},
            None => unreachable!("lanes are disabled on this architecture"),
        }
    }
}

impl<'a> WideLeaf<'a> {
    pub fn leaf(w: &'a WideLeaves<'a>, _: &'a [Never]) -> Self {
        match w.0 {}
    }
}

impl<const N: usize> WideLayer<'_, N> {
    pub fn round(&mut self, _: usize, _: F, _: &[F], _: F, _: bool, _: bool) -> Option<[F; 3]> {
        match self.0 {}
    }
    pub fn take_current(&mut self) -> Option<Vec<[F; N]>> {
        match self.0 {}
    }
    pub fn into_bufs(self) -> [Vec<Never>; 2] {
        match self.0 {}
    }
}

pub(super) struct WideTable(Never);

impl WideTable {
    pub fn new(_: Ifma, _: &[F], _: &[F]) -> Self {
        unreachable!("lanes are disabled on this architecture")
    }
    pub fn num_vars(&self) -> usize {
        match self.0 {}
    }
    pub fn sums(&self) -> Option<(F, F)> {
        match self.0 {}
    }
    pub fn bind(&mut self, _: F) {
        match self.0 {}
    }
    pub fn into_scalar(self) -> (Vec<F>, Vec<F>) {
        match self.0 {}
    }
}
