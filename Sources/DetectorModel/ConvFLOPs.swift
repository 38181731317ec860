/// One convolution of the network with its input/output shapes (C, H, W) and forward FLOPs (2 × MAC).
public struct ConvFLOPRow: Equatable, Sendable {
    public let name: String
    public let input: [Int], output: [Int]
    public let flops: Int
}

/// Convolution FLOPs counted from shapes, as torch_fpn.py's `count_flops` does, so FLOP/s figures
/// compare like for like with PyTorch's.
public enum ConvFLOPs {
    /// Every conv of one forward pass over a single H×W image, in execution order.
    public static func rows(_ config: FPNConfig, height: Int, width: Int) -> [ConvFLOPRow] {
        var rows: [ConvFLOPRow] = []
        func conv(_ name: String, _ cin: Int, _ h: Int, _ w: Int, _ cout: Int, k: Int, s: Int, p: Int) -> (Int, Int) {
            let oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1
            rows.append(ConvFLOPRow(name: name, input: [cin, h, w], output: [cout, oh, ow], flops: 2 * cout * oh * ow * cin * k * k))
            return (oh, ow)
        }
        var (h, w) = conv("stem.0", config.inputChannels, height, width, config.stemChannels, k: 7, s: 2, p: 3)
        (h, w) = ((h + 2 - 3) / 2 + 1, (w + 2 - 3) / 2 + 1)  // max pool 3×3/2, pad 1
        var cin = config.stemChannels
        var levels: [(c: Int, h: Int, w: Int)] = []
        for (i, (width, count)) in zip(config.widths, config.blocksPerStage).enumerated() {
            let out = width * config.block.expansion
            for b in 0..<count {
                let s = (i > 0 && b == 0) ? 2 : 1
                let prefix = "layer\(i + 1).\(b)"
                if s != 1 || cin != out { _ = conv("\(prefix).down.0", cin, h, w, out, k: 1, s: s, p: 0) }
                switch config.block {
                case .basic:
                    let (oh, ow) = conv("\(prefix).conv1", cin, h, w, width, k: 3, s: s, p: 1)
                    _ = conv("\(prefix).conv2", width, oh, ow, width, k: 3, s: 1, p: 1)
                    (h, w) = (oh, ow)
                case .bottleneck:
                    _ = conv("\(prefix).conv1", cin, h, w, width, k: 1, s: 1, p: 0)
                    let (oh, ow) = conv("\(prefix).conv2", width, h, w, width, k: 3, s: s, p: 1)
                    _ = conv("\(prefix).conv3", width, oh, ow, out, k: 1, s: 1, p: 0)
                    (h, w) = (oh, ow)
                }
                cin = out
            }
            levels.append((cin, h, w))
        }
        for i in [3, 2, 1, 0] {
            let l = levels[i]
            _ = conv("lat.\(i)", l.c, l.h, l.w, config.fpnChannels, k: 1, s: 1, p: 0)
        }
        let p2 = levels[0]
        _ = conv("smooth", config.fpnChannels, p2.h, p2.w, config.fpnChannels, k: 3, s: 1, p: 1)
        _ = conv("head", config.fpnChannels, p2.h, p2.w, config.keypoints, k: 1, s: 1, p: 0)
        return rows
    }

    /// Forward conv FLOPs per image.
    public static func forward(_ config: FPNConfig, height: Int, width: Int) -> Int {
        rows(config, height: height, width: width).reduce(0) { $0 + $1.flops }
    }

    /// Training conv FLOPs per image: forward + weight gradient + input gradient, the last not needed
    /// for the stem (its input is the image): 3 × forward − stem.
    public static func training(_ config: FPNConfig, height: Int, width: Int) -> Int {
        let r = rows(config, height: height, width: width)
        return 3 * r.reduce(0) { $0 + $1.flops } - r[0].flops
    }
}
