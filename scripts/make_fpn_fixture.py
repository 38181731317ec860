"""Writes the PyTorch parity fixture for LandmarkKit's `small` FPN preset.

The small preset is the reference network of shared/reference/torch_fpn.py scaled down so its
fixture stays well under 1 MB: same module names and structure (stem conv7x7/2 + BN + ReLU +
maxpool3x3/2, one BasicBlock per stage, 1x1 lateral convs with bias, nearest x2 top-down, 3x3
smoothing conv on P2, 1x1 head at stride 4), widths [8, 16, 32, 64], FPN 16 channels, K = 4,
1 input channel, 64x64 input, batch 2.

Outputs (Tests/DetectorModelTests/Fixtures/):
  small_fpn_weights.safetensors  the state dict, PyTorch names, BN affine and running stats
                                 randomised so eval-mode BN is not the identity
  small_fpn_io.safetensors       input, target, eval-mode output, train-mode output, the running
                                 stats after the train-mode forward ("after.<name>"), the MSE loss
                                 and every parameter's gradient of it ("grad.<name>")
  r18_state_dict.txt             (with --r18-keys) the names, dtypes and shapes of torch_fpn.py's
                                 state dict, so the Swift r18 preset's names can be checked
Usage: python3 scripts/make_fpn_fixture.py [--out DIR] [--r18-keys [--reference DIR]]
"""
import argparse, copy, os
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

WIDTHS, FPN_CH, K, STEM, RES, BATCH = [8, 16, 32, 64], 16, 4, 8, 64, 2


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + idt)


class SmallFPN(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, STEM, 7, 2, 3, bias=False), nn.BatchNorm2d(STEM),
                                  nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1))
        cin, layers = STEM, []
        for i, w in enumerate(WIDTHS):
            layers.append(nn.Sequential(BasicBlock(cin, w, 1 if i == 0 else 2)))
            cin = w
        self.layer1, self.layer2, self.layer3, self.layer4 = layers
        self.lat = nn.ModuleList([nn.Conv2d(w, FPN_CH, 1) for w in WIDTHS])
        self.smooth = nn.Conv2d(FPN_CH, FPN_CH, 3, 1, 1)
        self.head = nn.Conv2d(FPN_CH, K, 1)

    def forward(self, x):
        c2 = self.layer1(self.stem(x))
        c3 = self.layer2(c2)
        c4 = self.layer3(c3)
        c5 = self.layer4(c4)
        p = self.lat[3](c5)
        for lat, c in ((self.lat[2], c4), (self.lat[1], c3), (self.lat[0], c2)):
            p = lat(c) + F.interpolate(p, scale_factor=2, mode="nearest")
        return self.head(self.smooth(p))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                  "Tests", "DetectorModelTests", "Fixtures"))
    ap.add_argument("--r18-keys", action="store_true", help="also write r18_state_dict.txt from torch_fpn.py")
    ap.add_argument("--reference", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                                        "shared", "reference"), help="folder holding torch_fpn.py")
    args = ap.parse_args()
    out = args.out
    if args.r18_keys:
        write_r18_keys(args.reference, out)
    torch.manual_seed(1234)
    model = SmallFPN()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.3, 0.3)
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(3)
    state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}

    gen = torch.Generator().manual_seed(99)
    x = torch.randn(BATCH, 1, RES, RES, generator=gen)
    target = torch.rand(BATCH, K, RES // 4, RES // 4, generator=gen)

    eval_model = copy.deepcopy(model).eval()
    with torch.no_grad():
        out_eval = eval_model(x)

    model.train()
    out_train = model(x)
    loss = F.mse_loss(out_train, target)
    loss.backward()

    io = {"input": x, "target": target, "output_eval": out_eval, "output_train": out_train.detach(),
          "loss": loss.detach().reshape(1)}
    for name, buf in model.named_buffers():
        io["after." + name] = buf.detach().clone()
    for name, p in model.named_parameters():
        io["grad." + name] = p.grad.detach().clone()

    os.makedirs(out, exist_ok=True)
    meta = {"preset": "small", "torch": torch.__version__, "widths": str(WIDTHS), "fpn": str(FPN_CH), "k": str(K),
            "res": str(RES), "batch": str(BATCH)}
    save_file(state, os.path.join(out, "small_fpn_weights.safetensors"), metadata=meta)
    save_file({k: v.contiguous() for k, v in io.items()}, os.path.join(out, "small_fpn_io.safetensors"), metadata=meta)
    nparams = sum(p.numel() for p in model.parameters())
    print(f"wrote {out}: {nparams} parameters, loss {loss.item():.6f}, "
          f"|out_train| max {out_train.abs().max().item():.4f}, |out_eval| max {out_eval.abs().max().item():.4f}")


def write_r18_keys(reference, out):
    import sys
    sys.path.insert(0, os.path.abspath(reference))
    import torch_fpn
    with open(os.path.join(out, "r18_state_dict.txt"), "w") as f:
        f.write("# torch_fpn.py build_model().state_dict(): name dtype shape (written by scripts/make_fpn_fixture.py --r18-keys)\n")
        for k, v in torch_fpn.build_model().state_dict().items():
            f.write(f"{k} {str(v.dtype).replace('torch.', '')} {','.join(map(str, v.shape))}\n")


if __name__ == "__main__":
    main()
