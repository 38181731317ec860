/// 3×3 grey-level dilation (the maximum over each pixel's 3×3 neighbourhood, clipped at the border) of
/// every `h×w` map in a contiguous stack. Adaptive Wing's weighted loss map is built from the dilated target,
/// so pixels just outside a landmark's Gaussian also get the heavy weight.
func greyDilation3x3(_ maps: [Float], height h: Int, width w: Int) -> [Float] {
    precondition(h > 0 && w > 0 && maps.count % (h * w) == 0,
                 "greyDilation3x3: \(maps.count) values are not a stack of \(h)×\(w) maps")
    var out = [Float](repeating: 0, count: maps.count)
    let plane = h * w
    for base in stride(from: 0, to: maps.count, by: plane) {
        for r in 0..<h {
            for c in 0..<w {
                var m = -Float.infinity
                for rr in Swift.max(r - 1, 0)...Swift.min(r + 1, h - 1) {
                    for cc in Swift.max(c - 1, 0)...Swift.min(c + 1, w - 1) {
                        m = Swift.max(m, maps[base + rr * w + cc])
                    }
                }
                out[base + r * w + c] = m
            }
        }
    }
    return out
}
