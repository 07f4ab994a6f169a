//! Every transcript label of the crate's protocols, in one place. The byte values are
//! part of the proof system (they feed every challenge): changing one changes every
//! proof.

/// A sumcheck round message (the round polynomial at `0, 2, …, d`).
pub const SUMCHECK_ROUND: &[u8] = b"sumcheck-round";
/// A sumcheck round's challenge.
pub const SUMCHECK_CHALLENGE: &[u8] = b"sumcheck-challenge";

// ---- linear, mlp ----

/// The verifying key's digest, absorbed first.
pub const VK_DIGEST: &[u8] = b"vk-digest";

/// The number of inputs in the batch.
pub const BATCH: &[u8] = b"batch";

/// The public outputs (logits) of the statement.
pub const OUTPUT: &[u8] = b"output";

/// The challenge point over the batch variables.
pub const BATCH_POINT: &[u8] = b"batch-point";

/// The challenge point over the output rows of the last linear layer.
pub const ROW_POINT: &[u8] = b"row-point";

/// A Hyrax opening vector.
pub const OPENING: &[u8] = b"opening";

// ---- linear ----

/// The public input of a single-layer statement.
pub const INPUT: &[u8] = b"input";

// ---- mlp ----

/// A public MLP input sent in the clear.
pub const INPUT_CLEAR: &[u8] = b"input-clear";

/// A commitment to a private MLP input.
pub const INPUT_COMMITTED: &[u8] = b"input-committed";

/// Each hidden layer's requantization check (mode and width).
pub const REQUANT_CHECK: &[u8] = b"requant-check";

/// A linear step's claimed input evaluation `X̃(r_b, r')`.
pub const INPUT_EVAL: &[u8] = b"input-eval";

/// A linear step's weight opening vector `u = Wᵀ·e`.
pub const WEIGHT_OPENING: &[u8] = b"weight-opening";

/// The challenge combining several vectors opened at one point.
pub const OPENING_LAMBDA: &[u8] = b"opening-lambda";

// ---- hyrax ----

/// A Hyrax commitment's row variables.
pub const HYRAX_ROW_VARS: &[u8] = b"hyrax-row-vars";

/// A Hyrax commitment's column variables.
pub const HYRAX_COL_VARS: &[u8] = b"hyrax-col-vars";

/// A Hyrax commitment's row points.
pub const HYRAX_ROWS: &[u8] = b"hyrax-rows";

// ---- transcript ----

/// The protocol's domain separator, absorbed when a transcript starts.
pub const TERNZK_PROTOCOL: &[u8] = b"ternzk-protocol";

/// Each challenge, absorbed back after it is drawn.
pub const CHALLENGE_OUT: &[u8] = b"challenge-out";

// ---- logup ----

/// LogUp: the challenge folding a row's columns.
pub const LOGUP_GAMMA: &[u8] = b"logup-gamma";

/// LogUp: the challenge of the fractions `1/(β − w)`.
pub const LOGUP_BETA: &[u8] = b"logup-beta";

/// LogUp: the fraction trees' roots.
pub const LOGUP_ROOTS: &[u8] = b"logup-roots";

/// LogUp: each table's sum `Σ m/(β − T)`.
pub const LOGUP_TABLE_SUMS: &[u8] = b"logup-table-sums";

/// LogUp: the challenge batching a layer's instances.
pub const LOGUP_LAYER_LAMBDA: &[u8] = b"logup-layer-lambda";

/// LogUp: a layer's child values.
pub const LOGUP_LAYER_CHILDREN: &[u8] = b"logup-layer-children";

/// LogUp: the challenge joining a layer's two children.
pub const LOGUP_LAYER_MU: &[u8] = b"logup-layer-mu";

/// LogUp: the columns' evaluations at the leaf points.
pub const LOGUP_COLUMN_EVALS: &[u8] = b"logup-column-evals";

/// LogUp: a multiplicity commitment's opening vector.
pub const LOGUP_MULTIPLICITY_OPENING: &[u8] = b"logup-multiplicity-opening";

/// LogUp: its domain separator.
pub const LOGUP_PROTOCOL: &[u8] = b"logup-protocol";

/// LogUp: the instances' tables and lengths.
pub const LOGUP_SHAPES: &[u8] = b"logup-shapes";

// ---- gkr ----

/// Dense GKR: the circuit's digest.
pub const GKR_CIRCUIT: &[u8] = b"gkr-circuit";

/// Dense GKR: the claimed outputs.
pub const GKR_OUTPUT: &[u8] = b"gkr-output";

/// Dense GKR: the challenge point on the output layer.
pub const GKR_OUTPUT_POINT: &[u8] = b"gkr-output-point";

/// Dense GKR: the values sent after phase 1.
pub const GKR_PHASE1_FINAL: &[u8] = b"gkr-phase1-final";

/// Dense GKR: the value sent after phase 2.
pub const GKR_PHASE2_FINAL: &[u8] = b"gkr-phase2-final";

/// Dense GKR: the first challenge combining two claims.
pub const GKR_ALPHA: &[u8] = b"gkr-alpha";

/// Dense GKR: the second challenge combining two claims.
pub const GKR_BETA: &[u8] = b"gkr-beta";

/// The masked sumcheck's mask commitment (`masked_sumcheck.rs`).
pub const ZK_MASK: &[u8] = b"zk-masked-commitment";
/// The masked sumcheck's mask weight `ρ`.
pub const ZK_MASK_RHO: &[u8] = b"zk-masked-rho";
/// The masked claimed sum `c₁ = v + ρ·G`.
pub const ZK_MASKED_SUM: &[u8] = b"zk-masked-sum";
/// The committed sum and final value the closing proof ties together.
pub const ZK_MASK_CLOSE: &[u8] = b"zk-masked-close";
/// The two weights that combine the closing relations.
pub const ZK_MASK_WEIGHTS: &[u8] = b"zk-masked-weights";

/// Zero-knowledge LogUp (`logup/zk.rs`): the mode tag absorbed after the shapes.
pub const ZK_LOGUP: &[u8] = b"zk-logup";
/// Zero-knowledge LogUp: the committed roots `(P, Q)` of the fraction trees.
pub const ZK_LOGUP_ROOTS: &[u8] = b"zk-logup-roots";
/// Zero-knowledge LogUp: the committed table sums `S`.
pub const ZK_LOGUP_TABLE_SUMS: &[u8] = b"zk-logup-table-sums";
/// Zero-knowledge LogUp: one step of a table's root chain (`N·q`, `p·D`, `D·q`).
pub const ZK_LOGUP_ROOT_CHAIN: &[u8] = b"zk-logup-root-chain";
/// Zero-knowledge LogUp: the committed inverse of a table's root denominator.
pub const ZK_LOGUP_INVERSE: &[u8] = b"zk-logup-inverse";
/// Zero-knowledge LogUp: a layer's committed children.
pub const ZK_LOGUP_CHILDREN: &[u8] = b"zk-logup-children";
/// Zero-knowledge LogUp: a layer's committed products of children.
pub const ZK_LOGUP_PRODUCTS: &[u8] = b"zk-logup-products";
/// Zero-knowledge LogUp: the committed column evaluations (columns 1 and 2).
pub const ZK_LOGUP_COLUMN_EVALS: &[u8] = b"zk-logup-column-evals";
/// Zero-knowledge LogUp: the committed multiplicity evaluation of a table.
pub const ZK_LOGUP_MULTIPLICITY_EVAL: &[u8] = b"zk-logup-multiplicity-eval";
/// Zero-knowledge MLP proof (private input): the mode tag absorbed after the statement.
pub const ZK_MLP: &[u8] = b"zk-mlp-private-input";
/// Zero-knowledge MLP proof for a hidden model: the mode tag absorbed after the
/// statement (whose model identity is the hiding key's digest).
pub const ZK_MLP_PRIVATE_MODEL: &[u8] = b"zk-mlp-private-model";
/// Hidden-model step: the committed `M̃(ρ'')`, `z̄̃(ρ'')` and their product.
pub const PRIVATE_MODEL_ROW_EVALS: &[u8] = b"private-model-row-evals";
/// Hidden-model step: the committed bias evaluation `b̃(ρ'')`.
pub const PRIVATE_MODEL_BIAS_EVAL: &[u8] = b"private-model-bias-eval";
/// Hidden-model step: the committed weight evaluation `T̃(ρ'', r')`.
pub const PRIVATE_MODEL_WEIGHT_EVAL: &[u8] = b"private-model-weight-eval";

/// Domain separator of the hiding model key's well-formedness proof (`hiding_key`).
pub const HIDING_KEY_PROTOCOL: &[u8] = b"ternzk/hiding-key/v1";
/// The hiding key's digest, the first thing its well-formedness transcript absorbs.
pub const HIDING_KEY_DIGEST: &[u8] = b"hiding-key-digest";
/// The index of the layer whose weights the next zero-check covers.
pub const HIDING_KEY_LAYER: &[u8] = b"hiding-key-layer";
/// The zero-check point `r` of `Σ_x eq(r, x)·(w(x)³ − w(x)) = 0`.
pub const HIDING_KEY_ZEROCHECK: &[u8] = b"hiding-key-zerocheck-point";
/// The commitments to `w(ρ)`, `w(ρ)²`, `w(ρ)³` at the sumcheck's point.
pub const HIDING_KEY_POWERS: &[u8] = b"hiding-key-weight-powers";
