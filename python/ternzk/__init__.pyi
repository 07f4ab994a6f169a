from ._ternzk import (
    CompiledModel as CompiledModel,
    Proof as Proof,
    ProverSecret as ProverSecret,
    VerificationError as VerificationError,
    Verified as Verified,
    VerifyingKey as VerifyingKey,
    __version__ as __version__,
    compile as compile,
    load as load,
    simd_path as simd_path,
    verify as verify,
)
from typing import Any, Mapping

import numpy as np

def from_sklearn(clf: Any) -> Mapping[str, np.ndarray]:
    """The weights of a fitted scikit-learn MLPClassifier as compile's source."""
