"""Loads a `yolo-cli export --format torchscript` module with Python's torch.jit.load and
checks its contract (docs/export.md): attributes, output shapes and value ranges.
Usage: check_torchscript_export.py MODULE.pt [--with-nms]"""
import sys

import torch

path = sys.argv[1]
with_nms = "--with-nms" in sys.argv[2:]
m = torch.jit.load(path)
m.eval()
size = int(m.input_size)
classes = int(m.num_classes)
assert len(m.class_names) == classes, (m.class_names, classes)
assert bool(m.with_nms) == with_nms, m.with_nms
x = torch.rand(1, 3, size, size)
with torch.no_grad():
    decoded = m.decoded(x)
    cells = sum((size // s) ** 2 for s in ((8, 16, 32) if m.architecture == "yolov3" else (16, 32)))
    assert decoded.shape == (3 * cells, 5 + classes), decoded.shape
    assert torch.isfinite(decoded).all()
    assert ((decoded[:, 4:] >= 0) & (decoded[:, 4:] <= 1)).all()
    out = m(x)
    if with_nms:
        m.score_threshold = 0.0  # attributes can be changed on the loaded module
        out = m(x)
        assert out.dim() == 2 and out.shape[1] == 6, out.shape
        assert 0 < out.shape[0] <= int(m.max_detections), out.shape
        assert (out[:, 2] >= out[:, 0]).all() and (out[:, 3] >= out[:, 1]).all()
        assert (out[1:, 4] <= out[:-1, 4]).all(), "scores not descending"
        assert ((out[:, 5] >= 0) & (out[:, 5] < classes)).all()
    else:
        assert torch.equal(out, decoded)
print("torch.jit.load OK:", path, m.architecture, size, tuple(out.shape))
