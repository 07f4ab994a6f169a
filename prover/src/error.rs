//! Errors returned by provers and verifiers. Verifiers never panic on bad input: every
//! malformed or false statement ends in one of these.
//!
//! A rejection names the check that failed ([`Check`]), so tests (and the CLI's JSON
//! output) can say which check caught which cheat. Sub-protocols do not know where they
//! are used: the one sumcheck verifier and the final checks it feeds report
//! [`Step::Unnamed`], and the caller names the step with [`Error::in_step`]; a Hyrax
//! opening reports [`Committed::Unnamed`] and the caller names the vector with
//! [`Error::opening_of`].

use std::fmt;
use thiserror::Error;

/// Why a proof was rejected or could not be produced.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// The proof or key bytes are not well formed (wrong length, bad encoding, trailing
    /// data, a vector of the wrong size for the statement).
    #[error("malformed input: {0}")]
    Malformed(String),
    /// The proof is well formed but a verifier check failed; the [`Check`] names it.
    #[error("proof rejected: {0}")]
    Rejected(Check),
    /// The inputs to the prover are inconsistent (shapes, values out of range).
    #[error("invalid statement: {0}")]
    Invalid(String),
}

/// The protocol step a sumcheck (and its final check) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Not yet named: what a sub-protocol reports before its caller calls
    /// [`Error::in_step`].
    Unnamed,
    /// The linear-layer reduction of layer `layer` (the single-layer proof is layer 0).
    Linear {
        /// Index of the linear layer, input side first.
        layer: usize,
    },
    /// Layer `layer` of LogUp's witness-side fraction-tree GKR (0 = the roots' layer).
    LogupLayer {
        /// Index of the fraction-tree layer, root first.
        layer: usize,
    },
    /// LogUp's table-side sumcheck of table `table` (`Σ m·1/(β − T)`).
    LogupTable {
        /// Index of the distinct table.
        table: usize,
    },
    /// Phase `phase` (1: the left input, 2: the right input) of layer `layer` of the
    /// dense-GKR baseline.
    GkrLayer {
        /// Index of the circuit layer, output first.
        layer: usize,
        /// 1 or 2.
        phase: u8,
    },
}

/// The committed vector a Hyrax opening was checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Committed {
    /// Not yet named: what the Hyrax verifier reports before its caller calls
    /// [`Error::opening_of`].
    Unnamed,
    /// The weight matrix of linear layer `layer` (combined with the row weights).
    Weights {
        /// Index of the linear layer.
        layer: usize,
    },
    /// LogUp's multiplicity vector of table `table`.
    Multiplicities {
        /// Index of the distinct table.
        table: usize,
    },
    /// The MLP's committed witness vectors (and committed input) opened at one point.
    Witness,
    /// The hidden bias of linear layer `layer` (a hiding model key's).
    Bias {
        /// Index of the linear layer.
        layer: usize,
    },
    /// The hidden requantization multipliers of layer `layer` (a hiding model key's).
    Multipliers {
        /// Index of the layer.
        layer: usize,
    },
}

/// The verifier check that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Round `round` of a zero-knowledge sumcheck: its inner proof failed `cause`.
    SumcheckRound {
        /// The step the sumcheck belongs to.
        step: Step,
        /// Index of the round (0 first).
        round: usize,
        /// The inner check that failed.
        cause: Box<Check>,
    },
    /// The claim a sumcheck left differs from the value the openings imply.
    SumcheckFinal {
        /// The step the sumcheck belongs to.
        step: Step,
    },
    /// A Hyrax opening vector does not match its commitment.
    Opening {
        /// The committed vector.
        what: Committed,
    },
    /// The value read from a (correct) opening differs from the claim it should close.
    OpenedValue,
    /// A commitment in the proof has a grid other than the one the statement implies.
    CommitmentShape {
        /// The committed vector.
        what: Committed,
    },
    /// LogUp: the random `β` equals a looked-up value (a root denominator is zero).
    LogupZeroDenominator {
        /// Index of the lookup instance.
        instance: usize,
    },
    /// LogUp: the witness-side roots do not sum to the table's claimed sum.
    LogupRoot {
        /// Index of the distinct table.
        table: usize,
    },
    /// LogUp: a leaf numerator of instance `instance` is not 1.
    LogupLeafNumerator {
        /// Index of the lookup instance.
        instance: usize,
    },
    /// LogUp: a leaf denominator of instance `instance` is not `β − fold(columns)`.
    LogupLeafDenominator {
        /// Index of the lookup instance.
        instance: usize,
    },
    /// LogUp's table side: the random `β` equals a table value.
    LogupTableSide,
    /// MLP: the lookups of one hidden layer were reduced to different points.
    LookupPoints {
        /// Index of the hidden layer.
        layer: usize,
    },
    /// MLP: the shifted top limb's claim is not the top limb's plus the shift.
    ShiftedLimb {
        /// Index of the hidden layer.
        layer: usize,
    },
    /// The claim left on the input differs from the public (or baseline) input.
    InputClaim,
    /// The proof was made for another model (the verifying-key digest differs).
    ModelDigest,
    /// The Σ-proof that two commitments hide one value failed.
    Equality,
    /// The Σ-proof that a commitment hides the product of two others failed its check.
    Product {
        /// Which of the three checks.
        which: ProductCheck,
    },
    /// The Σ-proof that a commitment hides a weighted sum of products of others failed.
    SumProduct,
    /// The zero-knowledge dot-product proof failed its check.
    DotProduct {
        /// Which of the two checks.
        which: DotProductCheck,
    },
    /// The masked sumcheck's closing inner-product proof failed `0`.
    MaskedClosing(Box<Check>),
    /// A hiding Hyrax evaluation's inner-product proof failed `0`.
    HidingEvaluation(Box<Check>),
    /// Hiding model key: a padding row of layer `layer`'s commitment is not the
    /// identity (a nonzero weight, bias or multiplier outside the matrix).
    KeyPadding {
        /// Index of the layer.
        layer: usize,
        /// Which commitment.
        what: KeyPart,
    },
    /// Hiding model key: layer `layer`'s proof that its weights are in `{−1, 0, 1}`
    /// failed `cause`.
    KeyTernary {
        /// Index of the layer.
        layer: usize,
        /// The inner check that failed.
        cause: Box<Check>,
    },
}

/// The committed vectors of one layer of a hiding model key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPart {
    /// The weight matrix.
    Weights,
    /// The bias.
    Bias,
    /// The requantization multipliers.
    Multipliers,
}

/// The three checks of the Σ-proof of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductCheck {
    /// The opening of the first factor's commitment.
    FirstOpening,
    /// The opening of the second factor's commitment.
    SecondOpening,
    /// The product relation against the third commitment.
    Relation,
}

/// The two checks of the zero-knowledge dot-product proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DotProductCheck {
    /// The committed vector's response against its commitment.
    Vector,
    /// The inner product against the committed result.
    Result,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Unnamed => write!(f, "a sumcheck"),
            Step::Linear { layer } => write!(f, "linear layer {layer}"),
            Step::LogupLayer { layer } => write!(f, "LogUp layer {layer}"),
            Step::LogupTable { table } => write!(f, "LogUp table {table}"),
            Step::GkrLayer { layer, phase } => write!(f, "GKR layer {layer}, phase {phase}"),
        }
    }
}

impl fmt::Display for Committed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Committed::Unnamed => write!(f, "the commitment"),
            Committed::Weights { layer } => write!(f, "the weights of layer {layer}"),
            Committed::Multiplicities { table } => {
                write!(f, "the multiplicities of LogUp table {table}")
            }
            Committed::Witness => write!(f, "the witness commitments"),
            Committed::Bias { layer } => write!(f, "the hidden bias of layer {layer}"),
            Committed::Multipliers { layer } => {
                write!(f, "the hidden multipliers of layer {layer}")
            }
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Check::SumcheckRound { step, round, cause } => {
                write!(f, "{step}: sumcheck round {round}: {cause}")
            }
            Check::SumcheckFinal { step } => write!(f, "{step}: sumcheck final check"),
            Check::Opening { what } => {
                write!(f, "opening vector does not match {what}")
            }
            Check::OpenedValue => write!(f, "opened value differs from the claim"),
            Check::CommitmentShape { what } => write!(f, "grid of {what}"),
            Check::LogupZeroDenominator { instance } => write!(
                f,
                "LogUp instance {instance}: β equals a looked-up value (zero denominator)"
            ),
            Check::LogupRoot { table } => {
                write!(
                    f,
                    "LogUp identity of table {table}: witness sum ≠ table sum"
                )
            }
            Check::LogupLeafNumerator { instance } => {
                write!(
                    f,
                    "LogUp instance {instance}: leaf numerators are not all 1"
                )
            }
            Check::LogupLeafDenominator { instance } => write!(
                f,
                "LogUp instance {instance}: leaf denominators do not match the column claims"
            ),
            Check::LogupTableSide => write!(f, "LogUp: β equals a table value"),
            Check::LookupPoints { layer } => {
                write!(f, "hidden layer {layer}: lookup points differ")
            }
            Check::ShiftedLimb { layer } => write!(
                f,
                "hidden layer {layer}: the shifted top limb does not match the top limb"
            ),
            Check::InputClaim => write!(f, "the input claim does not match the input"),
            Check::ModelDigest => write!(
                f,
                "the proof was made for another model (verifying-key digest differs)"
            ),
            Check::Equality => write!(f, "equality proof: z·h ≠ α + c·(C1 − C2)"),
            Check::Product { which } => write!(f, "product proof: {which:?} check"),
            Check::SumProduct => write!(f, "sum-of-products proof failed"),
            Check::DotProduct { which } => write!(f, "dot-product proof: {which:?} check"),
            Check::MaskedClosing(c) => write!(f, "masked sumcheck closing: {c}"),
            Check::HidingEvaluation(c) => write!(f, "hiding evaluation: {c}"),
            Check::KeyPadding { layer, what } => write!(
                f,
                "hiding key, layer {layer}: a padding row of the {what:?} commitment is not zero"
            ),
            Check::KeyTernary { layer, cause } => write!(
                f,
                "hiding key, layer {layer}: the proof that every weight is in {{-1, 0, 1}} failed: {cause}"
            ),
        }
    }
}

impl Check {
    /// A short stable name of the check's kind (the variant's name), e.g. for the CLI's
    /// JSON output. Cost: O(1).
    pub fn name(&self) -> &'static str {
        match self {
            Check::SumcheckRound { .. } => "SumcheckRound",
            Check::SumcheckFinal { .. } => "SumcheckFinal",
            Check::Opening { .. } => "Opening",
            Check::OpenedValue => "OpenedValue",
            Check::CommitmentShape { .. } => "CommitmentShape",
            Check::LogupZeroDenominator { .. } => "LogupZeroDenominator",
            Check::LogupRoot { .. } => "LogupRoot",
            Check::LogupLeafNumerator { .. } => "LogupLeafNumerator",
            Check::LogupLeafDenominator { .. } => "LogupLeafDenominator",
            Check::LogupTableSide => "LogupTableSide",
            Check::LookupPoints { .. } => "LookupPoints",
            Check::ShiftedLimb { .. } => "ShiftedLimb",
            Check::InputClaim => "InputClaim",
            Check::ModelDigest => "ModelDigest",
            Check::Equality => "Equality",
            Check::Product { .. } => "Product",
            Check::SumProduct => "SumProduct",
            Check::DotProduct { .. } => "DotProduct",
            Check::MaskedClosing(_) => "MaskedClosing",
            Check::HidingEvaluation(_) => "HidingEvaluation",
            Check::KeyPadding { .. } => "KeyPadding",
            Check::KeyTernary { .. } => "KeyTernary",
        }
    }
}

impl Error {
    /// Names the step of an unnamed sumcheck check (round or final) as `step`, and
    /// prefixes a malformed-input message with it; other errors are returned unchanged.
    /// Cost: O(1) (O(message) for `Malformed`).
    pub fn in_step(self, step: Step) -> Self {
        match self {
            Error::Rejected(Check::SumcheckFinal {
                step: Step::Unnamed,
            }) => Error::Rejected(Check::SumcheckFinal { step }),
            Error::Rejected(Check::SumcheckRound {
                step: Step::Unnamed,
                round,
                cause,
            }) => Error::Rejected(Check::SumcheckRound { step, round, cause }),
            Error::Malformed(m) => Error::Malformed(format!("{step}: {m}")),
            e => e,
        }
    }

    /// Names the committed vector of an unnamed opening check as `what`; other errors are
    /// returned unchanged. Cost: O(1).
    pub fn opening_of(self, what: Committed) -> Self {
        match self {
            Error::Rejected(Check::Opening {
                what: Committed::Unnamed,
            }) => Error::Rejected(Check::Opening { what }),
            e => e,
        }
    }

    /// The failed check, if this is a rejection. Cost: O(1).
    pub fn check(&self) -> Option<&Check> {
        match self {
            Error::Rejected(c) => Some(c),
            _ => None,
        }
    }
}

/// Shorthand used across the crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Returns `Err(Error::Rejected(check))` unless `cond` holds.
pub fn ensure(cond: bool, check: Check) -> Result<()> {
    if cond {
        Ok(())
    } else {
        Err(Error::Rejected(check))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_step_names_only_unnamed_sumcheck_checks() {
        let e = Error::Rejected(Check::SumcheckFinal {
            step: Step::Unnamed,
        });
        let named = e.in_step(Step::Linear { layer: 2 });
        assert_eq!(
            named,
            Error::Rejected(Check::SumcheckFinal {
                step: Step::Linear { layer: 2 }
            })
        );
        // Already named: the inner step wins.
        assert_eq!(named.clone().in_step(Step::LogupTable { table: 0 }), named);
        let other = Error::Rejected(Check::InputClaim);
        assert_eq!(other.clone().in_step(Step::Linear { layer: 0 }), other);
        assert_eq!(
            Error::Malformed("x".into()).in_step(Step::LogupLayer { layer: 3 }),
            Error::Malformed("LogUp layer 3: x".into())
        );
        assert_eq!(
            named.to_string(),
            "proof rejected: linear layer 2: sumcheck final check"
        );
    }

    #[test]
    fn opening_of_names_only_unnamed_openings() {
        let e = Error::Rejected(Check::Opening {
            what: Committed::Unnamed,
        })
        .opening_of(Committed::Weights { layer: 1 });
        assert_eq!(
            e.check(),
            Some(&Check::Opening {
                what: Committed::Weights { layer: 1 }
            })
        );
        assert_eq!(e.check().map(Check::name), Some("Opening"));
        assert_eq!(Error::Invalid("s".into()).check(), None);
    }
}
