/// Per-op backward timing without a hook in the autograd engine: before `backward()`, every node of
/// the graph is swapped for one with the same name and inputs whose vector–Jacobian product times
/// the original. Time is added to `profiler` under "<op name> (backward)". The swap keeps the graph's
/// shape and release behaviour (the wrapper owns the original node, freed with it).
extension LayerProfiler {
    public func instrumentBackward(from root: Tensor) {
        var seen = Set<ObjectIdentifier>()
        var stack = [root]
        while let t = stack.popLast() {
            guard let fn = t.gradFn, seen.insert(ObjectIdentifier(t)).inserted else { continue }
            guard let vjp = fn.vjp else { continue }
            let name = fn.name + " (backward)"
            t.gradFn = GradFn(name: fn.name, inputs: fn.inputs) { g, createGraph in
                let t0 = monotonicSeconds()
                let r = vjp(g, createGraph)
                self.add(name, seconds: monotonicSeconds() - t0)
                return r
            }
            stack.append(contentsOf: fn.inputs)
        }
    }
}
