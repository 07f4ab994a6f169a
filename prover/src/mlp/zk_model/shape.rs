//! The hidden-model proof's dimensions: the skeleton a key, a batch size and an
//! input form imply (what decoding fills), and the verifier's shape check.

use super::*;

/// Every dimension of the statement and proof against the layout and the key.
pub(super) fn check_shapes(
    key: &HidingKey,
    lay: &Layout,
    st: &Statement,
    proof: &PrivateModelProof,
) -> crate::Result<()> {
    let bad = |what: &str| {
        Err(Error::Malformed(format!(
            "private-model proof shape: {what}"
        )))
    };
    let skeleton = PrivateModelProof::skeleton_hidden(key, st.batch, &st.input)?;
    let n_out = key.layers.last().map_or(0, |l| l.n_out);
    if st.output.len() != st.batch * n_out {
        return bad("output length");
    }
    match (&st.input, lay.input_vars) {
        (PublicInput::Committed(c), Some(v)) if crate::mlp::on_zk_grid(c, v) => {}
        (PublicInput::Clear(x), None) if x.len() == st.batch * key.layers[0].n_in => {}
        _ => return bad("input"),
    }
    if proof.witness.len() != skeleton.witness.len()
        || proof.witness.iter().zip(&skeleton.witness).any(|(w, s)| {
            w.len() != s.len()
                || w.iter().zip(s).any(|(a, b)| {
                    (a.row_vars, a.col_vars, a.rows.len()) != (b.row_vars, b.col_vars, b.rows.len())
                })
        })
    {
        return bad("witness commitments");
    }
    if proof.shifted.len() != skeleton.shifted.len() {
        return bad("shifted-limb proofs");
    }
    if proof.openings.len() != skeleton.openings.len() {
        return bad("openings");
    }
    if proof.steps.len() != skeleton.steps.len()
        || proof.steps.iter().zip(&skeleton.steps).any(|(a, b)| {
            a.rows.is_some() != b.rows.is_some()
                || a.input.is_some() != b.input.is_some()
                || a.key_openings.len() != b.key_openings.len()
        })
    {
        return bad("linear steps");
    }
    Ok(())
}

impl PrivateModelProof {
    /// A placeholder proof of the dimensions a hidden model's key, the batch size and
    /// the input's form imply (decoding fills it). Cost: O(proof size).
    pub fn skeleton_hidden(
        key: &HidingKey,
        batch: usize,
        input: &PublicInput,
    ) -> crate::Result<Self> {
        let shapes = hidden_shapes(key);
        let checks = key.checks();
        let committed = matches!(input, PublicInput::Committed(_));
        let lay = Layout::from_shapes(&shapes, batch, committed, &checks)?;
        let zero = GAffine::default();
        let dot = |n: usize| DotProductProof {
            points: [zero; 2],
            z: vec![F::ZERO; n],
            z_delta: F::ZERO,
            z_beta: F::ZERO,
        };
        let product = || ProductProof {
            points: [zero; 3],
            responses: [F::ZERO; 5],
        };
        let n_layers = key.layers.len();
        let steps = key
            .layers
            .iter()
            .enumerate()
            .map(|(l, kl)| {
                let (a, b) = (log2_ceil(kl.n_out), log2_ceil(kl.n_in));
                let hidden = l + 1 < n_layers;
                let mut key_openings = vec![dot(kl.n_in), dot(1 << vector_grid(kl.n_out).1)];
                if hidden {
                    key_openings.push(dot(1 << vector_grid(kl.n_out).1));
                }
                HiddenStep {
                    rows: hidden.then(|| RowStep {
                        sumcheck: ZkSumcheck::skeleton(a, 3),
                        evals: [zero; 3],
                        product: product(),
                    }),
                    bias_eval: zero,
                    sumcheck: ZkSumcheck::skeleton(b, 2),
                    weight_eval: zero,
                    input: (l > 0 || committed).then(|| ([zero; 2], product())),
                    key_openings,
                }
            })
            .collect();
        ZkMlpProof::front_skeleton(&lay, checks, steps)
    }
}
