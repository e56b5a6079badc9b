import Foundation
import Synchronization

/// An exclusive `flock` on a file beside the database, held while the store is open: the kernel
/// drops it when the process ends, however it ends, so the next holder knows the last is gone.
final class DeliveryLock: Sendable {
    let path: String
    private let descriptor = Mutex<Int32?>(nil)

    init(databasePath: String) {
        path = databasePath + "-delivery.lock"
    }

    /// Whether this store holds the lock (taking it if it is free).
    func claim() -> Bool {
        descriptor.withLock { descriptor in
            if descriptor != nil { return true }
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return false }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)
                return false
            }
            descriptor = fd
            return true
        }
    }

    deinit {
        descriptor.withLock { descriptor in
            if let fd = descriptor { close(fd) }
        }
    }
}
