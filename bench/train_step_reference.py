#!/usr/bin/python3
"""The reference of bench_train: one YOLOv3 / YOLOv3-tiny training step in plain PyTorch.

Same architectures as core/model (Darknet layer order and channels, Conv2d + BatchNorm2d
eps 1e-6 + LeakyReLU 0.1, k/2 padding, nearest 2x upsample, routes that concat the
upsampled map first, tiny's stride-1 max-pool with right/bottom edge replication), the same
YOLO loss as core/train/yolo_loss.cpp (GIoU, focal-weighted objectness with the ignore band
over all ground-truth boxes, per-class BCE), Adam. The input is random and the targets are
made once: this times the step alone, with no data loading.

Prints one JSON object: {"model", "size", "batch", "threads", "steps", "images_per_second",
"seconds_per_step", "cpu_seconds_per_image" (CPU time of all threads), "torch"}. Run with
Debian's interpreter (/usr/bin/python3) and python3-torch, which sit on the same libtorch as
the C++ side.

  /usr/bin/python3 bench/train_step_reference.py --model yolov3-tiny --size 416 --batch 4 \
      --threads 2 --steps 10 --warmup 2
"""

import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

NUM_CLASSES = 10
ANCHORS = {
    "yolov3": [
        [(10, 13), (16, 30), (33, 23)],
        [(30, 61), (62, 45), (59, 119)],
        [(116, 90), (156, 198), (373, 326)],
    ],
    "yolov3-tiny": [[(10, 14), (23, 27), (37, 58)], [(81, 82), (135, 169), (344, 319)]],
}
STRIDES = {"yolov3": [8, 16, 32], "yolov3-tiny": [16, 32]}
MAX_LOG_SCALE = 9.2103404  # log(1e4), core/model/decode.h
BOX_EPS = 1e-9


class ConvBlock(nn.Module):
    def __init__(self, cin, cout, k, stride=1, bn=True, leaky=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=not bn)
        self.bn = nn.BatchNorm2d(cout, eps=1e-6, momentum=0.1) if bn else None
        self.leaky = leaky

    def init_tutorial(self):
        # The "tutorial" init of core/model: N(0, 0.01), zero bias.
        nn.init.normal_(self.conv.weight, 0.0, 0.01)
        if self.conv.bias is not None:
            nn.init.zeros_(self.conv.bias)

    def forward(self, x):
        x = self.conv(x)
        if self.bn is not None:
            x = self.bn(x)
        if self.leaky:
            x = F.leaky_relu(x, 0.1)
        return x


def output_conv(cin, cout):
    return ConvBlock(cin, cout, 1, bn=False, leaky=False)


def upsample2x(x):
    return F.interpolate(x, size=(x.size(2) * 2, x.size(3) * 2), mode="nearest")


class Residual(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.reduce = ConvBlock(channels, channels // 2, 1)
        self.expand = ConvBlock(channels // 2, channels, 3)

    def forward(self, x):
        return x + self.expand(self.reduce(x))


class Darknet53(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = ConvBlock(3, 32, 3)
        stages = []
        cin = 32
        for channels, blocks in zip([64, 128, 256, 512, 1024], [1, 2, 8, 8, 4]):
            layers = [ConvBlock(cin, channels, 3, stride=2)]
            layers += [Residual(channels) for _ in range(blocks)]
            stages.append(nn.Sequential(*layers))
            cin = channels
        self.stages = nn.ModuleList(stages)

    def forward(self, x):
        x = self.stem(x)
        x = self.stages[0](x)
        x = self.stages[1](x)
        s8 = self.stages[2](x)
        s16 = self.stages[3](s8)
        s32 = self.stages[4](s16)
        return s8, s16, s32


class HeadScale(nn.Module):
    def __init__(self, cin, channels, out_channels, lateral):
        super().__init__()
        body = []
        for i in range(5):
            cout = 2 * channels if i % 2 == 1 else channels
            body.append(ConvBlock(cin, cout, 3 if i % 2 == 1 else 1))
            cin = cout
        self.body = nn.Sequential(*body)
        self.pre = ConvBlock(channels, 2 * channels, 3)
        self.out = output_conv(2 * channels, out_channels)
        self.lateral = ConvBlock(channels, channels // 2, 1) if lateral else None


class YoloV3(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        out = 3 * (5 + num_classes)
        self.backbone = Darknet53()
        self.s32 = HeadScale(1024, 512, out, True)
        self.s16 = HeadScale(256 + 512, 256, out, True)
        self.s8 = HeadScale(128 + 256, 128, out, False)

    def forward(self, images):
        f8, f16, f32 = self.backbone(images)
        route32 = self.s32.body(f32)
        out32 = self.s32.out(self.s32.pre(route32))
        x = torch.cat([upsample2x(self.s32.lateral(route32)), f16], 1)
        route16 = self.s16.body(x)
        out16 = self.s16.out(self.s16.pre(route16))
        x = torch.cat([upsample2x(self.s16.lateral(route16)), f8], 1)
        out8 = self.s8.out(self.s8.pre(self.s8.body(x)))
        return [out8, out16, out32]


def darknet_maxpool_stride1(x):
    # Darknet skips out-of-image taps; for a max that equals replicating the edge.
    return F.max_pool2d(F.pad(x, (0, 1, 0, 1), mode="replicate"), 2, stride=1)


class YoloV3Tiny(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        out = 3 * (5 + num_classes)
        cin = 3
        backbone = []
        for i in range(7):
            backbone.append(ConvBlock(cin, 16 << i, 3))
            cin = 16 << i
        self.backbone = nn.ModuleList(backbone)
        self.route32 = ConvBlock(1024, 256, 1)
        self.pre32 = ConvBlock(256, 512, 3)
        self.out32 = output_conv(512, out)
        self.lateral = ConvBlock(256, 128, 1)
        self.pre16 = ConvBlock(128 + 256, 256, 3)
        self.out16 = output_conv(256, out)

    def forward(self, images):
        x = images
        skip16 = None
        for i in range(5):
            x = self.backbone[i](x)
            if i == 4:
                skip16 = x
            x = F.max_pool2d(x, 2, stride=2)
        x = self.backbone[5](x)
        x = darknet_maxpool_stride1(x)
        x = self.backbone[6](x)
        route = self.route32(x)
        out32 = self.out32(self.pre32(route))
        up = upsample2x(self.lateral(route))
        out16 = self.out16(self.pre16(torch.cat([up, skip16], 1)))
        return [out16, out32]


# ---- the loss of core/train/yolo_loss.cpp ----------------------------------------------


def reshape_raw(raw, anchors=3):
    b, c, h, w = raw.shape
    return raw.reshape(b, anchors, c // anchors, h, w).permute(0, 3, 4, 1, 2).contiguous()


def decode(raw, anchors, stride):
    p = reshape_raw(raw, len(anchors))
    h, w = p.size(1), p.size(2)
    cols = torch.arange(w, dtype=p.dtype).view(1, 1, w, 1, 1).expand(1, h, w, 1, 1)
    rows = torch.arange(h, dtype=p.dtype).view(1, h, 1, 1, 1).expand(1, h, w, 1, 1)
    grid = torch.cat([cols, rows], -1)
    anchor_wh = torch.tensor(anchors, dtype=p.dtype).view(1, 1, 1, len(anchors), 2)
    xy = (torch.sigmoid(p[..., 0:2]) + grid) * stride
    wh = torch.exp(p[..., 2:4].clamp_max(MAX_LOG_SCALE)) * anchor_wh
    scores = torch.sigmoid(p[..., 4:])
    return torch.cat([xy, wh, scores], -1)


def xywh_to_xyxy(b):
    half = b[..., 2:4] * 0.5
    return torch.cat([b[..., 0:2] - half, b[..., 0:2] + half], -1)


def overlap(a, b, with_enclose):
    ax1, ay1, ax2, ay2 = a.unbind(-1)
    bx1, by1, bx2, by2 = b.unbind(-1)
    area_a = (ax2 - ax1).clamp_min(0) * (ay2 - ay1).clamp_min(0)
    area_b = (bx2 - bx1).clamp_min(0) * (by2 - by1).clamp_min(0)
    iw = (torch.min(ax2, bx2) - torch.max(ax1, bx1)).clamp_min(0)
    ih = (torch.min(ay2, by2) - torch.max(ay1, by1)).clamp_min(0)
    inter = iw * ih
    union = area_a + area_b - inter
    enclose = None
    if with_enclose:
        ew = (torch.max(ax2, bx2) - torch.min(ax1, bx1)).clamp_min(0)
        eh = (torch.max(ay2, by2) - torch.min(ay1, by1)).clamp_min(0)
        enclose = ew * eh
    return inter, union, enclose


def iou_xywh(a, b):
    inter, union, _ = overlap(xywh_to_xyxy(a), xywh_to_xyxy(b), False)
    return inter / union.clamp_min(BOX_EPS)


def giou_xywh(a, b):
    inter, union, enclose = overlap(xywh_to_xyxy(a), xywh_to_xyxy(b), True)
    iou = inter / union.clamp_min(BOX_EPS)
    return iou - (enclose - union).clamp_min(0) / enclose.clamp_min(BOX_EPS)


def pack_boxes(boxes):
    valid = (boxes[..., 2:4] > 0).all(-1)
    most = max(1, int(valid.sum(1).max().item()))
    packed = torch.zeros(boxes.size(0), most, 4, dtype=boxes.dtype)
    for b in range(boxes.size(0)):
        rows = boxes[b][valid[b]]
        packed[b, : rows.size(0)] = rows
    return packed


def compute_loss(raw_outputs, labels, bboxes, anchors, strides, ignore_iou=0.5):
    with torch.no_grad():
        all_boxes = pack_boxes(torch.cat(bboxes, 1))
    total = []
    for raw, label, anc, stride in zip(raw_outputs, labels, anchors, strides):
        pred = decode(raw, anc, stride)
        conv = reshape_raw(raw, len(anc))
        batch = pred.size(0)
        input_area = float(pred.size(1) * stride) * (pred.size(2) * stride)
        pred_xywh, pred_conf = pred[..., 0:4], pred[..., 4:5]
        raw_conf, raw_prob = conv[..., 4:5], conv[..., 5:]
        label_xywh, respond, label_prob = label[..., 0:4], label[..., 4:5], label[..., 5:]

        giou = giou_xywh(pred_xywh, label_xywh).unsqueeze(-1)
        box_scale = 2.0 - label_xywh[..., 2:3] * label_xywh[..., 3:4] / input_area
        giou_loss = respond * box_scale * (1.0 - giou)
        with torch.no_grad():
            iou = iou_xywh(
                pred_xywh.detach().unsqueeze(-2), all_boxes.view(batch, 1, 1, 1, -1, 4)
            )
            max_iou = iou.max(-1)[0].unsqueeze(-1)
            background = (1.0 - respond) * (max_iou < ignore_iou).to(raw.dtype)
        focal = (respond - pred_conf).pow(2)
        bce_conf = F.binary_cross_entropy_with_logits(raw_conf, respond, reduction="none")
        conf_loss = focal * (respond + background) * bce_conf
        prob_loss = respond * F.binary_cross_entropy_with_logits(
            raw_prob, label_prob, reduction="none"
        )
        for t in (giou_loss, conf_loss, prob_loss):
            total.append(t.reshape(batch, -1).sum(1).mean())
    return torch.stack(total).sum()


def make_targets(model_name, size, batch, boxes_per_image, generator):
    """Labels [B,h,w,3,5+C] and padded bboxes [B,100,4] per scale with boxes_per_image
    responsible anchors per image spread over the scales, as buildTargets would lay out."""
    strides = STRIDES[model_name]
    labels = [torch.zeros(batch, size // s, size // s, 3, 5 + NUM_CLASSES) for s in strides]
    bboxes = [torch.zeros(batch, 100, 4) for _ in strides]
    counts = [[0] * len(strides) for _ in range(batch)]
    for b in range(batch):
        for _ in range(boxes_per_image):
            s = int(torch.randint(len(strides), (1,), generator=generator))
            g = size // strides[s]
            cx, cy = (torch.rand(2, generator=generator) * size).tolist()
            w, h = (torch.rand(2, generator=generator) * 100 + 14).tolist()
            a = int(torch.randint(3, (1,), generator=generator))
            cls = int(torch.randint(NUM_CLASSES, (1,), generator=generator))
            col = min(g - 1, int(cx / strides[s]))
            row = min(g - 1, int(cy / strides[s]))
            onehot = torch.full((NUM_CLASSES,), 0.01 / NUM_CLASSES)
            onehot[cls] += 0.99
            labels[s][b, row, col, a, 0:4] = torch.tensor([cx, cy, w, h])
            labels[s][b, row, col, a, 4] = 1
            labels[s][b, row, col, a, 5:] = onehot
            bboxes[s][b, counts[b][s] % 100] = torch.tensor([cx, cy, w, h])
            counts[b][s] += 1
    return labels, bboxes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="yolov3-tiny", choices=sorted(STRIDES))
    parser.add_argument("--size", type=int, default=416)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10, help="timed steps")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps first")
    parser.add_argument("--boxes", type=int, default=6, help="ground-truth boxes per image")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--init", default="kaiming", choices=["kaiming", "tutorial"])
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    net = YoloV3(NUM_CLASSES) if args.model == "yolov3" else YoloV3Tiny(NUM_CLASSES)
    if args.init == "tutorial":
        for m in net.modules():
            if isinstance(m, ConvBlock):
                m.init_tutorial()
    net.train()
    optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)
    images = torch.rand(args.batch, 3, args.size, args.size, generator=generator)
    labels, bboxes = make_targets(args.model, args.size, args.batch, args.boxes, generator)
    anchors, strides = ANCHORS[args.model], STRIDES[args.model]

    def step():
        optimizer.zero_grad()
        loss = compute_loss(net(images), labels, bboxes, anchors, strides)
        loss.backward()
        optimizer.step()
        return loss.item()  # what any training loop reads to log the loss

    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    cpu_start = time.process_time()
    for _ in range(args.steps):
        value = step()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    if not math.isfinite(value):
        print("warning: non-finite loss", file=sys.stderr)
    print(
        json.dumps(
            {
                "model": args.model,
                "size": args.size,
                "batch": args.batch,
                "threads": torch.get_num_threads(),
                "steps": args.steps,
                "images_per_second": args.batch * args.steps / elapsed,
                "seconds_per_step": elapsed / args.steps,
                "cpu_seconds_per_image": cpu / (args.batch * args.steps),
                "torch": torch.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
