import Foundation

/// Times as the API writes them.
public enum RFC3339 {
    /// RFC 3339 in UTC, e.g. `2026-09-15T00:30:00Z` (no formatter: it is on hot paths).
    public static func utc(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let fields = [(Int(parts.tm_year) + 1900, 4, "-"), (Int(parts.tm_mon) + 1, 2, "-"), (Int(parts.tm_mday), 2, "T"),
                      (Int(parts.tm_hour), 2, ":"), (Int(parts.tm_min), 2, ":"), (Int(parts.tm_sec), 2, "Z")]
        return String(unsafeUninitializedCapacity: 20) { out in
            var index = 0
            for (value, width, separator) in fields {
                var divisor = width == 4 ? 1000 : 10
                while divisor > 0 {
                    out[index] = UInt8(ascii: "0") + UInt8(value / divisor % 10)
                    index += 1
                    divisor /= 10
                }
                out[index] = separator.utf8.first!
                index += 1
            }
            return index
        }
    }
}
