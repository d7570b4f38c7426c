"""A tiny labelled set (wages / safety concerns) shared by the classifier tests, and fake
embeddings for it."""

import numpy as np

TOY = [
    ("công ty nợ lương ba tháng", "wages"),
    ("chậm trả lương cho công nhân", "wages"),
    ("lương tháng này chưa được trả", "wages"),
    ("nhà xưởng nóng, không có quạt", "safety"),
    ("máy móc không an toàn, dễ tai nạn", "safety"),
    ("thiếu đồ bảo hộ lao động", "safety"),
]


def fake_embeddings(labels: list[str], seed: int = 0, dim: int = 16) -> np.ndarray:
    """Two well separated clusters (one per label of TOY), L2-normalised."""
    rng = np.random.default_rng(seed)
    centre = {"wages": np.eye(dim)[0], "safety": np.eye(dim)[1]}
    vecs = np.stack([centre[lab] + 0.1 * rng.normal(size=dim) for lab in labels])
    return (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)
