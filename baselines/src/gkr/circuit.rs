//! Layered circuits of fan-in-2 `Add`/`Mul` gates, their evaluation, and the
//! per-layer scatter plans the prover uses to build its sumcheck tables in parallel.

use crate::error::Error;
use crate::field::{log2_ceil, F};
use rayon::prelude::*;

/// What a gate computes from its two inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GateKind {
    /// `left + right`.
    Add,
    /// `left · right`.
    Mul,
}

/// A fan-in-2 gate reading wires `left` and `right` of the next layer toward the input.
/// Packed in 8 bytes (bit 31 of the first word holds the kind), so wire indices are
/// limited to [`Gate::MAX_WIRE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Gate {
    kind_left: u32,
    right: u32,
}

const KIND_BIT: u32 = 1 << 31;

impl Gate {
    /// Largest wire index a gate can read (`2^31 − 1`).
    pub const MAX_WIRE: u32 = KIND_BIT - 1;

    /// A gate of the given kind. Cost: O(1).
    ///
    /// # Panics
    /// If a wire index exceeds [`Gate::MAX_WIRE`].
    pub fn new(kind: GateKind, left: u32, right: u32) -> Self {
        assert!(
            left <= Self::MAX_WIRE && right <= Self::MAX_WIRE,
            "wire index exceeds 2^31 - 1"
        );
        let tag = match kind {
            GateKind::Add => 0,
            GateKind::Mul => KIND_BIT,
        };
        Gate {
            kind_left: left | tag,
            right,
        }
    }

    /// `Gate::new(GateKind::Add, left, right)`.
    pub fn add(left: u32, right: u32) -> Self {
        Self::new(GateKind::Add, left, right)
    }

    /// `Gate::new(GateKind::Mul, left, right)`.
    pub fn mul(left: u32, right: u32) -> Self {
        Self::new(GateKind::Mul, left, right)
    }

    /// The gate's kind. Cost: O(1).
    #[inline(always)]
    pub fn kind(&self) -> GateKind {
        if self.kind_left & KIND_BIT == 0 {
            GateKind::Add
        } else {
            GateKind::Mul
        }
    }

    /// `true` for a multiplication gate. Cost: O(1).
    #[inline(always)]
    pub fn is_mul(&self) -> bool {
        self.kind_left & KIND_BIT != 0
    }

    /// Index of the left input wire. Cost: O(1).
    #[inline(always)]
    pub fn left(&self) -> u32 {
        self.kind_left & Self::MAX_WIRE
    }

    /// Index of the right input wire. Cost: O(1).
    #[inline(always)]
    pub fn right(&self) -> u32 {
        self.right
    }

    /// The gate's output for inputs `a = V[left]`, `b = V[right]`. Cost: one field op.
    #[inline(always)]
    pub fn apply(&self, a: F, b: F) -> F {
        if self.is_mul() {
            a * b
        } else {
            a + b
        }
    }
}

/// Gates per chunk of a scatter plan (the unit of parallel work when the prover
/// accumulates per-wire tables from the gate list).
pub(crate) const SCATTER_CHUNK: usize = 1 << 15;

/// How the prover accumulates `table[key(g)] += value(g)` over a layer's gates in parallel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ScatterMode {
    /// The chunks' key ranges are pairwise disjoint and increasing: each chunk writes
    /// straight into its own slice of the output.
    Disjoint,
    /// Key ranges overlap but are narrow: each chunk accumulates into a private buffer
    /// over its key range, then the buffers are summed into the output in parallel.
    Private,
    /// Ranges overlap and are wide (arbitrary wiring): one sequential pass.
    Serial,
}

/// Key ranges of one side (phase-1 keys or phase-2 keys) of a layer, per chunk of gates.
#[derive(Clone, Debug)]
pub(crate) struct ScatterPlan {
    /// Gates per chunk.
    pub chunk: usize,
    /// `(chunk index, min key, max key)` for every chunk that emits at least one key,
    /// in chunk order.
    pub ranges: Vec<(usize, u32, u32)>,
    /// Smallest and largest key over all gates (`None` if no gate emits a key).
    pub span: Option<(u32, u32)>,
    /// The strategy chosen from the ranges.
    pub mode: ScatterMode,
}

impl ScatterPlan {
    /// Builds the plan for keys produced by `keys(gate, &mut push)`. Cost: O(#gates).
    fn new(gates: &[Gate], chunk: usize, keys: impl Fn(&Gate, &mut dyn FnMut(u32)) + Sync) -> Self {
        let ranges: Vec<(usize, u32, u32)> = gates
            .par_chunks(chunk)
            .enumerate()
            .filter_map(|(c, gs)| {
                let (mut lo, mut hi) = (u32::MAX, 0u32);
                let mut any = false;
                for g in gs {
                    keys(g, &mut |k| {
                        any = true;
                        lo = lo.min(k);
                        hi = hi.max(k);
                    });
                }
                any.then_some((c, lo, hi))
            })
            .collect();
        let span = ranges
            .iter()
            .fold(None, |acc: Option<(u32, u32)>, &(_, lo, hi)| {
                Some(match acc {
                    None => (lo, hi),
                    Some((a, b)) => (a.min(lo), b.max(hi)),
                })
            });
        let disjoint = ranges.windows(2).all(|w| w[1].1 > w[0].2);
        let mode = if disjoint {
            ScatterMode::Disjoint
        } else {
            let private: usize = ranges
                .iter()
                .map(|&(_, lo, hi)| (hi - lo) as usize + 1)
                .sum();
            let width = span.map_or(0, |(lo, hi)| (hi - lo) as usize + 1);
            if private <= gates.len() + 2 * width {
                ScatterMode::Private
            } else {
                ScatterMode::Serial
            }
        };
        ScatterPlan {
            chunk,
            ranges,
            span,
            mode,
        }
    }
}

/// One layer of gates. Gate `g` computes wire `g` of this layer from two wires of the
/// next layer toward the input. Construction precomputes the prover's scatter plans
/// (O(#gates), a few words per 2^15 gates).
#[derive(Clone, Debug)]
pub struct Layer {
    gates: Vec<Gate>,
    has_add: bool,
    has_mul: bool,
    /// Phase-1 keys: `left` of every gate, and `right` of add gates.
    pub(crate) plan_x: ScatterPlan,
    /// Phase-2 keys: `right` of mul gates.
    pub(crate) plan_y: ScatterPlan,
}

impl Layer {
    /// Wraps a gate list (gate `g` produces wire `g`). Cost: O(#gates), parallel.
    pub fn new(gates: Vec<Gate>) -> Self {
        Self::with_chunk(gates, SCATTER_CHUNK)
    }

    /// As [`Layer::new`] with a custom scatter chunk size (tests exercise every mode).
    pub(crate) fn with_chunk(gates: Vec<Gate>, chunk: usize) -> Self {
        let has_add = gates.par_iter().any(|g| !g.is_mul());
        let has_mul = gates.par_iter().any(|g| g.is_mul());
        let plan_x = ScatterPlan::new(&gates, chunk, |g, push| {
            push(g.left());
            if !g.is_mul() {
                push(g.right());
            }
        });
        let plan_y = ScatterPlan::new(&gates, chunk, |g, push| {
            if g.is_mul() {
                push(g.right());
            }
        });
        Layer {
            gates,
            has_add,
            has_mul,
            plan_x,
            plan_y,
        }
    }

    /// The gates, gate `g` producing wire `g`.
    pub fn gates(&self) -> &[Gate] {
        &self.gates
    }

    /// Number of gates (wires) in this layer.
    pub fn width(&self) -> usize {
        self.gates.len()
    }

    /// Whether any gate adds.
    pub fn has_add(&self) -> bool {
        self.has_add
    }

    /// Whether any gate multiplies (then the layer's sumcheck has a second phase).
    pub fn has_mul(&self) -> bool {
        self.has_mul
    }

    /// Largest wire index read by any gate (`None` for an empty layer). Cost: O(#gates).
    fn max_wire(&self) -> Option<u32> {
        self.gates.par_iter().map(|g| g.left().max(g.right())).max()
    }
}

/// A layered arithmetic circuit: `layers[0]` is the output layer, `layers[i]` reads
/// wires of `layers[i + 1]`, and the last layer reads the input (`input_len` wires).
/// Every layer's values are zero-padded to a power of two for their multilinear
/// extension; absent gates are zero.
#[derive(Clone, Debug)]
pub struct Circuit {
    layers: Vec<Layer>,
    input_len: usize,
    digest: [u8; 32],
}

impl Circuit {
    /// Checks the wiring (every layer nonempty, every wire in range, at least one layer,
    /// `input_len ≥ 1`) and hashes the circuit for the transcript.
    /// Cost: O(#gates) (one pass to check, one BLAKE3 pass over 8 bytes per gate).
    pub fn new(layers: Vec<Layer>, input_len: usize) -> crate::Result<Self> {
        if layers.is_empty() {
            return Err(Error::Invalid("circuit has no layers".into()));
        }
        if input_len == 0 {
            return Err(Error::Invalid("circuit has an empty input".into()));
        }
        for (i, layer) in layers.iter().enumerate() {
            if layer.width() == 0 {
                return Err(Error::Invalid(format!("layer {i} has no gates")));
            }
            let below = layers.get(i + 1).map_or(input_len, Layer::width);
            if layer.width() > Gate::MAX_WIRE as usize || below > Gate::MAX_WIRE as usize + 1 {
                return Err(Error::Invalid(format!("layer {i} is wider than 2^31")));
            }
            if let Some(m) = layer.max_wire() {
                if m as usize >= below {
                    return Err(Error::Invalid(format!(
                        "layer {i} reads wire {m}, but the next layer has {below} wires"
                    )));
                }
            }
        }
        let digest = Self::hash(&layers, input_len);
        Ok(Circuit {
            layers,
            input_len,
            digest,
        })
    }

    fn hash(layers: &[Layer], input_len: usize) -> [u8; 32] {
        const HASH_CHUNK: usize = 1 << 18;
        let mut h = blake3::Hasher::new();
        h.update(b"ternzk-gkr-circuit-v1");
        h.update(&(layers.len() as u64).to_le_bytes());
        h.update(&(input_len as u64).to_le_bytes());
        for layer in layers {
            h.update(&(layer.width() as u64).to_le_bytes());
            let parts: Vec<[u8; 32]> = layer
                .gates
                .par_chunks(HASH_CHUNK)
                .map(|gs| {
                    let mut buf = Vec::with_capacity(8 * gs.len());
                    for g in gs {
                        buf.extend_from_slice(&g.kind_left.to_le_bytes());
                        buf.extend_from_slice(&g.right.to_le_bytes());
                    }
                    *blake3::hash(&buf).as_bytes()
                })
                .collect();
            for p in &parts {
                h.update(p);
            }
        }
        *h.finalize().as_bytes()
    }

    /// The layers, output layer first.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// Number of input wires.
    pub fn input_len(&self) -> usize {
        self.input_len
    }

    /// Number of wires of layer `i` (`i = layers.len()` is the input).
    pub fn width(&self, i: usize) -> usize {
        self.layers.get(i).map_or(self.input_len, Layer::width)
    }

    /// Number of MLE variables of layer `i`: `⌈log2 width(i)⌉`.
    pub fn num_vars(&self, i: usize) -> usize {
        log2_ceil(self.width(i))
    }

    /// Total number of gates.
    pub fn num_gates(&self) -> usize {
        self.layers.iter().map(Layer::width).sum()
    }

    /// A 32-byte BLAKE3 digest of the whole circuit (absorbed by prover and verifier).
    pub fn digest(&self) -> [u8; 32] {
        self.digest
    }

    /// Evaluates the circuit: entry `i` of the result holds layer `i`'s wire values
    /// (unpadded, output layer first) and the last entry is a copy of the input.
    /// Cost: one field operation per gate, parallel per layer, plus a copy of the input
    /// (use [`Circuit::evaluate_owned`] to avoid it).
    ///
    /// # Panics
    /// If `input.len() != self.input_len()`.
    pub fn evaluate(&self, input: &[F]) -> Vec<Vec<F>> {
        self.evaluate_owned(input.to_vec())
    }

    /// As [`Circuit::evaluate`], taking ownership of the input (no copy).
    ///
    /// # Panics
    /// If `input.len() != self.input_len()`.
    pub fn evaluate_owned(&self, input: Vec<F>) -> Vec<Vec<F>> {
        assert_eq!(input.len(), self.input_len, "input length mismatch");
        let mut values: Vec<Vec<F>> = Vec::with_capacity(self.layers.len() + 1);
        values.push(input);
        for layer in self.layers.iter().rev() {
            let below = values.last().expect("nonempty");
            let out: Vec<F> = layer
                .gates
                .par_iter()
                .with_min_len(1 << 12)
                .map(|g| g.apply(below[g.left() as usize], below[g.right() as usize]))
                .collect();
            values.push(out);
        }
        values.reverse();
        values
    }
}
