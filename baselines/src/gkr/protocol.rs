//! The GKR prover and verifier (layer-by-layer two-phase sumcheck, see the module docs
//! of [`crate::gkr`]).

use super::circuit::Circuit;
use super::tables::{
    bind_and_round, both_dense, mle_eval, round_evals, scatter, sparse_dot, Pool, SparseTable,
    SplitEq, Weights,
};
use crate::error::{Check, Error, Step};
use crate::field::{log2_ceil, F};
use crate::labels;
use crate::sumcheck::{self, RoundOracle, SumcheckProof};
use crate::transcript::Transcript;
use ark_ff::{AdditiveGroup, Field};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rayon::prelude::*;

/// The second (multiplication) phase of one layer's sumcheck.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct MulPhaseProof {
    /// The claimed `h̃_mul(r_x) = Σ_{mul g} w(g)·eq(r_x, left_g)·Ṽ(right_g)`.
    pub claim: F,
    /// Degree-2 sumcheck over the next layer's variables.
    pub rounds: SumcheckProof,
    /// The claimed `Ṽ_{i+1}(r_y)`.
    pub v_y: F,
}

/// The proof for one layer.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct LayerProof {
    /// Phase 1 (over the left/add variable `x`): a degree-2 sumcheck.
    pub phase1: SumcheckProof,
    /// The claimed `Ṽ_{i+1}(r_x)`.
    pub v_x: F,
    /// Present iff the layer has multiplication gates.
    pub mul: Option<MulPhaseProof>,
}

/// A GKR proof: one [`LayerProof`] per circuit layer, output layer first.
/// Size: `2·Σ_i k_{i+1}·(1 + [layer i has mul gates])` field elements plus two or three
/// per layer.
#[derive(Clone, Debug, PartialEq, Eq, CanonicalSerialize, CanonicalDeserialize)]
pub struct GkrProof {
    /// Per-layer proofs, output layer first.
    pub layers: Vec<LayerProof>,
}

/// A claim `Ṽ(point) = value` on a multilinear extension (MSB-first point).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalClaim {
    /// The evaluation point, first coordinate = most significant index bit.
    pub point: Vec<F>,
    /// The claimed value.
    pub value: F,
}

/// What a GKR proof reduces to: one or two claims on the MLE of the input layer
/// (zero-padded to `2^⌈log2 input_len⌉`). The caller must check every claim — against
/// a commitment opening and/or the public input — or the proof means nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputClaims {
    /// One claim if the last layer has no multiplication gates, else two.
    pub claims: Vec<EvalClaim>,
}

impl InputClaims {
    /// Checks every claim against a fully known input. Cost: O(input_len) per claim.
    pub fn check(&self, input: &[F]) -> crate::Result<()> {
        for c in &self.claims {
            if c.point.len() != log2_ceil(input.len()) || mle_eval(input, &c.point) != c.value {
                return Err(Error::Rejected(Check::InputClaim));
            }
        }
        Ok(())
    }
}

fn start_transcript(circuit: &Circuit, output: &[F], transcript: &mut Transcript) -> (Vec<F>, F) {
    transcript.append_bytes(labels::GKR_CIRCUIT, &circuit.digest());
    transcript.append_fields(labels::GKR_OUTPUT, output);
    let r = transcript.challenges(labels::GKR_OUTPUT_POINT, circuit.num_vars(0));
    let value = mle_eval(output, &r);
    (r, value)
}

/// One phase's degree-2 sumcheck `Σ_z A(z)·H(z)` over `k` variables as a round oracle.
/// Each [`RoundOracle::bind`] binds both tables and, while pairs remain, computes the
/// next round's values; once both tables are dense (after the first round, typically)
/// binding and the next round share one pass ([`bind_and_round`]).
struct PhaseOracle<'a, 'p> {
    a: SparseTable<'a>,
    h: SparseTable<'static>,
    pool: &'p mut Pool,
    /// Variables left.
    k: usize,
    /// This round's `p(0), p(2)`.
    msg: [F; 2],
}

impl<'a, 'p> PhaseOracle<'a, 'p> {
    fn new(a: SparseTable<'a>, h: SparseTable<'static>, k: usize, pool: &'p mut Pool) -> Self {
        let msg = if k > 0 {
            round_evals(&a, &h, 1 << (k - 1))
        } else {
            [F::ZERO; 2]
        };
        Self { a, h, pool, k, msg }
    }

    /// The final values of `A` and `H`; the tables go back to the pool.
    fn finish(self) -> (F, F) {
        let (va, vh) = (self.a.final_value(), self.h.final_value());
        self.pool.give_table(self.a);
        self.pool.give_table(self.h);
        (va, vh)
    }
}

impl RoundOracle for PhaseOracle<'_, '_> {
    fn num_vars(&self) -> usize {
        self.k
    }

    fn degree(&self) -> usize {
        2
    }

    fn round(&mut self, claim: F) -> Vec<F> {
        vec![self.msg[0], claim - self.msg[0], self.msg[1]]
    }

    fn bind(&mut self, r: F) {
        let half = 1usize << (self.k - 1);
        if half >= 2 && both_dense(&self.a, &self.h, half) {
            self.msg = bind_and_round(&mut self.a, &mut self.h, half, r);
        } else {
            self.a.bind(half, r, self.pool);
            self.h.bind(half, r, self.pool);
            if half >= 2 {
                self.msg = round_evals(&self.a, &self.h, half / 2);
            }
        }
        self.k -= 1;
    }
}

/// Runs one phase (`k` rounds on `Σ A·H = claim`) with the sumcheck driver; returns
/// the proof, the point and the final values of `A` and `H`.
fn prove_phase(
    a: SparseTable,
    h: SparseTable<'static>,
    k: usize,
    claim: F,
    transcript: &mut Transcript,
    pool: &mut Pool,
) -> (SumcheckProof, Vec<F>, F, F) {
    let mut oracle = PhaseOracle::new(a, h, k, pool);
    let red = sumcheck::prove(&mut oracle, claim, transcript);
    let (va, vh) = oracle.finish();
    (red.proof, red.point, va, vh)
}

/// Proves that `layer_values` (as returned by [`Circuit::evaluate`]) is a correct
/// evaluation of `circuit`. See [`prove_with_claims`], which also returns the claims
/// left on the input layer.
pub fn prove(circuit: &Circuit, layer_values: &[Vec<F>], transcript: &mut Transcript) -> GkrProof {
    prove_with_claims(circuit, layer_values, transcript).0
}

/// Proves a circuit evaluation and returns the proof together with the input-layer
/// claims the verifier will arrive at (the caller opens its input commitment there).
///
/// Per layer with `m` gates over a next layer of `n` wires: O(m) to build the phase
/// tables from the gate list (two to four multiplications per gate), O(n) for the
/// sumcheck rounds (about four multiplications per wire per phase, less where the
/// tables are sparse). Total: linear in the circuit size, parallel with rayon.
/// Extra memory: about three tables of `n/2` field elements per layer.
///
/// # Panics
/// If `layer_values` does not have the shape [`Circuit::evaluate`] returns.
pub fn prove_with_claims(
    circuit: &Circuit,
    layer_values: &[Vec<F>],
    transcript: &mut Transcript,
) -> (GkrProof, InputClaims) {
    let d = circuit.layers().len();
    assert_eq!(
        layer_values.len(),
        d + 1,
        "need one value vector per layer plus the input"
    );
    for (i, v) in layer_values.iter().enumerate() {
        assert_eq!(
            v.len(),
            circuit.width(i),
            "layer {i} has the wrong number of values"
        );
    }
    let (r0, mut claim) = start_transcript(circuit, &layer_values[0], transcript);
    // Claims on the current layer: (point, coefficient in the combination).
    let mut weights_src: Vec<(Vec<F>, F)> = vec![(r0, F::ONE)];
    let mut proofs = Vec::with_capacity(d);
    let mut input_claims = Vec::new();
    // Two buffers as large as the widest layer serve every layer's big tables, so
    // each page is faulted in once per proof (capacity alone touches no memory).
    let widest = (1..=d).map(|i| circuit.width(i)).max().unwrap_or(0);
    let mut pool = Pool::default();
    pool.give(Vec::with_capacity(widest));
    pool.give(Vec::with_capacity(widest));
    for (i, layer) in circuit.layers().iter().enumerate() {
        let below: &[F] = &layer_values[i + 1];
        let k = circuit.num_vars(i + 1);
        let w = Weights::new(&weights_src);
        let gates = layer.gates();

        // Phase 1: Σ_x V(x)·H(x), H(x) = Σ_{add g} w(g)([l=x] + [r=x]) + Σ_{mul g, l=x} w(g)V(r).
        let h = scatter(gates, &layer.plan_x, &mut pool, |g, gate, acc| {
            let wg = w.at(g);
            if gate.is_mul() {
                acc.add(gate.left(), wg * below[gate.right() as usize]);
            } else {
                acc.add(gate.left(), wg);
                acc.add(gate.right(), wg);
            }
        });
        let (phase1, rx, v_x, h_final) = prove_phase(
            SparseTable::borrowed(below),
            h,
            k,
            claim,
            transcript,
            &mut pool,
        );

        let mul = if layer.has_mul() {
            // Phase 2: Σ_y M(y)·V(y), M(y) = Σ_{mul g, r=y} w(g)·eq(r_x, l_g).
            let ex = SplitEq::new(&rx, F::ONE);
            let m = scatter(gates, &layer.plan_y, &mut pool, |g, gate, acc| {
                if gate.is_mul() {
                    acc.add(gate.right(), w.at(g) * ex.at(gate.left() as usize));
                }
            });
            drop(ex);
            let claim = if layer.has_add() {
                sparse_dot(&m, below)
            } else {
                h_final
            };
            transcript.append_fields(labels::GKR_PHASE1_FINAL, &[v_x, claim]);
            let (rounds, ry, v_y, _) = prove_phase(
                SparseTable::borrowed(below),
                m,
                k,
                claim,
                transcript,
                &mut pool,
            );
            transcript.append_field(labels::GKR_PHASE2_FINAL, &v_y);
            Some((MulPhaseProof { claim, rounds, v_y }, ry))
        } else {
            transcript.append_fields(labels::GKR_PHASE1_FINAL, &[v_x]);
            None
        };

        let mut next = vec![EvalClaim {
            point: rx,
            value: v_x,
        }];
        let mul = mul.map(|(p, ry)| {
            next.push(EvalClaim {
                point: ry,
                value: p.v_y,
            });
            p
        });
        proofs.push(LayerProof { phase1, v_x, mul });
        if i + 1 == d {
            input_claims = next;
        } else {
            (weights_src, claim) = combine(next, transcript);
        }
    }
    (
        GkrProof { layers: proofs },
        InputClaims {
            claims: input_claims,
        },
    )
}

/// Turns the claims on a layer into the weights of the next round and the combined
/// claimed value: one claim keeps coefficient 1, two are combined as `α·c_0 + β·c_1`
/// with fresh challenges.
fn combine(claims: Vec<EvalClaim>, transcript: &mut Transcript) -> (Vec<(Vec<F>, F)>, F) {
    if claims.len() == 1 {
        let c = claims.into_iter().next().expect("one claim");
        return (vec![(c.point, F::ONE)], c.value);
    }
    let alpha = transcript.challenge(labels::GKR_ALPHA);
    let beta = transcript.challenge(labels::GKR_BETA);
    let value = alpha * claims[0].value + beta * claims[1].value;
    let w = claims
        .into_iter()
        .zip([alpha, beta])
        .map(|(c, k)| (c.point, k))
        .collect();
    (w, value)
}

/// Verifies a GKR proof that `circuit` maps some input to `output`, and returns the
/// claims left on the input layer's MLE, which the caller must check.
///
/// Cost: O(#gates) field operations for the wiring predicates (about five
/// multiplications per gate, parallel) plus O(Σ k_i) for the sumcheck rounds.
/// Returns `Err` (never panics) on a wrong output length, a malformed proof (wrong
/// layer or round counts, missing or extra multiplication phase) or any failed check.
pub fn verify(
    circuit: &Circuit,
    output: &[F],
    proof: &GkrProof,
    transcript: &mut Transcript,
) -> crate::Result<InputClaims> {
    let d = circuit.layers().len();
    if output.len() != circuit.width(0) {
        return Err(Error::Malformed(format!(
            "output has {} values, the circuit has {}",
            output.len(),
            circuit.width(0)
        )));
    }
    if proof.layers.len() != d {
        return Err(Error::Malformed(format!(
            "proof has {} layers, the circuit has {d}",
            proof.layers.len()
        )));
    }
    for (i, (layer, lp)) in circuit.layers().iter().zip(&proof.layers).enumerate() {
        let k = circuit.num_vars(i + 1);
        let rounds_ok = lp.phase1.rounds.len() == k
            && match &lp.mul {
                Some(m) => layer.has_mul() && m.rounds.rounds.len() == k,
                None => !layer.has_mul(),
            };
        if !rounds_ok {
            return Err(Error::Malformed(format!(
                "layer {i} proof has the wrong shape"
            )));
        }
    }

    let (r0, v0) = start_transcript(circuit, output, transcript);
    let mut weights_src: Vec<(Vec<F>, F)> = vec![(r0, F::ONE)];
    let mut claim = v0;
    for (i, (layer, lp)) in circuit.layers().iter().zip(&proof.layers).enumerate() {
        let k = circuit.num_vars(i + 1);
        let (rx, s1) = sumcheck::verify(claim, k, 2, &lp.phase1, transcript)?;
        let mut next = vec![EvalClaim {
            point: rx,
            value: lp.v_x,
        }];
        let (h_m, phase2) = match &lp.mul {
            Some(m) => {
                transcript.append_fields(labels::GKR_PHASE1_FINAL, &[lp.v_x, m.claim]);
                let (ry, s2) = sumcheck::verify(m.claim, k, 2, &m.rounds, transcript)?;
                transcript.append_field(labels::GKR_PHASE2_FINAL, &m.v_y);
                next.push(EvalClaim {
                    point: ry,
                    value: m.v_y,
                });
                (m.claim, Some(s2))
            }
            None => {
                transcript.append_fields(labels::GKR_PHASE1_FINAL, &[lp.v_x]);
                (F::ZERO, None)
            }
        };

        // Wiring predicates at the sumcheck points: O(#gates).
        let w = Weights::new(&weights_src);
        let ex = SplitEq::new(&next[0].point, F::ONE);
        let ey = next.get(1).map(|c| SplitEq::new(&c.point, F::ONE));
        let (add_sum, mul_sum) = layer
            .gates()
            .par_iter()
            .enumerate()
            .with_min_len(1 << 12)
            .fold(
                || (F::ZERO, F::ZERO),
                |(a, m), (g, gate)| {
                    let wg = w.at(g);
                    let l = ex.at(gate.left() as usize);
                    match (&ey, gate.is_mul()) {
                        (Some(ey), true) => (a, m + wg * l * ey.at(gate.right() as usize)),
                        _ => (a + wg * (l + ex.at(gate.right() as usize)), m),
                    }
                },
            )
            .reduce(|| (F::ZERO, F::ZERO), |x, y| (x.0 + y.0, x.1 + y.1));
        if s1 != lp.v_x * (add_sum + h_m) {
            return Err(Error::Rejected(Check::SumcheckFinal {
                step: Step::GkrLayer { layer: i, phase: 1 },
            }));
        }
        if let (Some(s2), Some(m)) = (phase2, &lp.mul) {
            if s2 != mul_sum * m.v_y {
                return Err(Error::Rejected(Check::SumcheckFinal {
                    step: Step::GkrLayer { layer: i, phase: 2 },
                }));
            }
        }
        if i + 1 == d {
            return Ok(InputClaims { claims: next });
        }
        (weights_src, claim) = combine(next, transcript);
    }
    Err(Error::Invalid("circuit has no layers".into()))
}
