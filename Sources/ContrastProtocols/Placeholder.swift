// ContrastProtocols: placeholder until its first real file lands; see the target comment in Package.swift.
enum _ContrastProtocolsPlaceholder {}
