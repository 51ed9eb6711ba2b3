import CQRencode

/// The error-correction level of a QR code symbol (ISO/IEC 18004:2015, §7.5.1).
///
/// A higher level lets a reader recover from more damaged or dirty modules, at the
/// cost of capacity: the same text may need a larger version (more modules per side).
/// Labels printed on produce crates get scuffed and wet, so Yima defaults to ``Q``.
public enum QRErrorCorrection: String, CaseIterable, Sendable, Hashable {
    /// Low: about 7 % of codewords can be restored.
    case L
    /// Medium: about 15 % of codewords can be restored.
    case M
    /// Quartile: about 25 % of codewords can be restored. Yima's default.
    case Q
    /// High: about 30 % of codewords can be restored.
    case H

    /// The error-correction level Yima uses unless told otherwise.
    public static let `default`: QRErrorCorrection = .Q

    /// The matching libqrencode constant.
    var libqrencodeLevel: QRecLevel {
        switch self {
        case .L: QR_ECLEVEL_L
        case .M: QR_ECLEVEL_M
        case .Q: QR_ECLEVEL_Q
        case .H: QR_ECLEVEL_H
        }
    }
}
