// Reporting: placeholder until its first real file lands; see Package.swift.
enum _ReportingPlaceholder {}
