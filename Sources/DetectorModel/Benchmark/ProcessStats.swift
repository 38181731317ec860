#if canImport(Glibc)
import Glibc
#endif

/// Peak resident set size of this process in MiB (getrusage's ru_maxrss is in KiB on Linux).
public func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}
