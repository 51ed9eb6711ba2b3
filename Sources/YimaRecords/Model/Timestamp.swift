#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A calendar date `YYYY-MM-DD` (RFC 3339 `full-date`, proleptic Gregorian),
/// years 1900–9999.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) throws(RecordError) {
        guard (1900...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else {
            throw RecordError.invalid("", .dateNoSuchDay)
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init(_ text: String, field: String = "") throws(RecordError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]), let day = Self.number(bytes[8..<10]) else {
            throw RecordError.invalid(field, .dateShape)
        }
        do { try self.init(year: year, month: month, day: day) } catch {
            throw RecordError.invalid(field, .dateNotInCalendar, ["date": text])
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    public var dayNumber: Int { Self.dayNumber(year: year, month: month, day: day) }

    /// `days_from_civil` for any proleptic Gregorian year, month and day, unchecked:
    /// also what the EPCIS event hash uses to bring a time to UTC (CBV 2.0 §8.9).
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// The date `dayNumber` days after 1970-01-01 (`civil_from_days`).
    public init(dayNumber: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = day
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public var json: JSONValue { .string(description) }
    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.dayNumber < b.dayNumber }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> CalendarDate {
        try CalendarDate(ObjectReader.string(value, at: path), field: path)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}

/// A point in time: seconds and nanoseconds since 1970-01-01T00:00:00Z.
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let seconds: Int64
    public let nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The system's real-time clock.
    public static func now() -> Instant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(seconds: Int64(spec.tv_sec), nanoseconds: Int32(spec.tv_nsec))
    }

    public static func < (a: Instant, b: Instant) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// This instant moved by `duration` (whole seconds and attoseconds truncated to nanoseconds).
    public func adding(_ duration: Duration) -> Instant {
        let (secs, attos) = duration.components
        var seconds = self.seconds + secs
        var nanos = Int64(nanoseconds) + attos / 1_000_000_000
        if nanos >= 1_000_000_000 { nanos -= 1_000_000_000; seconds += 1 }
        if nanos < 0 { nanos += 1_000_000_000; seconds -= 1 }
        return Instant(seconds: seconds, nanoseconds: Int32(nanos))
    }

    public var description: String { "\(seconds).\(nanoseconds)s" }
}

/// An RFC 3339 date-time with a numeric UTC offset, e.g. `2026-09-15T08:30:00+08:00`
/// or `2026-09-15T08:30:00.250+08:00`. `Z` is refused: EPCIS 2.0 exports need the
/// local offset (`eventTimeZoneOffset`), and it tells a reader the local day.
/// Compared by the instant it denotes, kept in the payload exactly as written.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String
    /// The local calendar date (before applying the offset).
    public let localDate: CalendarDate
    /// Minutes east of UTC.
    public let offsetMinutes: Int
    public let instant: Instant

    public init(_ text: String, field: String = "") throws(RecordError) {
        let bad = RecordError.invalid(field, .timeShape)
        let bytes = Array(text.utf8)
        guard bytes.count >= 25, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let date = try? CalendarDate(String(decoding: bytes[0..<10], as: UTF8.self)),
              let hour = CalendarDate.number(bytes[11..<13]), let minute = CalendarDate.number(bytes[14..<16]),
              let second = CalendarDate.number(bytes[17..<19]), hour < 24, minute < 60, second < 60 else { throw bad }
        var index = 19
        var nanoseconds = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, let digit = CalendarDate.number(bytes[index..<index + 1]) {
                guard digits < 9 else { throw bad }
                nanoseconds = nanoseconds * 10 + digit
                digits += 1
                index += 1
            }
            guard digits > 0 else { throw bad }
            for _ in digits..<9 { nanoseconds *= 10 }
        }
        guard bytes.count - index == 6, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
              bytes[index + 3] == UInt8(ascii: ":"),
              let offsetHours = CalendarDate.number(bytes[index + 1..<index + 3]),
              let offsetMins = CalendarDate.number(bytes[index + 4..<index + 6]), offsetHours < 24, offsetMins < 60 else { throw bad }
        let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
        rawValue = text
        localDate = date
        offsetMinutes = sign * (offsetHours * 60 + offsetMins)
        let local = Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        instant = Instant(seconds: local - Int64(offsetMinutes) * 60, nanoseconds: Int32(nanoseconds))
    }

    /// The offset as EPCIS writes `eventTimeZoneOffset`, e.g. `+08:00`.
    public var offsetText: String { String(rawValue.suffix(6)) }

    public var description: String { rawValue }
    public var json: JSONValue { .string(rawValue) }
    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.instant < b.instant }
    public static func == (a: Timestamp, b: Timestamp) -> Bool { a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    static func parse(_ value: JSONValue, at path: String) throws(RecordError) -> Timestamp {
        try Timestamp(ObjectReader.string(value, at: path), field: path)
    }
}
