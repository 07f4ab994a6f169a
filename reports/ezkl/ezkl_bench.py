#!/usr/bin/env python3
"""EZKL side-by-side benchmark for ternzk's MLPs.

Loads a dense MLP (.safetensors, PyTorch nn.Linear layout) and optionally a ternzk
*compiled* ternary model, exports each as an ONNX graph (built with onnx.helper, batch 1,
input [1, 784]), and runs the EZKL Python API on it step by step:

    gen_settings -> calibrate_settings -> compile_circuit -> gen_srs (local, offline)
    -> setup -> gen_witness -> prove -> verify

Every step runs in its own child process, so its wall-clock time and its peak resident
memory (ru_maxrss of that child, via os.wait4) are measured separately. Results are one
JSON object per (model, variant) in a list; a failing step is recorded with its message
instead of aborting the run.

    python3 reports/ezkl/ezkl_bench.py --model models/mlp-784-256-256-10-candle.safetensors \
        --ternary-compiled /tmp/m16.safetensors --name mlp-784-256-256-10 --out results.json

Written against ezkl 23.0.5 (see requirements.txt): all the calls used are synchronous
there; a call returning an awaitable is awaited anyway, for older/newer releases.
"""
import argparse
import gzip
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
N_IN = 784
HEAD_NAMES = ("classifier", "head", "lm_head", "out", "output", "fc_out")
STEPS = ("import", "gen_settings", "calibrate_settings", "compile_circuit", "gen_srs",
         "setup", "gen_witness", "prove", "verify")


# --------------------------------------------------------------------------- models

def natural_key(s):
    """Digit runs compare as numbers: fc2 < fc10, layers.2 < layers.10."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", s) if t]


def layer_order_key(prefix):
    # Same rule as the ternzk compiler (docs/formats.md): natural sort, but the
    # conventional head names come last.
    last = prefix.rsplit(".", 1)[-1]
    return (1 if prefix in HEAD_NAMES or last in HEAD_NAMES else 0, natural_key(prefix))


def load_dense(path):
    """[(W [out,in] f32, b [out] f32)] in evaluation order."""
    from safetensors.numpy import load_file
    t = load_file(path)
    prefixes = set()
    for name in t:
        if name.endswith(".weight"):
            prefixes.add(name[: -len(".weight")])
        elif not name.endswith(".bias"):
            raise ValueError(f"{path}: tensor {name!r} is neither *.weight nor *.bias")
    layers = []
    for p in sorted(prefixes, key=layer_order_key):
        w = np.asarray(t[p + ".weight"], dtype=np.float32)
        if w.ndim != 2:
            raise ValueError(f"{path}: {p}.weight is not 2-D: {w.shape}")
        b = t.get(p + ".bias")
        b = np.zeros(w.shape[0], np.float32) if b is None else np.asarray(b, np.float32)
        if b.shape != (w.shape[0],):
            raise ValueError(f"{path}: {p}.bias has shape {b.shape}, expected ({w.shape[0]},)")
        if layers and layers[-1][1].shape[0] != w.shape[1]:
            raise ValueError(f"{path}: layer {p} input {w.shape[1]} does not chain "
                             f"with previous output {layers[-1][1].shape[0]}")
        layers.append((p, w, b))
    if not layers:
        raise ValueError(f"{path}: no *.weight tensors")
    if layers[0][1].shape[1] != N_IN:
        raise ValueError(f"{path}: first layer takes {layers[0][1].shape[1]} inputs, not {N_IN}")
    return layers


def load_ternary(path):
    """Compiled ternzk model -> list of dicts with dense T in {-1,0,1}, bias, k, m, relu."""
    from safetensors import safe_open
    with safe_open(path, "numpy") as f:
        meta = f.metadata() or {}
        tensors = {k: f.get_tensor(k) for k in f.keys()}
    if meta.get("format") != "ternzk-compiled":
        raise ValueError(f"{path}: header format is {meta.get('format')!r}, not ternzk-compiled")
    doc = json.loads(meta["ternzk"])
    layers = []
    n_in = doc["input"]["n"]
    for i, L in enumerate(doc["layers"]):
        indptr = tensors[f"layers.{i}.indptr"].astype(np.int64)
        split = tensors[f"layers.{i}.split"].astype(np.int64)
        indices = tensors[f"layers.{i}.indices"].astype(np.int64)
        bias = tensors[f"layers.{i}.bias"].astype(np.int64)
        n_out = len(indptr) - 1
        assert n_in == L["n_in"] and n_out == L["n_out"], (i, n_in, n_out, L["n_in"], L["n_out"])
        T = np.zeros((n_out, n_in), dtype=np.int8)
        for r in range(n_out):
            T[r, indices[indptr[r]:split[r]]] = 1
            T[r, indices[split[r]:indptr[r + 1]]] = -1
        assert int(np.abs(T).sum()) == int(indptr[-1]), f"layer {i}: duplicate column in a row"
        m = np.asarray(L["m"], dtype=np.int64)
        if L["relu"]:
            assert len(m) == n_out, f"layer {i}: {len(m)} multipliers for {n_out} rows"
        layers.append({"name": L.get("name", f"layers.{i}"), "T": T, "bias": bias,
                       "relu": bool(L["relu"]), "k": int(L["k"]), "m": m})
        n_in = n_out
    if layers[0]["T"].shape[1] != N_IN:
        raise ValueError(f"{path}: input size {layers[0]['T'].shape[1]}, not {N_IN}")
    return layers, doc


def dense_forward(layers, x):
    h = np.asarray(x, np.float64)
    for i, (_, w, b) in enumerate(layers):
        h = h @ w.T.astype(np.float64) + b
        if i < len(layers) - 1:
            h = np.maximum(h, 0)
    return h


def ternary_float_forward(layers, x):
    """What the exported ONNX graph computes (floats, no rounding)."""
    h = np.asarray(x, np.float64)
    for L in layers:
        h = h @ L["T"].T.astype(np.float64) + L["bias"]
        if L["relu"]:
            h = np.clip(np.maximum(h * (L["m"] / 2.0 ** L["k"]), 0), 0, 255)
    return h


def ternary_int_forward(layers, x):
    """ternzk's bit-exact integer semantics (docs/formats.md), for reference."""
    a = np.asarray(x, np.int64)
    for L in layers:
        z = a @ L["T"].T.astype(np.int64) + L["bias"]
        if L["relu"]:
            t = z * L["m"] + (1 << (L["k"] - 1))
            a = np.clip(t >> L["k"], 0, 255)
        else:
            a = z
    return a


# --------------------------------------------------------------------------- ONNX

ONNX_OPSET = 13
ONNX_IR_VERSION = 8


def _make_model(nodes, inits, n_out, name):
    from onnx import TensorProto, checker, helper
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, N_IN])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, n_out])],
        initializer=inits)
    model = helper.make_model(graph, producer_name="ternzk-ezkl-bench",
                              opset_imports=[helper.make_opsetid("", ONNX_OPSET)])
    model.ir_version = ONNX_IR_VERSION
    checker.check_model(model)
    return model


def _f32(name, arr):
    from onnx import numpy_helper
    return numpy_helper.from_array(np.ascontiguousarray(arr, dtype=np.float32), name)


def dense_to_onnx(layers):
    """x -> MatMul(W^T) -> Add(b) -> Relu ... (no Relu after the last layer)."""
    from onnx import helper
    nodes, inits, cur = [], [], "input"
    for i, (_, w, b) in enumerate(layers):
        last = i == len(layers) - 1
        inits += [_f32(f"W{i}", w.T), _f32(f"b{i}", b)]
        nodes.append(helper.make_node("MatMul", [cur, f"W{i}"], [f"mm{i}"]))
        add_out = "output" if last else f"z{i}"
        nodes.append(helper.make_node("Add", [f"mm{i}", f"b{i}"], [add_out]))
        if not last:
            nodes.append(helper.make_node("Relu", [add_out], [f"h{i}"]))
            cur = f"h{i}"
    return _make_model(nodes, inits, layers[-1][1].shape[0], "dense_mlp")


def ternary_to_onnx(layers):
    """x -> MatMul(T^T, T in {-1,0,1}) -> Add(bias) -> [Mul(m/2^k) -> Relu -> Clip(0,255)]."""
    from onnx import helper
    nodes, inits, cur = [], [], "input"
    inits += [_f32("clip_lo", np.array(0.0)), _f32("clip_hi", np.array(255.0))]
    for i, L in enumerate(layers):
        last = i == len(layers) - 1
        inits += [_f32(f"T{i}", L["T"].T), _f32(f"b{i}", L["bias"])]
        nodes.append(helper.make_node("MatMul", [cur, f"T{i}"], [f"mm{i}"]))
        add_out = "output" if last else f"z{i}"
        nodes.append(helper.make_node("Add", [f"mm{i}", f"b{i}"], [add_out]))
        if L["relu"]:
            assert not last, "ternzk never requantizes the last layer"
            scale = L["m"].astype(np.float64) / 2.0 ** L["k"]
            if np.all(scale == scale[0]):
                scale = scale[:1]  # per_layer mode: one scalar, broadcast
            inits.append(_f32(f"s{i}", scale))
            nodes.append(helper.make_node("Mul", [add_out, f"s{i}"], [f"r{i}"]))
            nodes.append(helper.make_node("Relu", [f"r{i}"], [f"p{i}"]))
            nodes.append(helper.make_node("Clip", [f"p{i}", "clip_lo", "clip_hi"], [f"h{i}"]))
            cur = f"h{i}"
        else:
            assert last, f"layer {i} without requantization is not the last"
    return _make_model(nodes, inits, layers[-1]["T"].shape[0], "ternary_mlp")


def onnx_forward(model, x):
    """Evaluate the exported graph with onnx's reference evaluator (a self-check)."""
    from onnx.reference import ReferenceEvaluator
    return ReferenceEvaluator(model).run(None, {"input": np.asarray(x, np.float32)})[0]


# --------------------------------------------------------------------------- data

def _load_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_pixels(n, seed):
    """n u8 images [n, 784] and where they came from."""
    imgs = os.path.join(FASHION_MNIST, "t10k-images-idx3-ubyte.gz")
    if os.path.exists(imgs):
        x = _load_idx(imgs).reshape(-1, N_IN)[:n]
        lbl = os.path.join(FASHION_MNIST, "t10k-labels-idx1-ubyte.gz")
        y = _load_idx(lbl)[:n].tolist() if os.path.exists(lbl) else None
        return x, y, f"fashion-mnist test images 0..{n - 1} ({imgs})"
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, N_IN), dtype=np.uint8), None, f"random u8 (seed {seed})"


def write_input_json(path, rows):
    """EZKL data file: one input tensor; several samples are concatenated (batch 1 each)."""
    flat = np.asarray(rows, np.float64).reshape(-1)
    with open(path, "w") as f:
        json.dump({"input_data": [[float(v) for v in flat]]}, f)


# --------------------------------------------------------------------------- steps

def _child_main(spec_path):
    """Runs one EZKL call in this (child) process and writes its result next to the spec."""
    with open(spec_path) as f:
        spec = json.load(f)
    out = {"ok": False}
    try:
        t0 = time.perf_counter()
        import ezkl
        out["import_seconds"] = time.perf_counter() - t0
        step, kw = spec["step"], spec["kwargs"]
        t0 = time.perf_counter()
        if step == "import":
            ret = True
        else:
            if step == "gen_settings":
                ra = ezkl.PyRunArgs()
                for k, v in kw.pop("run_args").items():
                    setattr(ra, k, v)
                kw["py_run_args"] = ra
            ret = getattr(ezkl, step)(**kw)
            if hasattr(ret, "__await__"):
                import asyncio

                async def _wait(aw):
                    return await aw
                ret = asyncio.run(_wait(ret))
        out["seconds"] = time.perf_counter() - t0
        out["ok"] = True
        out["return"] = ret if isinstance(ret, (bool, int, float, str, type(None))) else repr(type(ret))
    except BaseException as e:  # noqa: BLE001 - recorded, not swallowed
        out["error"] = f"{type(e).__name__}: {e}"
    with open(spec["result"], "w") as f:
        json.dump(out, f)


def run_step(step, kwargs, workdir, timeout):
    """Run one EZKL call in a child process; time it and read that child's peak RSS."""
    spec = os.path.join(workdir, f"step-{step}.json")
    result = os.path.join(workdir, f"step-{step}.result.json")
    if os.path.exists(result):
        os.remove(result)
    with open(spec, "w") as f:
        json.dump({"step": step, "kwargs": kwargs, "result": result}, f)
    log = open(os.path.join(workdir, f"step-{step}.log"), "w")
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--_child", spec],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    timed_out = False
    while True:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - t0 > timeout and not timed_out:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    log.close()
    rec = {"seconds": None, "process_seconds": round(wall, 3),
           # Linux reports ru_maxrss in KiB.
           "peak_rss_mb": round(ru.ru_maxrss / 1024.0, 1),
           "user_cpu_seconds": round(ru.ru_utime, 2), "sys_cpu_seconds": round(ru.ru_stime, 2),
           # The machine is shared: the 1-minute load average says how contended it was.
           "loadavg_1m_before": round(load_before, 2),
           "loadavg_1m_after": round(os.getloadavg()[0], 2)}
    res = None
    if os.path.exists(result):
        with open(result) as f:
            res = json.load(f)
    if res and res.get("ok"):
        rec["seconds"] = round(res["seconds"], 3)
        rec["import_ezkl_seconds"] = round(res["import_seconds"], 3)
        rec["return"] = res.get("return")
    else:
        if timed_out:
            rec["error"] = f"timed out after {timeout} s (killed)"
        elif res and "error" in res:
            rec["error"] = res["error"]
        else:
            rec["error"] = f"child exited with status {proc.returncode} and no result"
        with open(os.path.join(workdir, f"step-{step}.log")) as f:
            tail = f.read()[-2000:]
        if tail.strip():
            rec["log_tail"] = tail
    return rec


# --------------------------------------------------------------------------- bench

def file_size(path):
    return os.path.getsize(path) if os.path.exists(path) else None


def ezkl_outputs(witness_path, settings):
    """Rescaled outputs from the witness (floats), using the settings' output scale."""
    with open(witness_path) as f:
        w = json.load(f)
    pretty = w.get("pretty_elements") or {}
    if pretty.get("rescaled_outputs"):
        return [float(v) for v in np.asarray(pretty["rescaled_outputs"], dtype=object).reshape(-1)]
    import ezkl
    scale = settings["model_output_scales"][0]
    return [ezkl.felt_to_float(v, scale) for v in np.asarray(w["outputs"], dtype=object).reshape(-1)]


def bench_variant(variant, onnx_model, pixels, to_input, reference, run_args, args, workdir):
    os.makedirs(workdir, exist_ok=True)
    P = lambda name: os.path.join(workdir, name)  # noqa: E731
    rec = {"variant": variant, "status": "ok", "steps": {}}
    with open(P("network.onnx"), "wb") as f:
        f.write(onnx_model.SerializeToString())
    rec["onnx_bytes"] = file_size(P("network.onnx"))
    rec["onnx_nodes"] = [n.op_type for n in onnx_model.graph.node]

    calib = to_input(pixels[: args.calib_samples])
    prove_x = to_input(pixels[args.prove_index: args.prove_index + 1])
    write_input_json(P("calibration.json"), calib)
    write_input_json(P("input.json"), prove_x)

    # Self-check: the ONNX graph computes what we meant it to.
    ref = reference(prove_x)[0]
    onnx_y = onnx_forward(onnx_model, prove_x)[0]
    rec["onnx_check_max_abs_diff"] = float(np.max(np.abs(onnx_y - ref)))

    settings_path = P("settings.json")
    calib_kwargs = {"data": P("calibration.json"), "model": P("network.onnx"),
                    "settings": settings_path, "target": args.calibration_target}
    rec["settings_requested"] = {"run_args": dict(run_args),
                                 "calibrate": {k: v for k, v in calib_kwargs.items()
                                               if k == "target"} | {"samples": len(calib)}}
    # The SRS path depends on logrows, known only after calibration: kwargs are built lazily.
    srs = {"path": P("kzg.srs")}
    plan = [
        ("import", lambda: {}),
        ("gen_settings", lambda: {"model": P("network.onnx"), "output": settings_path,
                                  "run_args": dict(run_args)}),
        ("calibrate_settings", lambda: calib_kwargs),
        ("compile_circuit", lambda: {"model": P("network.onnx"),
                                     "compiled_circuit": P("network.ezkl"),
                                     "settings_path": settings_path}),
        ("gen_srs", lambda: {"srs_path": srs["path"], "logrows": rec["logrows"]}),
        ("setup", lambda: {"model": P("network.ezkl"), "vk_path": P("vk.key"),
                           "pk_path": P("pk.key"), "srs_path": srs["path"]}),
        ("gen_witness", lambda: {"data": P("input.json"), "model": P("network.ezkl"),
                                 "output": P("witness.json")}),
        ("prove", lambda: {"witness": P("witness.json"), "model": P("network.ezkl"),
                           "pk_path": P("pk.key"), "proof_path": P("proof.json"),
                           "srs_path": srs["path"]}),
        ("verify", lambda: {"proof_path": P("proof.json"), "settings_path": settings_path,
                            "vk_path": P("vk.key"), "srs_path": srs["path"]}),
    ]
    settings = None
    for step, make_kwargs in plan:
        if step == "gen_srs":
            with open(settings_path) as f:
                settings = json.load(f)
            rec["logrows"] = settings["run_args"]["logrows"]
            if args.srs_cache:
                os.makedirs(args.srs_cache, exist_ok=True)
                srs["path"] = os.path.abspath(
                    os.path.join(args.srs_cache, f"kzg{rec['logrows']}.srs"))
                if os.path.exists(srs["path"]):
                    # A one-time cost (it stands in for the public ceremony SRS), not a
                    # per-model one: reuse it and say so.
                    rec["steps"][step] = {"cached": True, "srs_path": srs["path"]}
                    print(f"[{args.name}/{variant}] gen_srs: reusing {srs['path']}",
                          file=sys.stderr, flush=True)
                    continue
        print(f"[{args.name}/{variant}] {step} ...", file=sys.stderr, flush=True)
        r = run_step(step, make_kwargs(), workdir, args.step_timeout)
        rec["steps"][step] = r
        print(f"[{args.name}/{variant}] {step}: {r.get('seconds')} s, "
              f"{r['peak_rss_mb']} MB, load {r['loadavg_1m_before']}"
              f"{'  ERROR ' + r['error'] if 'error' in r else ''}",
              file=sys.stderr, flush=True)
        if "error" in r:
            rec["status"] = "error"
            rec["error"] = f"{step}: {r['error']}"
            break
        if step in ("gen_settings", "calibrate_settings", "setup", "prove") and r.get("return") is False:
            rec["status"] = "error"
            rec["error"] = f"{step} returned False"
            break

    if os.path.exists(settings_path):
        with open(settings_path) as f:
            settings = json.load(f)
        rec["settings"] = settings
        cal = rec["steps"].get("calibrate_settings", {})
        # Before calibration the file holds gen_settings' defaults: no logrows to report.
        if cal.get("seconds") is not None and "error" not in cal:
            rec["logrows"] = settings.get("run_args", {}).get("logrows")
    rec["srs_bytes"] = file_size(srs["path"])
    rec["compiled_circuit_bytes"] = file_size(P("network.ezkl"))
    rec["pk_bytes"] = file_size(P("pk.key"))
    rec["vk_bytes"] = file_size(P("vk.key"))
    rec["proof_bytes"] = file_size(P("proof.json"))
    if os.path.exists(P("proof.json")):
        with open(P("proof.json")) as f:
            pj = json.load(f)
        raw = pj.get("proof")
        if isinstance(raw, str):
            rec["proof_raw_bytes"] = len(bytes.fromhex(raw.removeprefix("0x")))
        elif isinstance(raw, list):
            rec["proof_raw_bytes"] = len(raw)
    rec["prove_seconds"] = rec["steps"].get("prove", {}).get("seconds")
    rec["verify_seconds"] = rec["steps"].get("verify", {}).get("seconds")
    rec["prove_peak_rss_mb"] = rec["steps"].get("prove", {}).get("peak_rss_mb")
    rec["verify_peak_rss_mb"] = rec["steps"].get("verify", {}).get("peak_rss_mb")
    v = rec["steps"].get("verify", {})
    rec["verified"] = v.get("return") is True and "error" not in v
    if rec["status"] == "ok" and not rec["verified"]:
        rec["status"] = "error"
        rec["error"] = f"verify returned {v.get('return')!r}"

    # How far EZKL's fixed-point output is from the float model on the proved input.
    if os.path.exists(P("witness.json")) and settings:
        try:
            got = np.asarray(ezkl_outputs(P("witness.json"), settings), np.float64)
            rec["output_check"] = {
                "input_index": args.prove_index,
                "reference": [round(float(v), 6) for v in ref],
                "ezkl": [round(float(v), 6) for v in got],
                "max_abs_diff": float(np.max(np.abs(got - ref))),
                "argmax_ref": int(np.argmax(ref)), "argmax_ezkl": int(np.argmax(got)),
            }
        except Exception as e:  # noqa: BLE001
            rec["output_check"] = {"error": f"{type(e).__name__}: {e}"}
    return rec


def machine_info():
    cpu_model = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_mb = None
    try:
        mem_mb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20)
    except (ValueError, OSError):
        pass
    return {"cpus": os.cpu_count(), "cpus_usable": len(os.sched_getaffinity(0)),
            "cpu_model": cpu_model, "mem_mb": mem_mb, "platform": platform.platform(),
            "python": platform.python_version(), "niceness": os.nice(0)}


def versions():
    from importlib.metadata import PackageNotFoundError, version
    out = {}
    for p in ("ezkl", "onnx", "numpy", "safetensors"):
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            out[p] = None
    return out


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--_child":
        _child_main(sys.argv[2])
        return 0

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="dense MLP .safetensors (nn.Linear layout)")
    ap.add_argument("--ternary-compiled", help="ternzk compiled model (.safetensors)")
    ap.add_argument("--name", required=True, help="model name recorded in the results")
    ap.add_argument("--out", required=True, help="results JSON (a list of objects)")
    ap.add_argument("--workdir", help="where EZKL's files go (default: a temp dir, removed)")
    ap.add_argument("--merge", action="store_true",
                    help="keep entries of --out for other (model, variant) pairs")
    ap.add_argument("--skip-dense", action="store_true", help="only run the ternary model")
    ap.add_argument("--calib-samples", type=int, default=4, help="calibration inputs [4]")
    ap.add_argument("--calibration-target", default="resources", choices=("resources", "accuracy"))
    ap.add_argument("--prove-index", type=int, default=0, help="test image proved [0]")
    ap.add_argument("--step-timeout", type=float, default=1200.0,
                    help="seconds before a step is killed and recorded as failed [1200]")
    ap.add_argument("--srs-cache", help="directory of kzg<logrows>.srs files to reuse "
                    "(generated there when missing); default: a fresh SRS per run")
    ap.add_argument("--seed", type=int, default=0, help="seed for random inputs (no data set)")
    args = ap.parse_args()

    pixels, labels, source = load_pixels(max(args.calib_samples, args.prove_index + 1), args.seed)
    run_args = {"input_visibility": "public", "output_visibility": "public",
                "param_visibility": "fixed"}
    vers = versions()
    machine = machine_info()
    tmp = None
    workdir = args.workdir
    if not workdir:
        workdir = tmp = tempfile.mkdtemp(prefix="ezkl-bench-")
    os.makedirs(workdir, exist_ok=True)

    jobs = []
    if not args.skip_dense:
        jobs.append(("dense", args.model))
    if args.ternary_compiled:
        jobs.append(("ternary", args.ternary_compiled))
    if not jobs:
        ap.error("nothing to run (--skip-dense without --ternary-compiled)")

    results = []
    for variant, path in jobs:
        base = {"tool": "ezkl", "ezkl_version": vers["ezkl"], "versions": vers,
                "model": args.name, "variant": variant, "source_file": os.path.abspath(path),
                "inputs": {"source": source, "labels": labels,
                           "calibration_samples": args.calib_samples,
                           "prove_index": args.prove_index}}
        t0 = time.perf_counter()
        try:
            if variant == "dense":
                layers = load_dense(path)
                base["dims"] = [N_IN] + [w.shape[0] for _, w, _ in layers]
                base["layer_names"] = [p for p, _, _ in layers]
                model = dense_to_onnx(layers)
                to_input = lambda px: np.asarray(px, np.float64) / 255.0  # noqa: E731
                reference = lambda x, L=layers: dense_forward(L, x)  # noqa: E731
                base["inputs"]["preprocess"] = "x = pixel / 255"
            else:
                layers, doc = load_ternary(path)
                base["dims"] = [N_IN] + [L["T"].shape[0] for L in layers]
                base["nnz"] = [int(np.abs(L["T"]).sum()) for L in layers]
                base["ternary_info"] = doc.get("info")
                model = ternary_to_onnx(layers)
                to_input = lambda px: np.asarray(px, np.float64)  # noqa: E731
                reference = lambda x, L=layers: ternary_float_forward(L, x)  # noqa: E731
                base["inputs"]["preprocess"] = "x = pixel (u8 as float)"
                x0 = pixels[args.prove_index: args.prove_index + 1]
                base["ternzk_integer_logits"] = ternary_int_forward(layers, x0)[0].tolist()
            rec = bench_variant(variant, model, pixels, to_input, reference, run_args, args,
                                os.path.join(workdir, f"{args.name}-{variant}"))
        except Exception as e:  # noqa: BLE001 - recorded in the results
            import traceback
            traceback.print_exc()
            rec = {"variant": variant, "status": "error", "verified": False,
                   "error": f"{type(e).__name__}: {e}"}
        rec["total_seconds"] = round(time.perf_counter() - t0, 3)
        rec["machine"] = machine
        results.append(base | rec)

    previous = []
    if args.merge and os.path.exists(args.out):
        with open(args.out) as f:
            previous = json.load(f)
        done = {(r["model"], r["variant"]) for r in results}
        previous = [r for r in previous if (r.get("model"), r.get("variant")) not in done]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out + ".tmp", "w") as f:
        json.dump(previous + results, f, indent=1)
        f.write("\n")
    os.replace(args.out + ".tmp", args.out)
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)

    for r in results:
        print(json.dumps({k: r.get(k) for k in ("model", "variant", "status", "logrows",
                                                 "prove_seconds", "verify_seconds",
                                                 "proof_bytes", "prove_peak_rss_mb",
                                                 "verified", "error")}))
    return 0 if any(r.get("verified") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
