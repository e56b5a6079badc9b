/// Bounds on the head of a request Hookline sends. Receivers refuse large heads (Node 16 KiB in
/// all, nginx 8 KiB a line), and a head still being written when a receiver answers early and
/// closes is where HTTP clients are least tested; so a webhook's headers are bounded when saved,
/// and again once rendered, since a placeholder can grow a value to any size.
public enum RequestHeadLimits {
    public static let maximumValueBytes = 8 * 1024
    /// The request line (with its query) and every header line.
    public static let maximumHeadBytes = 32 * 1024

    /// Why these headers, sent to `target`, make a head too large; `nil` when they fit.
    public static func problem(headers: [HeaderField], target: String) -> String? {
        var total = target.utf8.count + 16
        for header in headers {
            let size = header.value.utf8.count
            if size > maximumValueBytes {
                return "header \(header.name) is \(size) bytes, over the limit of \(maximumValueBytes) bytes a header value"
            }
            total += header.name.utf8.count + size + 4
        }
        if total > maximumHeadBytes {
            return "the request head (URL and headers) is \(total) bytes, over the limit of \(maximumHeadBytes) bytes"
        }
        return nil
    }
}
