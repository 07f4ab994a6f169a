#!/usr/bin/env python3
"""Write dense MLPs as ONNX graphs, the way `torch.onnx.export` lays them out, with
the reference `onnx` package (onnx.helper; no torch needed).

  python3 export_onnx.py SRC.safetensors OUT.onnx [--matmul]
      The MLP of SRC (PyTorch nn.Linear tensors `<prefix>.weight` [out, in] and
      `<prefix>.bias`, prefixes in natural order) as
      Flatten -> Gemm(transB=1) -> Relu -> ... -> Gemm, initializers named like
      torch's (`fc1.weight`, `fc1.bias`). --matmul writes each layer as
      MatMul(x, W^T) + Add(b) instead (torch's layout for Linear on 3-D inputs).

  python3 export_onnx.py --fixtures DIR
      Small test fixtures (committed under models/fixtures/onnx/):
        tiny.safetensors, tiny-gemm.onnx, tiny-matmul.onnx   one 12-8-6-3 MLP
          (Identity and Dropout nodes included in the ONNX graphs)
        bad-sigmoid.onnx   a Sigmoid activation (unsupported operator)
        bad-conv.onnx      a Conv layer (unsupported operator)
        bad-branch.onnx    a skip connection (not an MLP)
        bad-final-relu.onnx  a Relu after the last layer (not an MLP for ternzk)

Requires: pip install onnx numpy safetensors
"""
import os
import re
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file, save_file


def natural_key(s):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]


def layers_of(tensors):
    prefixes = sorted({k[: -len(".weight")] for k in tensors if k.endswith(".weight")},
                      key=natural_key)
    return [(p, tensors[p + ".weight"].astype(np.float32),
             tensors.get(p + ".bias", np.zeros(tensors[p + ".weight"].shape[0])).astype(np.float32))
            for p in prefixes]


def mlp_graph(layers, matmul=False, extra_nodes=(), passthrough=False, name="mlp"):
    """ONNX model of an MLP. `extra_nodes(last_output) -> (nodes, new_output, inits)`."""
    n_in = layers[0][1].shape[1]
    nodes = [helper.make_node("Flatten", ["input"], ["/Flatten_output_0"], name="/Flatten", axis=1)]
    inits = []
    cur = "/Flatten_output_0"
    if passthrough:
        nodes.append(helper.make_node("Identity", [cur], ["/id_out"], name="/Identity"))
        cur = "/id_out"
    for i, (p, w, b) in enumerate(layers):
        out = f"/{p}/out"
        if matmul:
            wt = f"onnx::MatMul_{100 + i}"
            inits += [numpy_helper.from_array(np.ascontiguousarray(w.T), wt),
                      numpy_helper.from_array(b, f"{p}.bias")]
            nodes += [helper.make_node("MatMul", [cur, wt], [f"/{p}/MatMul_output_0"], name=f"/{p}/MatMul"),
                      helper.make_node("Add", [f"{p}.bias", f"/{p}/MatMul_output_0"], [out], name=f"/{p}/Add")]
        else:
            inits += [numpy_helper.from_array(w, f"{p}.weight"),
                      numpy_helper.from_array(b, f"{p}.bias")]
            nodes.append(helper.make_node("Gemm", [cur, f"{p}.weight", f"{p}.bias"], [out],
                                          name=f"/{p}/Gemm", alpha=1.0, beta=1.0, transB=1))
        cur = out
        if i + 1 < len(layers):
            nodes.append(helper.make_node("Relu", [cur], [f"/relu{i}/out"], name=f"/relu{i}/Relu"))
            cur = f"/relu{i}/out"
            if passthrough:
                nodes.append(helper.make_node("Dropout", [cur], [f"/drop{i}/out"], name=f"/drop{i}/Dropout"))
                cur = f"/drop{i}/out"
    for make in extra_nodes:
        more, cur, more_inits = make(cur)
        nodes += more
        inits += more_inits
    n_out = layers[-1][1].shape[0]
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", n_in])],
        [helper.make_tensor_value_info(cur, TensorProto.FLOAT, ["batch", n_out])],
        initializer=inits)
    model = helper.make_model(graph, producer_name="ternzk export_onnx.py",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def fixtures(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(15)
    dims = [12, 8, 6, 3]
    tensors = {}
    for i in range(3):
        tensors[f"fc{i + 1}.weight"] = rng.normal(0, 0.5, (dims[i + 1], dims[i])).astype(np.float32)
        tensors[f"fc{i + 1}.bias"] = rng.normal(0, 0.1, dims[i + 1]).astype(np.float32)
    save_file(tensors, os.path.join(out_dir, "tiny.safetensors"))
    layers = layers_of(tensors)
    onnx.save(mlp_graph(layers, passthrough=True), os.path.join(out_dir, "tiny-gemm.onnx"))
    onnx.save(mlp_graph(layers, matmul=True, passthrough=True), os.path.join(out_dir, "tiny-matmul.onnx"))

    def sigmoid(cur):
        return [helper.make_node("Sigmoid", [cur], ["/act/out"], name="/act/Sigmoid")], "/act/out", []

    def conv(cur):
        w = numpy_helper.from_array(np.ones((1, 1, 1), np.float32), "conv.weight")
        return [helper.make_node("Conv", [cur, "conv.weight"], ["/conv/out"], name="/conv/Conv")], "/conv/out", [w]

    def branch(cur):
        # y + x: a residual connection back to the flattened input (not a chain).
        return [helper.make_node("Add", [cur, "/Flatten_output_0"], ["/skip/out"], name="/skip/Add")], "/skip/out", []

    def relu(cur):
        return [helper.make_node("Relu", [cur], ["/final/out"], name="/final/Relu")], "/final/out", []

    square = layers_of({"fc1.weight": tensors["fc1.weight"][:, :12], "fc1.bias": tensors["fc1.bias"],
                        "fc2.weight": rng.normal(0, 0.5, (12, 8)).astype(np.float32)})
    for fname, make, ls in [("bad-sigmoid.onnx", sigmoid, layers), ("bad-conv.onnx", conv, layers),
                            ("bad-branch.onnx", branch, square), ("bad-final-relu.onnx", relu, layers)]:
        m = mlp_graph(ls, extra_nodes=[make], name=fname[:-5])
        onnx.save(m, os.path.join(out_dir, fname))


def main(argv):
    if len(argv) == 2 and argv[0] == "--fixtures":
        fixtures(argv[1])
        return
    if len(argv) not in (2, 3) or (len(argv) == 3 and argv[2] != "--matmul"):
        sys.exit(__doc__)
    model = mlp_graph(layers_of(load_file(argv[0])), matmul=len(argv) == 3)
    onnx.save(model, argv[1])
    print(argv[1], os.path.getsize(argv[1]), "bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
