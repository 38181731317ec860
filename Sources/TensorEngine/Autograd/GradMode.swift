import Foundation

/// Per-thread "recording off" flag: a data-loading thread that runs tensor ops under `withNoGrad` must not
/// switch recording off for the training thread. A null thread-specific value means recording is on.
private let gradModeKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// Whether ops record the graph on the current thread (on by default on every thread).
public enum GradMode {
    public static var isEnabled: Bool { pthread_getspecific(gradModeKey) == nil }

    private static func set(_ enabled: Bool) {
        pthread_setspecific(gradModeKey, enabled ? nil : UnsafeRawPointer(bitPattern: 1))
    }

    /// Runs `body` with recording set to `enabled` on this thread, restoring the previous mode afterwards.
    @discardableResult
    public static func with<R>(enabled: Bool, _ body: () throws -> R) rethrows -> R {
        let saved = isEnabled
        set(enabled)
        defer { set(saved) }
        return try body()
    }
}

/// Runs `body` without recording any graph: inference, optimiser updates, metric computation.
@discardableResult
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.with(enabled: false, body)
}

/// Runs `body` with recording on, e.g. inside an outer `withNoGrad`.
@discardableResult
public func withGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.with(enabled: true, body)
}
