/// State-dict export and import for modules, in PyTorch's names and dtypes, through safetensors.
extension Module {
    /// What `load(stateDict:)` expects: every parameter and buffer (F32) and counter (I64, 0-d).
    public func stateSpecs() -> [String: TensorSpec] {
        var specs: [String: TensorSpec] = [:]
        for (n, t) in namedParameters() { specs[n] = TensorSpec(dtype: .f32, shape: t.shape) }
        for (n, t) in namedBuffers() { specs[n] = TensorSpec(dtype: .f32, shape: t.shape) }
        for (n, _) in namedCounters() { specs[n] = TensorSpec(dtype: .i64, shape: []) }
        return specs
    }

    /// A copy of every parameter, buffer and counter, ready to be written.
    public func stateDict(metadata: [String: String] = [:]) -> SafetensorsArchive {
        var tensors: [String: SafetensorsTensor] = [:]
        for (n, t) in namedParameters() + namedBuffers() {
            // Force-try is safe: the element count comes from the tensor's own shape.
            tensors[n] = try! SafetensorsTensor(float32: t.toArray(), shape: t.shape)
        }
        for (n, c) in namedCounters() { tensors[n] = try! SafetensorsTensor(int64: [c.value], shape: []) }
        return SafetensorsArchive(tensors: tensors, metadata: metadata)
    }

    /// Loads a state dict. Every difference is reported at once, and nothing is changed unless
    /// everything fits: all values are converted first and copied into the model only at the end.
    /// Values are copied into the existing tensors, so references held elsewhere (an optimiser's
    /// parameter list) stay valid.
    public func load(stateDict archive: SafetensorsArchive, source: String = "<memory>") throws {
        try archive.validate(against: stateSpecs(), source: source)
        let floats = namedParameters() + namedBuffers()
        let staged: [(Tensor, [Float])] = floats.map { n, t in (t, archive.tensors[n]!.floats()) }
        let counters = namedCounters().map { n, c in (c, archive.tensors[n]!.int64s()[0]) }
        for (t, values) in staged where t.count > 0 {
            t.withUnsafeMutableBufferPointer { dst in
                values.withUnsafeBufferPointer { src in dst.baseAddress!.update(from: src.baseAddress!, count: src.count) }
            }
        }
        for (c, v) in counters { c.value = v }
    }

    /// Reads and loads a safetensors file; the model is untouched on any error.
    public func load(contentsOf path: String) throws {
        try load(stateDict: try SafetensorsArchive.read(from: path), source: path)
    }

    /// Writes the state dict atomically.
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        try stateDict(metadata: metadata).write(to: path)
    }
}
