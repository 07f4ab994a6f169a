//! The witness-side binary tree of projective fractions `(p, q)` of one instance.

use super::*;
use crate::field::F;
use ark_ff::Field;
use rayon::prelude::*;

/// The witness-side fraction tree of one instance with `k ≥ 1` variables:
/// `levels[l]` holds the `2^l` nodes `(p, q)` of layer `l < k`; the leaves stay in
/// [`Leaves`]. Node `x` of layer `l` has children `x` and `x + 2^l` in layer `l + 1`.
/// Cost: 1 multiplication per node of layer `k − 1`, 3 per node above.
pub(super) fn build_tree(leaves: &Leaves, k: usize) -> Vec<Vec<[F; 2]>> {
    let mut levels: Vec<Vec<[F; 2]>> = vec![Vec::new(); k];
    let h = 1usize << (k - 1);
    levels[k - 1] = build_level(h, |i| {
        let (c, d) = (leaves.get(i), leaves.get(i + h));
        [c + d, c * d]
    });
    complete_tree(&mut levels, k - 1);
    levels
}

/// Fills `levels[..from]` from `levels[from]` (3 multiplications per node).
pub(super) fn complete_tree(levels: &mut [Vec<[F; 2]>], from: usize) {
    for l in (0..from).rev() {
        let h = 1usize << l;
        let src = &levels[l + 1];
        levels[l] = build_level(h, |i| {
            let ([a, c], [b, d]) = (src[i], src[i + h]);
            [a * d + b * c, c * d]
        });
    }
}

/// The `h` nodes `node(i)` of a tree level, in parallel for large levels.
pub(super) fn build_level(h: usize, node: impl Fn(usize) -> [F; 2] + Sync + Send) -> Vec<[F; 2]> {
    if h >= 2 * PASS_CHUNK {
        (0..h)
            .into_par_iter()
            .with_min_len(PASS_CHUNK)
            .map(node)
            .collect()
    } else {
        (0..h).map(node).collect()
    }
}

/// One instance's fraction tree: scalar levels (`levels[l]`, empty where only the
/// lanes form is needed: `l > WIDE_LEVEL + 1`) and, for wide instances, the levels
/// `l ≥ WIDE_LEVEL` in lanes (`wide[l − WIDE_LEVEL]`).
pub(super) struct Tree {
    pub(super) levels: Vec<Vec<[F; 2]>>,
    pub(super) wide: Vec<wide::Level>,
}

impl Tree {
    /// Builds the tree of `leaves` (`k` variables), in lanes if `wl` is given.
    pub(super) fn new(leaves: &Leaves, wl: Option<&wide::WideLeaves>, k: usize) -> Tree {
        match (k, wl) {
            (0, _) => Tree {
                levels: vec![vec![[F::ONE, leaves.get(0)]]],
                wide: Vec::new(),
            },
            (k, Some(wl)) => {
                let wide = wide::build_levels(wl, k);
                let mut levels: Vec<Vec<[F; 2]>> = vec![Vec::new(); k];
                // The scalar rounds of wide layers read levels up to WIDE_LEVEL + 1.
                for l in wide::WIDE_LEVEL..k.min(wide::WIDE_LEVEL + 2) {
                    levels[l] = wide::to_scalar(&wide[l - wide::WIDE_LEVEL]);
                }
                complete_tree(&mut levels, wide::WIDE_LEVEL);
                Tree { levels, wide }
            }
            (k, None) => Tree {
                levels: build_tree(leaves, k),
                wide: Vec::new(),
            },
        }
    }

    /// Level `l` in lanes, if this tree has it.
    pub(super) fn wide_level(&self, l: usize) -> Option<&wide::Level> {
        l.checked_sub(wide::WIDE_LEVEL)
            .and_then(|i| self.wide.get(i))
    }
}
