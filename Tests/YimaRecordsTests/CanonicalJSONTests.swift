import Testing
@testable import YimaRecords

@Suite("Canonical JSON (RFC 8785)")
struct CanonicalJSONTests {
    func text(_ value: JSONValue) -> String { String(decoding: CanonicalJSON.encode(value), as: UTF8.self) }

    /// RFC 8785 §3.2.2.2: the string example `"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/"`.
    @Test func rfc8785StringEscaping() throws {
        let input = #""\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/""#
        let value = try CanonicalJSON.parse(Array(input.utf8))
        #expect(text(value) == #""€$\u000f\nA'B\"\\\\\"/""#)
    }

    /// RFC 8785 §3.2.3: members sorted by UTF-16 code units (the emoji's surrogates sort before U+FB33).
    @Test func rfc8785PropertySorting() throws {
        let input = #"""
        {
          "\u20ac": "Euro Sign",
          "\r": "Carriage Return",
          "\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\ud83d\ude00": "Emoji: Grinning Face",
          "\u0080": "Control",
          "\u00f6": "Latin Small Letter O With Diaeresis"
        }
        """#
        let value = try CanonicalJSON.parse(Array(input.utf8))
        let expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\","
            + "\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\u{FB33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        #expect(text(value) == expected)
        #expect(try CanonicalJSON.decode(Array(expected.utf8)) == value)
    }

    /// RFC 8785 §3.2.2.3 / Appendix B: integers in ECMAScript form; the largest safe integer.
    @Test func integers() throws {
        #expect(text([0, -1, 9007199254740991, -9007199254740991]) == "[0,-1,9007199254740991,-9007199254740991]")
        #expect(throws: CanonicalJSONError.integerOutOfRange(offset: 0)) { try CanonicalJSON.decode(Array("9007199254740992".utf8)) }
        #expect(throws: CanonicalJSONError.notAnInteger(offset: 0)) { try CanonicalJSON.decode(Array("1.5".utf8)) }
        #expect(throws: CanonicalJSONError.notAnInteger(offset: 0)) { try CanonicalJSON.decode(Array("1e3".utf8)) }
        #expect(throws: CanonicalJSONError.notCanonical(offset: 0)) { try CanonicalJSON.decode(Array("-0".utf8)) }
    }

    @Test func rejectsWhatIsNotCanonical() {
        let cases: [(String, CanonicalJSONError)] = [
            (#"{"b":1,"a":2}"#, .notCanonical(offset: 2)),
            (#"{"a": 1}"#, .notCanonical(offset: 5)),
            (#"{"a":"\u0041"}"#, .notCanonical(offset: 6)),
            (#""\/""#, .notCanonical(offset: 1)),
            (#"{"a":null}"#, .nullNotAllowed(offset: 5)),
            (#"{"a":1,"a":2}"#, .duplicateKey(offset: 7, key: "a")),
            (#""\ud800""#, .invalidUnicode(offset: 1)),
            ("[1]\n", .notCanonical(offset: 3)),
        ]
        for (input, error) in cases {
            #expect(throws: error, "\(input)") { try CanonicalJSON.decode(Array(input.utf8)) }
        }
        #expect(throws: CanonicalJSONError.invalidUnicode(offset: 0)) { try CanonicalJSON.decode([0x22, 0xFF, 0x22]) }
    }

    @Test func controlCharactersUseLowercaseHex() {
        #expect(text(.string("\u{1}\u{1F}\t\u{7F}")) == "\"\\u0001\\u001f\\t\u{7F}\"")
    }

    @Test func roundTripsEveryRecordKind() throws {
        for record in [Record.party(Fixtures.producer), .product(Fixtures.product), .batch(Fixtures.batch),
                       .event(Fixtures.pesticideEvent)] {
            let payload = record.payload
            #expect(try CanonicalJSON.decode(payload).canonicalBytes == payload)
            #expect(try Record(payload: payload) == record)
        }
    }
}
