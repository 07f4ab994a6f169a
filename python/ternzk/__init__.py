"""ternzk: compile dense MLPs to sparse ternary models and prove their outputs.

The Rust crates of the ternzk repository do the work; this package converts numpy
arrays, paths and bytes. Files are interchangeable with the ``ternzk`` command's:
a model from :meth:`CompiledModel.save` is a ``ternzk compile`` output, a key from
:meth:`VerifyingKey.save` a ``ternzk commit`` output, a proof from :meth:`Proof.save`
a ``ternzk prove`` output, and the other way round.

Typical use::

    import ternzk
    model = ternzk.compile(ternzk.from_sklearn(clf), density="1/4",
                           calib=x_train, eval=(x_test, y_test))
    key, _ = model.commit()
    proof = model.prove(x_test[:8], key)
    result = ternzk.verify(key, proof)      # raises ternzk.VerificationError
    print(result.classes)

``prove(private_input=True)`` makes the zero-knowledge proof: the input and every
activation stay hidden, the model and the logits are public. ``commit(hiding=True)``
returns a hiding key and its :class:`ProverSecret`; ``prove(x, key, secret=secret)``
then hides the model (weights, biases, multipliers) too — and the input with
``private_input=True`` (see :meth:`CompiledModel.prove` and docs/protocol.md, "What is
hidden"). Keep the secret: proving against the key needs it.
"""

from ._ternzk import (
    CompiledModel,
    Proof,
    ProverSecret,
    VerificationError,
    Verified,
    VerifyingKey,
    __version__,
    compile,
    load,
    simd_path,
    verify,
)

__all__ = [
    "CompiledModel",
    "Proof",
    "ProverSecret",
    "VerificationError",
    "Verified",
    "VerifyingKey",
    "__version__",
    "compile",
    "from_sklearn",
    "load",
    "simd_path",
    "verify",
]


def from_sklearn(clf):
    """The weights of a fitted scikit-learn ``MLPClassifier`` as ``compile``'s source.

    Returns a dict ``{"layers.0.weight": W0, "layers.0.bias": b0, ...}`` in PyTorch's
    ``nn.Linear`` layout (``W`` is ``[out, in]``: the transpose of ``coefs_[i]``).
    The hidden activation must be ReLU (ternzk compiles ReLU MLPs). The output layer
    becomes the logits: ``argmax`` of them is the classifier's prediction, and for a
    binary classifier (one output unit) class 1 is a positive logit — as scikit-learn's
    logistic output above 0.5.

    Raises ``ValueError`` for an unfitted model or another activation.
    """
    coefs = getattr(clf, "coefs_", None)
    intercepts = getattr(clf, "intercepts_", None)
    if coefs is None or intercepts is None:
        raise ValueError(
            "from_sklearn needs a fitted MLPClassifier (with coefs_ and intercepts_)"
        )
    activation = getattr(clf, "activation", "relu")
    if len(coefs) > 1 and activation != "relu":
        raise ValueError(
            f"ternzk compiles ReLU MLPs; this classifier uses activation={activation!r}"
        )
    if len(coefs) != len(intercepts):
        raise ValueError("coefs_ and intercepts_ have different lengths")
    import numpy as np

    tensors = {}
    for i, (w, b) in enumerate(zip(coefs, intercepts)):
        tensors[f"layers.{i}.weight"] = np.ascontiguousarray(np.asarray(w).T)
        tensors[f"layers.{i}.bias"] = np.asarray(b)
    return tensors
