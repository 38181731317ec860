/// Adam's complete state as named tensors, so a checkpoint can resume training bit for bit:
/// both moments and each parameter's own step count (PyTorch keeps per-parameter bias correction).
extension Adam {
    /// Moments as `<prefix>m.<i>`, `<prefix>v.<i>` (F32, flat) and step counts as `<prefix>steps`
    /// (I64 [P]) and `<prefix>step_count` (I64 scalar). Moments not yet allocated export as zeros,
    /// which is what the first step would start from.
    public func stateTensors(prefix: String = "optimizer.") -> [String: SafetensorsTensor] {
        var out: [String: SafetensorsTensor] = [:]
        for (i, p) in parameters.enumerated() {
            let m = firstMoments[i]?.toArray() ?? [Float](repeating: 0, count: p.count)
            let v = secondMoments[i]?.toArray() ?? [Float](repeating: 0, count: p.count)
            // Force-try is safe: the element counts come from the parameter itself.
            out["\(prefix)m.\(i)"] = try! SafetensorsTensor(float32: m, shape: [p.count])
            out["\(prefix)v.\(i)"] = try! SafetensorsTensor(float32: v, shape: [p.count])
        }
        out["\(prefix)steps"] = try! SafetensorsTensor(int64: parameterSteps.map(Int64.init), shape: [parameterSteps.count])
        out["\(prefix)step_count"] = try! SafetensorsTensor(int64: [Int64(stepCount)], shape: [])
        return out
    }

    /// Restores what `stateTensors` wrote. Everything is checked before anything changes.
    public func load(stateTensors t: [String: SafetensorsTensor], prefix: String = "optimizer.") throws {
        func fail(_ why: String) -> SafetensorsError { .invalidTensor(name: nil, reason: "optimizer state: \(why)") }
        guard let steps = t["\(prefix)steps"]?.int64s(), steps.count == parameters.count,
              let count = t["\(prefix)step_count"]?.int64s().first else {
            throw fail("missing step counts for \(parameters.count) parameters")
        }
        var m: [Tensor] = [], v: [Tensor] = []
        for (i, p) in parameters.enumerated() {
            guard let mi = t["\(prefix)m.\(i)"], let vi = t["\(prefix)v.\(i)"], mi.dtype == .f32, vi.dtype == .f32,
                  mi.elementCount == p.count, vi.elementCount == p.count else {
                throw fail("moments of parameter \(i) missing or not \(p.count) values")
            }
            m.append(Tensor(mi.floats(), shape: p.shape))
            v.append(Tensor(vi.floats(), shape: p.shape))
        }
        firstMoments = m
        secondMoments = v
        parameterSteps = steps.map { Int($0) }
        stepCount = Int(count)
    }
}
