"""Type stubs of the extension module (re-exported by ``ternzk``)."""

import os
from typing import Any, Literal, Mapping, Optional, Sequence, Tuple, Union, overload

import numpy as np
import numpy.typing as npt

__version__: str

PathLike = Union[str, "os.PathLike[str]"]
ArrayLike = npt.ArrayLike

class VerificationError(Exception):
    """A proof was rejected (bytes that do not decode, another model's proof, or a
    failed check, named in the message)."""

class CompiledModel:
    """A compiled sparse ternary MLP with its accuracy report."""

    @property
    def n_in(self) -> int: ...
    @property
    def n_out(self) -> int: ...
    @property
    def shape(self) -> list[int]:
        """Layer widths, input first."""
    @property
    def nnz(self) -> int: ...
    @property
    def params(self) -> int: ...
    @property
    def density(self) -> float:
        """nnz / params."""
    @property
    def density_requested(self) -> list[float]: ...
    @property
    def input_quant(self) -> str:
        """"pixel" or "per-feature"."""
    @property
    def calibration(self) -> str: ...
    @property
    def accuracy_dense(self) -> Optional[float]: ...
    @property
    def accuracy_compiled(self) -> Optional[float]: ...
    @property
    def eval_samples(self) -> int: ...
    @property
    def eval_data(self) -> Optional[str]: ...
    @property
    def compile_seconds(self) -> Optional[float]: ...
    def predict(self, x: ArrayLike) -> npt.NDArray[np.int64]:
        """Classes of one input (1-D) or a batch (2-D)."""
    def logits(self, x: ArrayLike) -> npt.NDArray[np.float64]:
        """Real-valued logits, [batch, n_out]."""
    def evaluate(self, x: ArrayLike, y: ArrayLike) -> float:
        """Top-1 accuracy on inputs x and labels y."""
    def save(self, path: PathLike) -> int:
        """Writes the model (ternzk compile's format); returns the bytes written."""
    @overload
    def commit(self, hiding: Literal[False] = False) -> Tuple["VerifyingKey", None]: ...
    @overload
    def commit(self, hiding: Literal[True]) -> Tuple["VerifyingKey", "ProverSecret"]: ...
    @overload
    def commit(
        self, hiding: bool
    ) -> Tuple["VerifyingKey", Optional["ProverSecret"]]:
        """(public key, None), or with hiding=True (hiding key, its ProverSecret):
        the private-model key, whose secret the prover must keep."""
    def prove(
        self,
        x: ArrayLike,
        key: "VerifyingKey",
        private_input: bool = False,
        secret: Optional["ProverSecret"] = None,
    ) -> "Proof":
        """Proves the logits of x (1-D or 2-D). private_input=True: zero-knowledge,
        the input hidden. A hiding key needs secret= and makes the private-model
        proof (the model hidden; with private_input=True, private-both)."""

class VerifyingKey:
    """A committed model's key, public or hiding (ternzk commit's formats)."""

    @property
    def digest(self) -> str: ...
    @property
    def hiding(self) -> bool:
        """True for a hiding (private-model) key."""
    @property
    def n_in(self) -> int: ...
    @property
    def n_out(self) -> int: ...
    @property
    def shape(self) -> list[int]: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> "VerifyingKey": ...
    def save(self, path: PathLike) -> None: ...
    @staticmethod
    def load(path: PathLike) -> "VerifyingKey": ...
    def check(self) -> None:
        """Checks a hiding key's well-formedness proof once (the result is kept);
        raises VerificationError. A public key always passes."""

class ProverSecret:
    """A hiding key's blindings: the prover needs them; keep them private. Never
    part of the key."""

    @property
    def digest(self) -> str:
        """The digest of the hiding key this secret opens."""
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes) -> "ProverSecret": ...
    def save(self, path: PathLike) -> None:
        """Writes the secret file, readable by its owner only."""
    @staticmethod
    def load(path: PathLike) -> "ProverSecret": ...

class Proof:
    """A proof file's bytes, decoded when its key is known."""

    @property
    def batch(self) -> int: ...
    @property
    def mode(self) -> str:
        """"public", "private-input", "private-model" or "private-both"."""
    @property
    def outputs(self) -> npt.NDArray[np.int32]:
        """Integer logits, [batch, n_out] (claimed until verified)."""
    @property
    def classes(self) -> npt.NDArray[np.int64]: ...
    @property
    def logits(self) -> Optional[npt.NDArray[np.float64]]:
        """Real-valued logits (proofs made by CompiledModel.prove, or read with a
        hiding key)."""
    @property
    def inputs(self) -> Optional[npt.NDArray[np.uint8]]:
        """Quantized inputs when the input is in the proof, else None."""
    @property
    def prove_ms(self) -> Optional[float]: ...
    @property
    def nbytes(self) -> int: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes, key: Optional[VerifyingKey] = None) -> "Proof": ...
    def save(self, path: PathLike) -> None: ...
    @staticmethod
    def load(path: PathLike, key: Optional[VerifyingKey] = None) -> "Proof": ...

class Verified:
    """What an accepted proof proves."""

    @property
    def mode(self) -> str:
        """"public", "private-input", "private-model" or "private-both"."""
    @property
    def batch(self) -> int: ...
    @property
    def outputs(self) -> npt.NDArray[np.int32]: ...
    @property
    def classes(self) -> npt.NDArray[np.int64]: ...
    @property
    def logits(self) -> Optional[npt.NDArray[np.float64]]: ...
    @property
    def verify_ms(self) -> float: ...

def compile(
    src: Union[PathLike, Mapping[str, Any]],
    *,
    density: Union[float, str, Sequence[float], None] = None,
    calib: Union[PathLike, ArrayLike, None] = None,
    eval: Union[PathLike, Tuple[ArrayLike, ArrayLike], bool, None] = None,
    support: str = "search",
    per_layer: bool = False,
    global_density: bool = False,
    calib_samples: int = 1000,
    percentile: float = 99.99,
    fit: bool = True,
    layers: Optional[Sequence[str]] = None,
    limit: Optional[int] = None,
    label_column: Optional[str] = None,
) -> CompiledModel:
    """Compiles a dense MLP (a path or a mapping of arrays) into a sparse ternary model."""

def load(path: PathLike) -> CompiledModel:
    """Loads a compiled model (CompiledModel.save or ternzk compile)."""

def verify(
    key: VerifyingKey,
    proof: Union[Proof, bytes],
    model: Optional[CompiledModel] = None,
) -> Verified:
    """Checks a proof (with a hiding key, its well-formedness proof first, once per
    key object); raises VerificationError on rejection."""

def simd_path() -> str: ...
