import Foundation
import YimaRecords

/// The time use cases sign and judge by, and how far ahead a signer's clock may run
/// (rule "future-time"). Tests set `now` to replay a season.
public struct ServiceClock: Sendable {
    public var now: @Sendable () -> Instant
    /// Tolerance for signers' clocks running ahead.
    public var skew: Duration

    public init(now: @escaping @Sendable () -> Instant = { Instant.now() }, skew: Duration = .seconds(300)) {
        self.now = now
        self.skew = skew
    }

    /// Now as RFC 3339 with the machine's numeric UTC offset, as event times are signed.
    public func timestamp() -> String { Self.timestamp(now()) }

    public static func timestamp(_ instant: Instant) -> String {
        let date = Date(timeIntervalSince1970: TimeInterval(instant.seconds))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter.string(from: date)
    }
}
