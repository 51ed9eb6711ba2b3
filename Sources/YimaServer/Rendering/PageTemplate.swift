import NIOCore

/// A consumer page rendered once with markers where per-unit values go, cut into
/// literal pieces and slots. A lookup writes the pieces and its unit's values
/// (HTML-escaped as Mustache escapes them), so a page costs copies, not a render.
struct PageTemplate: Sendable {
    /// The values that differ between units of a batch on the page.
    enum Slot: UInt8, CaseIterable, Sendable {
        case count, clients, firstScan
        /// The lookup URL's path and query with `?` or `&` after it, for links that add a parameter.
        case target

        /// What the page model carries in place of the value: private-use characters
        /// Mustache leaves alone and no real value contains.
        var marker: String { "\u{E000}\(Character(Unicode.Scalar(0x41 + rawValue)))\u{E001}" }
    }

    enum Piece: Sendable {
        case literal([UInt8])
        case slot(Slot)
    }

    let pieces: [Piece]
    /// Bytes of the literal pieces, to size the response buffer.
    let literalSize: Int

    /// Cuts a page rendered with `Slot.marker`s in place of values.
    init(rendered: String) {
        let bytes = Array(rendered.utf8)
        let open = Array("\u{E000}".utf8), close = Array("\u{E001}".utf8)
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index...].starts(with: open), index + open.count + 1 + close.count <= bytes.count,
               bytes[(index + open.count + 1)...].starts(with: close),
               let slot = Slot(rawValue: bytes[index + open.count] &- 0x41) {
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = []
                pieces.append(.slot(slot))
                index += open.count + 1 + close.count
            } else {
                literal.append(bytes[index])
                index += 1
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
        literalSize = bytes.count
    }

    /// The page with `value(slot)` in each slot.
    func render(_ value: (Slot) -> String) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: literalSize + 256)
        for piece in pieces {
            switch piece {
            case .literal(let bytes): buffer.writeBytes(bytes)
            case .slot(let slot): Self.writeEscaped(value(slot), to: &buffer)
            }
        }
        return buffer
    }

    /// HTML escaping as Mustache's `{{value}}` does it: `<`, `>`, `&`, `"` and `'`.
    /// Runs without those are copied whole (links carry 200-byte signatures).
    static func writeEscaped(_ text: String, to buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() {
                let entity: StaticString
                switch byte {
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&#39;"
                default: continue
                }
                buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<index])))
                buffer.writeStaticString(entity)
                start = index + 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start...])))
        }
    }
}
