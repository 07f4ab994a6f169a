//! Soundness tests of the MLP proof run once per statement mode (issue 14: "every
//! rejection, mutation and cheating-prover test runs in every mode and is rejected").
//!
//! A [`Mode`] is one kind of statement with its prover and verifier:
//! [`Mode::Public`] (the public proof, input in the clear), [`Mode::CommittedInput`]
//! (the public proof with an unblinded input commitment) and [`Mode::PrivateInput`]
//! (the zero-knowledge proof, [`super::zk`]). The names are those of
//! [`super::AnyProofFile::mode`]. Each test loops over [`Mode::ALL`] and names the
//! mode in every failure message.
//!
//! What a mode has to provide (each a `match` on the mode below; the tests are written
//! against these operations only):
//! - its verifying key for a model ([`Mode::key`]);
//! - an honest proof ([`Mode::prove`], which also checks it is accepted and survives
//!   its byte encoding) and a cheating one ([`Mode::prove_with`], a [`Fault`] injected
//!   into the witness), the proof being a [`Proof`] (one variant per proof type);
//! - the verifier ([`Case::verify_as`]) and the file decoder ([`Mode::decode`]);
//! - every scalar and every point of its proof, mutably ([`Proof::scalars_mut`],
//!   [`Proof::points_mut`]), and its per-layer requantization checks
//!   ([`Proof::checks_mut`]);
//! - which faults apply to it ([`Mode::applies`], with the reason for a skip).
//!
//! Statement changes (output, input, batch) act on the [`Statement`] and dispatch on
//! its input kind, not on the mode. A private-model mode adds a variant to [`Mode`] and
//! [`Proof`], a key type in place of [`MlpVk`] where its verifier needs another, and
//! one arm in each `match`.

use super::prove::prove_inner as public_prove_inner;
use super::test_support::inputs;
use super::witness::{Fault, ModePolicy};
use super::zk::{self, ZkKeys, ZkMlpProof};
use super::zk_model::{self, PrivateModelProof};
use super::*;
use crate::error::{Check, Committed, Error, Step};
use crate::field::GAffine;
use crate::hiding_key::{HidingKey, HidingKeyGens, KeySecrets, PublicQuant};
use crate::hyrax::HyraxKey;
use crate::masked_sumcheck::MaskKey;
use crate::ternary::TernaryCsr;
use crate::wire::Skeleton;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::Field;
use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
use std::sync::OnceLock;
use ternzk_core::engine::InputQuant;
use ternzk_core::random;

type Model = random::RandomMlp;

/// One statement mode: which prover and verifier a test runs (module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// The public proof, input in the clear (file input kind 0).
    Public,
    /// The public proof, input committed without blinding (file input kind 1).
    CommittedInput,
    /// The zero-knowledge proof, input hidden in a hiding commitment (kind 2).
    PrivateInput,
    /// The zero-knowledge proof for a hidden model (hiding key), input in the clear
    /// (kind 3).
    PrivateModel,
    /// The zero-knowledge proof for a hidden model and a hidden input (kind 4).
    PrivateBoth,
}

/// A proof of any mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Proof {
    /// [`Mode::Public`] and [`Mode::CommittedInput`].
    Public(MlpProof),
    /// [`Mode::PrivateInput`].
    Private(ZkMlpProof),
    /// [`Mode::PrivateModel`] and [`Mode::PrivateBoth`].
    Hidden(PrivateModelProof),
}

/// A model's key in one mode: the public verifying key, or a hiding key with the
/// prover's secret blindings.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Key {
    /// The public modes' and the private-input mode's key.
    Public(MlpVk),
    /// The hidden-model modes' key and secrets.
    Hidden(Box<(HidingKey, KeySecrets)>),
}

impl Key {
    /// The key's digest (what a proof file names).
    fn digest(&self) -> [u8; 32] {
        match self {
            Key::Public(vk) => vk.digest,
            Key::Hidden(h) => h.0.digest,
        }
    }

    fn public(&self) -> &MlpVk {
        match self {
            Key::Public(vk) => vk,
            Key::Hidden(_) => panic!("a public-key mode given a hiding key"),
        }
    }

    fn hidden(&self) -> &(HidingKey, KeySecrets) {
        match self {
            Key::Hidden(h) => h,
            Key::Public(_) => panic!("a hidden-model mode given a public key"),
        }
    }
}

/// A statement and its proof, in one mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Case {
    pub mode: Mode,
    /// Digest of the key the proof was made for (written into its file).
    pub vk_digest: [u8; 32],
    pub statement: Statement,
    pub proof: Proof,
}

fn hyrax_key() -> &'static HyraxKey {
    static KEY: OnceLock<HyraxKey> = OnceLock::new();
    KEY.get_or_init(|| HyraxKey::new(10))
}

fn mask_key() -> &'static MaskKey {
    static KEY: OnceLock<MaskKey> = OnceLock::new();
    KEY.get_or_init(|| MaskKey::new(18))
}

/// The keys every test proves and verifies with (the public modes use the Hyrax part).
fn keys() -> ZkKeys<'static> {
    ZkKeys {
        hyrax: hyrax_key(),
        mask: mask_key(),
    }
}

impl Mode {
    /// Every mode, in the order the tests run them.
    pub const ALL: [Mode; 5] = [
        Mode::Public,
        Mode::CommittedInput,
        Mode::PrivateInput,
        Mode::PrivateModel,
        Mode::PrivateBoth,
    ];

    /// Whether the mode's key hides the model.
    fn hidden_model(self) -> bool {
        matches!(self, Mode::PrivateModel | Mode::PrivateBoth)
    }

    /// The key of `model` in this mode (a hiding key with seeded blindings for the
    /// hidden-model modes).
    fn key(self, model: &Model) -> Key {
        let layers = model.layers();
        if !self.hidden_model() {
            return Key::Public(MlpVk::commit(&layers, hyrax_key()).unwrap());
        }
        let gens =
            HidingKeyGens::for_shapes(layers.iter().map(|l| (l.weights.n_in, l.weights.n_out)));
        let quant = PublicQuant {
            input: InputQuant {
                scale: 1.0 / 255.0,
                zero_point: 0,
                per_feature: None,
            },
            output_scales: vec![1.0; layers.last().unwrap().weights.n_out],
        };
        let mut rng = StdRng::seed_from_u64(0x4b45);
        Key::Hidden(Box::new(
            HidingKey::commit(&layers, quant, &gens, &mut rng).unwrap(),
        ))
    }

    /// A proof by a prover that injects `fault` into its witness (`Fault::None`: the
    /// honest prover), with `keys`; `seed` fixes a randomized prover's coins.
    #[allow(clippy::too_many_arguments)]
    fn prove_with(
        self,
        keys: &ZkKeys,
        model: &Model,
        vk: &Key,
        x: &[u8],
        batch: usize,
        fault: Fault,
        seed: u64,
    ) -> crate::Result<Case> {
        let layers = model.layers();
        let (statement, proof) = match self {
            Mode::Public | Mode::CommittedInput => {
                let private = self == Mode::CommittedInput;
                let (st, p, _) = public_prove_inner(
                    &layers,
                    vk.public(),
                    keys.hyrax,
                    x,
                    batch,
                    private,
                    fault,
                    ModePolicy::Auto,
                )?;
                (st, Proof::Public(p))
            }
            Mode::PrivateInput => {
                let mut rng = StdRng::seed_from_u64(seed);
                let (st, p) =
                    zk::prove_inner(&layers, vk.public(), keys, x, batch, fault, &mut rng)?;
                (st, Proof::Private(p))
            }
            Mode::PrivateModel | Mode::PrivateBoth => {
                let mut rng = StdRng::seed_from_u64(seed);
                let (key, secrets) = vk.hidden();
                let private = self == Mode::PrivateBoth;
                let (st, p) = zk_model::prove_inner(
                    &layers, key, secrets, keys, x, batch, private, fault, &mut rng,
                )?;
                (st, Proof::Hidden(p))
            }
        };
        Ok(Case {
            mode: self,
            vk_digest: vk.digest(),
            statement,
            proof,
        })
    }

    /// An honest proof, checked: accepted, and decoded from its bytes unchanged.
    fn prove(self, model: &Model, vk: &Key, x: &[u8], batch: usize, seed: u64) -> Case {
        let case = self
            .prove_with(&keys(), model, vk, x, batch, Fault::None, seed)
            .unwrap_or_else(|e| panic!("{self:?}: honest prover failed: {e}"));
        case.verify(vk)
            .unwrap_or_else(|e| panic!("{self:?}: honest proof rejected: {e}"));
        let decoded = self
            .decode(vk, &case.to_bytes())
            .unwrap_or_else(|e| panic!("{self:?}: honest file not decoded: {e}"));
        assert_eq!(decoded, case, "{self:?}: the file changed the proof");
        case
    }

    /// Decodes a proof file of this mode made for `vk`.
    fn decode(self, vk: &Key, bytes: &[u8]) -> crate::Result<Case> {
        let (vk_digest, statement, proof) = match (self, vk) {
            (Mode::Public | Mode::CommittedInput, Key::Public(vk)) => {
                let f = ProofFile::from_bytes(vk, bytes)?;
                (f.vk_digest, f.statement, Proof::Public(f.proof))
            }
            (Mode::PrivateInput, Key::Public(vk)) => {
                let f = ZkProofFile::from_bytes(vk, bytes)?;
                (f.vk_digest, f.statement, Proof::Private(f.proof))
            }
            (Mode::PrivateModel | Mode::PrivateBoth, Key::Hidden(h)) => {
                let f = PrivateModelProofFile::from_bytes(&h.0, bytes)?;
                (f.key_digest, f.statement, Proof::Hidden(f.proof))
            }
            _ => panic!("{self:?} given the other kind of key"),
        };
        Ok(Case {
            mode: self,
            vk_digest,
            statement,
            proof,
        })
    }

    /// Whether a cheating prover with `fault` is a meaningful test in this mode.
    fn applies(self, fault: Fault) -> bool {
        match (self, fault) {
            // The zero-knowledge prover takes every width from the model
            // (`model_checks`) or the hiding key, never from its witness, so a cheater
            // cannot name a narrower quotient table: the fault leaves an honest proof.
            (
                Mode::PrivateInput | Mode::PrivateModel | Mode::PrivateBoth,
                Fault::NarrowQuotientTable { .. },
            ) => false,
            // A hidden model is checked in quotient mode only (direct mode's table
            // needs the hidden multiplier): the direct-mode faults have nothing to act
            // on.
            (Mode::PrivateModel | Mode::PrivateBoth, Fault::DirectZShifted { .. }) => false,
            (_, Fault::None) => true,
            _ => self.cheaters_run(),
        }
    }

    /// Whether this build runs cheating provers in this mode: the zero-knowledge
    /// prover's debug assertions catch the false relations before the verifier sees
    /// them, so its cheaters run in release builds only (as the test command does).
    fn cheaters_run(self) -> bool {
        !(self != Mode::Public && self != Mode::CommittedInput && cfg!(debug_assertions))
    }
}

impl Case {
    /// Verifies this case's proof for `statement` (which may differ from its own).
    fn verify_as(&self, vk: &Key, statement: &Statement) -> crate::Result<()> {
        match (&self.proof, vk) {
            (Proof::Public(p), Key::Public(vk)) => verify(vk, hyrax_key(), statement, p),
            (Proof::Private(p), Key::Public(vk)) => zk::verify(vk, &keys(), statement, p),
            (Proof::Hidden(p), Key::Hidden(h)) => zk_model::verify(&h.0, &keys(), statement, p),
            _ => panic!("{:?} proof given the other kind of key", self.mode),
        }
    }

    /// Verifies the case as it stands.
    fn verify(&self, vk: &Key) -> crate::Result<()> {
        self.verify_as(vk, &self.statement)
    }

    /// The proof file's bytes.
    fn to_bytes(&self) -> Vec<u8> {
        let (statement, vk_digest) = (self.statement.clone(), self.vk_digest);
        match &self.proof {
            Proof::Public(p) => ProofFile {
                vk_digest,
                statement,
                proof: p.clone(),
            }
            .to_bytes(),
            Proof::Private(p) => ZkProofFile {
                vk_digest,
                statement,
                proof: p.clone(),
            }
            .to_bytes(),
            Proof::Hidden(p) => PrivateModelProofFile {
                key_digest: vk_digest,
                statement,
                proof: p.clone(),
            }
            .to_bytes(),
        }
    }
}

impl Proof {
    /// Every scalar of the proof, mutably, in encoding order.
    fn scalars_mut(&mut self) -> Vec<&mut F> {
        match self {
            Proof::Public(p) => public_scalars(p),
            Proof::Private(p) => p.scalars_mut(),
            Proof::Hidden(p) => p.scalars_mut(),
        }
    }

    /// Every point of the proof, mutably, in encoding order.
    fn points_mut(&mut self) -> Vec<&mut GAffine> {
        match self {
            Proof::Public(p) => public_points(p),
            Proof::Private(p) => p.points_mut(),
            Proof::Hidden(p) => p.points_mut(),
        }
    }

    /// The per-hidden-layer requantization checks the proof names.
    fn checks_mut(&mut self) -> &mut Vec<RequantCheck> {
        match self {
            Proof::Public(p) => &mut p.checks,
            Proof::Private(p) => &mut p.checks,
            Proof::Hidden(p) => &mut p.checks,
        }
    }
}

/// Every field element of a public proof, mutably, in encoding order.
fn public_scalars(p: &mut MlpProof) -> Vec<&mut F> {
    let mut v: Vec<&mut F> = Vec::new();
    if let Some(lp) = p.logup.as_mut() {
        for r in lp.roots.iter_mut() {
            v.extend(r.iter_mut());
        }
        v.extend(lp.table_sums.iter_mut());
        for layer in lp.layers.iter_mut() {
            for round in layer.sumcheck.rounds.iter_mut() {
                v.extend(round.iter_mut());
            }
            for ch in layer.children.iter_mut() {
                v.extend(ch.iter_mut());
            }
        }
        for e in lp.column_evals.iter_mut() {
            v.extend(e.iter_mut());
        }
        for s in lp.table_sumchecks.iter_mut() {
            for round in s.rounds.iter_mut() {
                v.extend(round.iter_mut());
            }
        }
        for o in lp.multiplicity_openings.iter_mut() {
            v.extend(o.iter_mut());
        }
    }
    for s in p.steps.iter_mut() {
        for round in s.sumcheck.rounds.iter_mut() {
            v.extend(round.iter_mut());
        }
        v.push(&mut s.input_eval);
        v.extend(s.opening.iter_mut());
    }
    for o in p.openings.iter_mut() {
        v.extend(o.iter_mut());
    }
    v
}

/// Every point of a public proof (the witness and multiplicity commitments), mutably.
fn public_points(p: &mut MlpProof) -> Vec<&mut GAffine> {
    let mut v = Vec::new();
    for c in p.witness.iter_mut().flatten() {
        v.extend(c.rows.iter_mut());
    }
    if let Some(lp) = p.logup.as_mut() {
        for c in lp.multiplicity_commitments.iter_mut() {
            v.extend(c.rows.iter_mut());
        }
    }
    v
}

/// The small model of the public tests: three hidden layers of different widths and
/// shifts (k = 7: one short limb; k = 12: one full limb; k = 29: three limbs).
fn small() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| Model::new(&[20, 12, 9, 16, 5], 0.4, &[7, 12, 29], 1))
}

/// A model with one hidden layer of each requantization check, and the smallest batch
/// at which every mode checks them so: layer 0 has unequal multipliers (quotient mode),
/// layer 1 one multiplier and one ±1 weight per row, so its accumulators fit 9 bits
/// and direct mode pays from `B·32 ≥ 2^9` (the zero-knowledge rule, from the model's
/// worst case, is the stricter one).
fn two_check_model() -> &'static (Model, usize) {
    static M: OnceLock<(Model, usize)> = OnceLock::new();
    M.get_or_init(|| {
        let mut model = Model::new(&[10, 6, 32, 4], 0.5, &[13, 9], 7);
        let dense: Vec<i8> = (0..32 * 6)
            .map(|t| match (t / 6, t % 6) {
                (i, j) if j == i % 6 => 1 - 2 * (i % 2) as i8,
                _ => 0,
            })
            .collect();
        model.weights[1] = TernaryCsr::from_dense(32, 6, &dense).unwrap();
        model.bias[1] = vec![0; 32];
        model.m[1] = vec![100; 32];
        let batch = (0..12)
            .map(|c| 1usize << c)
            .find(|&b| {
                let checks = model_checks::model_checks(&model.layers(), b).unwrap();
                matches!(checks[1], RequantCheck::Direct { .. })
            })
            .expect("a batch for direct mode");
        assert!(batch <= 16, "direct mode from batch {batch}");
        (model, batch)
    })
}

/// Whether a proof names quotient mode for layer 0 and direct mode for layer 1.
fn quotient_then_direct(checks: &[RequantCheck]) -> bool {
    matches!(
        checks,
        [RequantCheck::Quotient { .. }, RequantCheck::Direct { .. }]
    )
}

/// Whether an error is the verifier's (a refusal of bytes or of a check).
fn refused(e: &crate::Result<()>) -> bool {
    matches!(e, Err(Error::Rejected(_) | Error::Malformed(_)))
}

/// Changes of the statement's input, each with a name: a few bytes of a clear input
/// flipped, or each row of an input commitment moved.
fn changed_inputs(st: &Statement) -> Vec<(String, Statement)> {
    let mut out = Vec::new();
    match &st.input {
        PublicInput::Clear(x) => {
            let n = x.len() / st.batch;
            for i in [0, 7, n - 1, n, x.len() - 1] {
                let mut s = st.clone();
                if let PublicInput::Clear(x) = &mut s.input {
                    x[i] ^= 1;
                }
                out.push((format!("input byte {i}"), s));
            }
        }
        PublicInput::Committed(c) => {
            for i in 0..c.rows.len() {
                let mut s = st.clone();
                if let PublicInput::Committed(c) = &mut s.input {
                    c.rows[i] = (c.rows[i] + GAffine::generator()).into_affine();
                }
                out.push((format!("input commitment row {i}"), s));
            }
        }
    }
    out
}

/// Every scalar and every point of `f`'s proof (every `stride`-th of them), changed one
/// at a time, and every other requantization check named for a layer: rejected.
fn mutations_are_rejected(f: &Case, vk: &Key, stride: usize) {
    let mode = f.mode;
    let checks = f.proof.clone().checks_mut().clone();
    let n_scalars = f.proof.clone().scalars_mut().len();
    let n_points = f.proof.clone().points_mut().len();
    assert!(n_scalars > 100 && n_points > 10, "{mode:?}");
    for i in (0..n_scalars).step_by(stride) {
        let mut g = f.clone();
        *g.proof.scalars_mut().swap_remove(i) += F::ONE;
        let e = g.verify(vk);
        assert!(refused(&e), "{mode:?}: scalar {i} of {n_scalars}: {e:?}");
    }
    for i in (0..n_points).step_by(stride) {
        let mut g = f.clone();
        let q = g.proof.points_mut().swap_remove(i);
        *q = (*q + GAffine::generator()).into_affine();
        let e = g.verify(vk);
        assert!(refused(&e), "{mode:?}: point {i} of {n_points}: {e:?}");
    }
    for (l, &check) in checks.iter().enumerate() {
        for bits in [0u32, 1, 5, 9, 10, 12, 13, 16, 17] {
            for other in [
                RequantCheck::Quotient { bits },
                RequantCheck::Direct { bits },
            ] {
                if other == check {
                    continue;
                }
                let mut g = f.clone();
                g.proof.checks_mut()[l] = other;
                assert!(
                    g.verify(vk).is_err(),
                    "{mode:?}: check of layer {l} set to {other:?} and accepted"
                );
            }
        }
    }
}

/// Every element of a one-hidden-layer proof (quotient mode), mutated: rejected.
#[test]
fn every_mutated_proof_element_is_rejected() {
    let model = Model::new(&[10, 6, 4], 0.5, &[13], 7);
    for mode in Mode::ALL {
        let vk = mode.key(&model);
        let f = mode.prove(&model, &vk, &inputs(10, 2, 8), 2, 8);
        let checks = f.proof.clone().checks_mut().clone();
        assert!(
            matches!(checks[..], [RequantCheck::Quotient { .. }]),
            "{mode:?}: {checks:?}"
        );
        mutations_are_rejected(&f, &vk, 1);
    }
}

/// Every eleventh element of a proof with a quotient and a direct layer
/// ([`two_check_model`]), mutated: rejected. (All of them would be about 2,900
/// zero-knowledge verifications of 30–45 ms, more than the rest of the suite; the
/// stride is prime so that the sample falls on every kind of element.)
#[test]
fn mutated_elements_of_a_two_check_proof_are_rejected() {
    let (model, batch) = two_check_model();
    for mode in Mode::ALL.into_iter().filter(|m| !m.hidden_model()) {
        let vk = mode.key(model);
        let mut f = mode.prove(model, &vk, &inputs(10, *batch, 9), *batch, 9);
        assert!(quotient_then_direct(f.proof.checks_mut()), "{mode:?}");
        mutations_are_rejected(&f, &vk, 11);
    }
}

#[test]
fn wrong_statements_and_keys_are_rejected() {
    let model = small();
    let x = inputs(20, 2, 11);
    // Another model's key (same shapes, other weights), and keys differing only in one
    // bias or one multiplier.
    let other = Model::new(&[20, 12, 9, 16, 5], 0.4, &[7, 12, 29], 99);
    let mut bias = model.clone();
    bias.bias[1][3] += 1;
    let mut mult = model.clone();
    mult.m[0][2] += 1;
    let mut cases = Vec::new();
    for mode in Mode::ALL {
        let vk = mode.key(model);
        let f = mode.prove(model, &vk, &x, 2, 11);
        let st = &f.statement;
        for i in 0..st.output.len() {
            let mut s = st.clone();
            s.output[i] += 1;
            assert!(f.verify_as(&vk, &s).is_err(), "{mode:?}: output {i}");
        }
        for (what, s) in changed_inputs(st) {
            assert!(f.verify_as(&vk, &s).is_err(), "{mode:?}: {what}");
        }
        for batch in [1, 3] {
            let mut s = st.clone();
            s.batch = batch;
            assert!(f.verify_as(&vk, &s).is_err(), "{mode:?}: batch {batch}");
        }
        let other_vk = mode.key(&other);
        assert!(
            f.verify(&other_vk).is_err(),
            "{mode:?}: another model's key"
        );
        assert!(
            mode.decode(&other_vk, &f.to_bytes()).is_err(),
            "{mode:?}: file decoded under another model's key"
        );
        for (what, m) in [("a bias", &bias), ("a multiplier", &mult)] {
            let changed = mode.key(m);
            assert_ne!(changed.digest(), vk.digest());
            assert!(
                f.verify(&changed).is_err(),
                "{mode:?}: key with {what} changed"
            );
        }
        // The proof of one input presented for another.
        let g = mode.prove(model, &vk, &inputs(20, 2, 12), 2, 12);
        assert!(
            f.verify_as(&vk, &g.statement).is_err(),
            "{mode:?}: another input's statement"
        );
        cases.push((f, vk));
    }
    // One input's proof presented with another mode's statement of that input. (The
    // public and private-model statements of one clear input are the same statement —
    // input bytes, batch, logits; their proofs differ by key, checked above.)
    for (f, vk) in &cases {
        for (g, _) in &cases {
            if f.mode != g.mode && f.statement != g.statement {
                let e = f.verify_as(vk, &g.statement);
                assert!(
                    e.is_err(),
                    "{:?} proof with the {:?} statement accepted",
                    f.mode,
                    g.mode
                );
            }
        }
    }
}

/// Cheating provers, each injecting one [`Fault`] into an otherwise honest witness,
/// are rejected by the verifier (which check fails is pinned where it is the same in
/// every mode).
#[test]
fn cheating_provers_are_rejected() {
    let model = small();
    let x = inputs(20, 3, 13);
    let mut faults = vec![Fault::WideRangeTable];
    for layer in 0..3 {
        faults.push(Fault::TopLimbZeroed { layer });
        for index in [0, 5, 11] {
            faults.push(Fault::ReluOutput { layer, index });
            faults.push(Fault::RemainderOutOfRange { layer, index });
        }
    }
    for mode in Mode::ALL {
        let vk = mode.key(model);
        mode.prove(model, &vk, &x, 3, 13);
        for &fault in &faults {
            if !mode.applies(fault) {
                continue;
            }
            let e = mode
                .prove_with(&keys(), model, &vk, &x, 3, fault, 13)
                .and_then(|f| f.verify(&vk));
            assert!(
                matches!(&e, Err(err) if caught(fault, err)),
                "{mode:?}: {fault:?}: {e:?}"
            );
        }
    }
}

/// Whether `e` is the verifier's verdict on a quotient-mode cheater with `fault`.
fn caught(fault: Fault, e: &Error) -> bool {
    match fault {
        // (z, y') is not a table row, or a remainder limb is out of range: LogUp's
        // identity fails.
        Fault::ReluOutput { .. } | Fault::RemainderOutOfRange { .. } => {
            matches!(e, Error::Rejected(Check::LogupRoot { .. }))
        }
        // The top remainder limb is not committed: looking up another (in-range)
        // vector in its place is caught by the linear sumcheck.
        Fault::TopLimbZeroed { layer } => {
            *e == Error::Rejected(Check::SumcheckFinal {
                step: Step::Linear { layer },
            })
        }
        // The verifier's own tables fix the multiplicity commitment's size.
        Fault::WideRangeTable => matches!(e, Error::Malformed(_)),
        _ => false,
    }
}

/// A quotient table narrower than the quotients (large multipliers give wide ones).
#[test]
fn a_too_narrow_quotient_table_is_rejected() {
    let mut wide = Model::new(&[20, 12, 6, 5], 0.4, &[7, 7], 17);
    wide.m[0] = vec![3 << 7; 12];
    let x = inputs(20, 3, 13);
    let fault = Fault::NarrowQuotientTable { layer: 0 };
    for mode in Mode::ALL {
        if !mode.applies(fault) {
            continue;
        }
        let vk = mode.key(&wide);
        let mut honest = mode.prove(&wide, &vk, &x, 3, 14);
        assert!(
            matches!(
                honest.proof.checks_mut()[0],
                RequantCheck::Quotient { bits } if bits > crate::requant::MIN_QUOTIENT_BITS
            ),
            "{mode:?}"
        );
        let e = mode
            .prove_with(&keys(), &wide, &vk, &x, 3, fault, 14)
            .and_then(|f| f.verify(&vk));
        assert!(
            matches!(e, Err(Error::Rejected(Check::LogupRoot { .. }))),
            "{mode:?}: a too narrow quotient table: {e:?}"
        );
    }
}

/// A prover computing with one weight changed (the key commits the original): the
/// opening `u = Tᵀ·e` no longer matches the committed weights. (The zero-knowledge
/// prover may refuse first: its widths come from the model it was given.)
#[test]
fn a_prover_with_another_weight_is_rejected() {
    let model = small();
    let x = inputs(20, 3, 13);
    for mode in Mode::ALL {
        if !mode.cheaters_run() {
            continue;
        }
        let vk = mode.key(model);
        for l in 0..4 {
            let mut bad = model.clone();
            let w = &bad.weights[l];
            let mut dense: Vec<i8> = (0..w.n_out * w.n_in)
                .map(|t| w.get(t / w.n_in, t % w.n_in))
                .collect();
            let at = w.n_in + 2;
            dense[at] = if dense[at] == 1 { -1 } else { 1 };
            bad.weights[l] = TernaryCsr::from_dense(w.n_out, w.n_in, &dense).unwrap();
            let e = mode
                .prove_with(&keys(), &bad, &vk, &x, 3, Fault::None, 15)
                .and_then(|f| f.verify(&vk));
            let weights = Error::Rejected(Check::Opening {
                what: Committed::Weights { layer: l },
            });
            assert!(
                e == Err(weights) || matches!(e, Err(Error::Invalid(_))),
                "{mode:?}: weight in layer {l}: {e:?}"
            );
        }
    }
}

/// Direct-mode cheaters: a wrong output for the looked-up accumulator, or another
/// in-range accumulator looked up.
#[test]
fn direct_mode_cheaters_are_rejected() {
    let (model, batch) = two_check_model();
    let batch = *batch;
    let x = inputs(10, batch, 61);
    // (A hidden model has no direct mode: `Mode::applies`.)
    for mode in Mode::ALL.into_iter().filter(|m| !m.hidden_model()) {
        let vk = mode.key(model);
        let mut f = mode.prove(model, &vk, &x, batch, 61);
        assert!(quotient_then_direct(f.proof.checks_mut()), "{mode:?}");
        for index in [0, 5, batch * 32 - 1] {
            let relu = Fault::ReluOutput { layer: 1, index };
            let shifted = Fault::DirectZShifted { layer: 1, index };
            if !mode.applies(relu) {
                continue;
            }
            // (z, y') is not a table row: the witness-side roots no longer match.
            let e = mode
                .prove_with(&keys(), model, &vk, &x, batch, relu, 62)
                .and_then(|f| f.verify(&vk));
            assert!(
                matches!(e, Err(Error::Rejected(Check::LogupRoot { .. }))),
                "{mode:?}: {relu:?}: {e:?}"
            );
            // Another in-range z with y = f(z + 1): the lookup holds, the linear
            // sumcheck catches the wrong z̃(P).
            let e = mode
                .prove_with(&keys(), model, &vk, &x, batch, shifted, 62)
                .and_then(|f| f.verify(&vk));
            assert!(
                matches!(
                    e,
                    Err(Error::Rejected(Check::SumcheckFinal {
                        step: Step::Linear { layer: 1 }
                    }))
                ),
                "{mode:?}: {shifted:?}: {e:?}"
            );
        }
    }
}

#[test]
fn provers_refuse_impossible_statements() {
    let model = small();
    let tiny = HyraxKey::new(2);
    let small_keys = ZkKeys {
        hyrax: &tiny,
        mask: mask_key(),
    };
    let mut big = Model::new(&[8, 4, 2], 1.0, &[3], 3);
    big.m[0] = vec![1 << 20; 4];
    for mode in Mode::ALL {
        let vk = mode.key(model);
        let run = |keys: &ZkKeys, m: &Model, vk: &Key, x: &[u8], batch: usize| {
            mode.prove_with(keys, m, vk, x, batch, Fault::None, 30)
        };
        let invalid = |r: crate::Result<Case>, what: &str| {
            assert!(
                matches!(r, Err(Error::Invalid(_))),
                "{mode:?}: {what}: {:?}",
                r.map(|_| "a proof")
            );
        };
        invalid(run(&keys(), model, &vk, &[0; 19], 1), "wrong input length");
        invalid(run(&keys(), model, &vk, &[0; 20], 0), "empty batch");
        invalid(run(&small_keys, model, &vk, &[0; 20], 1), "key too small");
        // Layers that differ from the key.
        let mut fewer = model.clone();
        fewer.weights.pop();
        fewer.bias.pop();
        fewer.m.pop();
        fewer.k.pop();
        invalid(
            run(&keys(), &fewer, &vk, &[0; 20], 1),
            "layers not the key's",
        );
        // Quotients outside [−2^15, 2^15): a huge multiplier.
        if mode.hidden_model() {
            // A hiding key takes its widths from the model's worst case when it is
            // made, so such a model has no hiding key at all.
            let layers = big.layers();
            let gens =
                HidingKeyGens::for_shapes(layers.iter().map(|l| (l.weights.n_in, l.weights.n_out)));
            let quant = PublicQuant {
                input: InputQuant {
                    scale: 1.0,
                    zero_point: 0,
                    per_feature: None,
                },
                output_scales: vec![1.0; 2],
            };
            let r = HidingKey::commit(&layers, quant, &gens, &mut StdRng::seed_from_u64(1));
            assert!(
                matches!(r, Err(Error::Invalid(_))),
                "{mode:?}: huge multiplier"
            );
        } else {
            let vk_big = mode.key(&big);
            invalid(run(&keys(), &big, &vk_big, &[255; 8], 1), "huge multiplier");
        }
    }
}

#[test]
fn truncated_extended_and_garbage_files_are_errors() {
    let model = small();
    let mut rng = StdRng::seed_from_u64(5);
    for mode in Mode::ALL {
        let vk = mode.key(model);
        let f = mode.prove(model, &vk, &inputs(20, 1, 21), 1, 21);
        let bytes = f.to_bytes();
        for cut in (0..bytes.len()).step_by(97).chain([bytes.len() - 1]) {
            assert!(
                mode.decode(&vk, &bytes[..cut]).is_err(),
                "{mode:?}: cut at {cut}"
            );
        }
        for extra in [1, 32] {
            let mut longer = bytes.clone();
            longer.extend(std::iter::repeat_n(0, extra));
            assert!(
                mode.decode(&vk, &longer).is_err(),
                "{mode:?}: +{extra} bytes"
            );
        }
        // Random bytes (some behind a valid header): an error or a value, never a panic.
        for _ in 0..50 {
            let n = rng.gen_range(0..bytes.len() + 10);
            let mut junk: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
            if junk.len() >= 44 && rng.gen_bool(0.5) {
                junk[..44].copy_from_slice(&bytes[..44]);
            }
            if let Ok(g) = mode.decode(&vk, &junk) {
                assert!(g.verify(&vk).is_err(), "{mode:?}: junk accepted");
            }
        }
        // Flipped bytes anywhere: an error when decoding or verifying, never an accept.
        for i in (0..bytes.len())
            .step_by(bytes.len() / 64)
            .chain([bytes.len() - 1])
        {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            if let Ok(g) = mode.decode(&vk, &b) {
                assert!(g.verify(&vk).is_err(), "{mode:?}: byte {i} flipped");
            }
        }
    }
}

/// A zero-knowledge file laid out as version 1 wrote it (the hiding input commitment
/// on the public proof's grid, then a body of version 1) is refused with a message
/// that says to prove again, not that a point is invalid.
#[test]
fn a_version_1_zero_knowledge_file_says_to_prove_again() {
    let model = small();
    for mode in [Mode::PrivateInput, Mode::PrivateBoth] {
        let vk = mode.key(model);
        let bytes = mode.prove(model, &vk, &inputs(20, 1, 22), 1, 22).to_bytes();
        let vars = crate::field::log2_ceil(20);
        let head = super::PROOF_MAGIC.len() + 40 + 1;
        let new_rows = 32 << super::zk_grid(vars).0;
        let outputs = 4 * 5;
        let body = head + new_rows + outputs;
        let mut w = crate::wire::Writer::default();
        for _ in 0..1usize << super::grid(vars).0 {
            w.point(&crate::pedersen::BlindingKey::new().g);
        }
        let mut old = bytes[..head].to_vec();
        old.extend(&w.bytes);
        old.extend(&bytes[head + new_rows..body]);
        old.extend(1u32.to_le_bytes());
        old.extend(&bytes[body + 4..]);
        let Err(err) = mode.decode(&vk, &old) else {
            panic!("{mode:?}: a version-1 file was decoded");
        };
        assert!(
            err.to_string().contains("made by an older ternzk")
                && err.to_string().contains("prove again"),
            "{mode:?}: {err}"
        );
        // The current file still decodes.
        assert!(mode.decode(&vk, &bytes).is_ok(), "{mode:?}");
    }
}

/// The attack of issue 14 on the shipped shape, tried in every mode: a 784-256-256-10
/// model at batch 1 commits its first-layer activations `y` on a 2 × 128 grid, and the
/// public proof's opening vector is `t_j = L_0·y_j + L_1·y_{128+j}` — an affine image
/// of the two grid rows, from which trying the 256 byte values of `y_j` recovers every
/// activation. The attacker looks for any 128 consecutive scalars of the proof that are
/// such an image (`α·y_j + β·y_{128+j} + γ` for all `j`, the coefficients solved from
/// three entries). Found in the public modes (the attack is real); in no
/// zero-knowledge mode.
#[test]
fn the_activations_are_an_affine_image_only_in_public_proofs() {
    let model = Model::new(&[784, 256, 256, 10], 1.0 / 16.0, &[12, 12], 31);
    let x = inputs(784, 1, 32);
    // The first layer's activations, by the integer rule.
    let w = &model.weights[0];
    let y: Vec<F> = (0..w.n_out)
        .map(|i| {
            let z: i64 = model.bias[0][i] as i64
                + (0..w.n_in)
                    .map(|j| w.get(i, j) as i64 * x[j] as i64)
                    .sum::<i64>();
            F::from(crate::requant::requant(z as i32, model.m[0][i], model.k[0]).2 as u64)
        })
        .collect();
    let distinct: std::collections::HashSet<String> = y.iter().map(|v| v.to_string()).collect();
    assert!(
        distinct.len() > 20,
        "the activations take {} values",
        distinct.len()
    );
    let (row0, row1) = y.split_at(128);
    // Three entries where [y_j, y_{128+j}, 1] are independent, to solve α, β, γ by
    // Cramer's rule.
    let det3 = |m: [[F; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let row = |j: usize| [row0[j], row1[j], F::ONE];
    let (idx, m, inv) = (0..128)
        .flat_map(|a| (a + 1..128).flat_map(move |b| (b + 1..128).map(move |c| [a, b, c])))
        .find_map(|idx| {
            let m = idx.map(row);
            det3(m).inverse().map(|inv| (idx, m, inv))
        })
        .expect("three independent entries");
    let solve = |w: &[F]| -> [F; 3] {
        let rhs = idx.map(|j| w[j]);
        std::array::from_fn(|k| {
            let mut n = m;
            for r in 0..3 {
                n[r][k] = rhs[r];
            }
            det3(n) * inv
        })
    };
    let leaks = |scalars: &[F]| {
        scalars.windows(128).any(|w| {
            let [a, b, c] = solve(w);
            (a, b) != (F::ZERO, F::ZERO) && (0..128).all(|j| w[j] == a * row0[j] + b * row1[j] + c)
        })
    };
    for mode in Mode::ALL {
        let vk = mode.key(&model);
        let mut f = mode.prove(&model, &vk, &x, 1, 33);
        let scalars: Vec<F> = f.proof.scalars_mut().into_iter().map(|v| *v).collect();
        let public = matches!(mode, Mode::Public | Mode::CommittedInput);
        assert_eq!(
            leaks(&scalars),
            public,
            "{mode:?}: the attack {}",
            if public {
                "failed on a public proof"
            } else {
                "recovered the activations"
            }
        );
    }
}
