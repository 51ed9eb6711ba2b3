import Foundation

/// What a label template declares besides its SVG (docs/labels.md §Template format):
/// the label's size, the square the QR code may fill, and the boxes text is fitted
/// into. `NAME.json` beside `NAME.svg.mustache` in the templates folder.
public struct LabelLayout: Sendable, Decodable {
    /// What the label is stuck on, which decides the fields it may show and the QR's content.
    public enum Kind: String, Sendable, Decodable {
        /// One unit of produce: the QR is its signed unit code.
        case unit
        /// A carton or a pallet: the QR is the SSCC as a GS1 Digital Link (AI 00).
        case carton, pallet
    }

    public var kind: Kind
    public var widthMM: Double
    public var heightMM: Double
    public var description: String?
    public var qr: QRBox
    /// Text boxes by field name (``LabelField``).
    public var text: [String: TextBox]
    /// The font family text is measured and drawn in.
    public var fontFamily: String

    /// The square the QR code, with its quiet zone, is centred in.
    public struct QRBox: Sendable, Decodable {
        public var xMM: Double
        public var yMM: Double
        public var sizeMM: Double
        /// The template's own floor for the module size; never below ``LabelLayout/minimumModuleMM``.
        public var minModuleMM: Double?

        enum CodingKeys: String, CodingKey {
            case xMM = "x_mm", yMM = "y_mm", sizeMM = "size_mm", minModuleMM = "min_module_mm"
        }
    }

    /// A box a field's text is fitted into: shrunk from `fontPt` down to `minFontPt`
    /// and wrapped onto at most `maxLines` lines; text that still does not fit is an error.
    public struct TextBox: Sendable, Decodable {
        public enum Alignment: String, Sendable, Decodable { case start, middle, end }

        public var xMM: Double
        public var yMM: Double
        public var widthMM: Double
        public var heightMM: Double
        public var fontPt: Double
        public var minFontPt: Double?
        public var maxLines: Int?
        public var bold: Bool?
        public var align: Alignment?
        /// Text put before the value, e.g. `产地：`.
        public var prefix: String?

        enum CodingKeys: String, CodingKey {
            case xMM = "x_mm", yMM = "y_mm", widthMM = "width_mm", heightMM = "height_mm"
            case fontPt = "font_pt", minFontPt = "min_font_pt", maxLines = "max_lines", bold, align, prefix
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, widthMM = "width_mm", heightMM = "height_mm", description, qr, text, fontFamily = "font_family"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        widthMM = try container.decode(Double.self, forKey: .widthMM)
        heightMM = try container.decode(Double.self, forKey: .heightMM)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        qr = try container.decode(QRBox.self, forKey: .qr)
        text = try container.decodeIfPresent([String: TextBox].self, forKey: .text) ?? [:]
        fontFamily = try container.decodeIfPresent(String.self, forKey: .fontFamily) ?? Self.defaultFontFamily
    }

    /// Noto Sans CJK SC (Debian's fonts-noto-cjk): simplified Chinese glyphs and Latin.
    public static let defaultFontFamily = "Noto Sans CJK SC"
    /// The smallest QR module any label may print (docs/labels.md §Minimum sizes): a phone
    /// camera at reading distance resolves a quarter millimetre, and it is two dots at 203 dpi.
    public static let minimumModuleMM = 0.25
    /// The fewest printer dots per module: a single thermal dot blurs into its neighbours.
    public static let minimumDotsPerModule = 2
    /// Light modules around the symbol (ISO/IEC 18004:2015 §6.3.8).
    public static let quietZoneModules = 4
    /// Text smaller than this is not legible on a thermal print.
    public static let minimumFontPt = 4.0
    /// Millimetres per typographic point.
    public static let mmPerPoint = 25.4 / 72
}
