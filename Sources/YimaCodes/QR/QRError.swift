/// Why a QR code could not be encoded or rendered.
public enum QRError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text to encode was empty; a QR code must carry at least one character.
    case emptyInput
    /// The text contains a NUL character (U+0000), which libqrencode's C-string API cannot carry.
    case containsNULCharacter
    /// The text does not fit in the largest symbol (version 40) at this error-correction level.
    /// libqrencode reports this with `errno == ERANGE`.
    case inputTooLong(utf8ByteCount: Int, errorCorrection: QRErrorCorrection)
    /// libqrencode rejected the input as invalid (`errno == EINVAL`).
    case invalidInput
    /// libqrencode could not allocate memory (`errno == ENOMEM`).
    case outOfMemory
    /// libqrencode failed for a reason it reported only as this `errno` value.
    case encoderFailed(errno: Int32)
    /// The requested image would be larger than ``QRMatrix/maximumImageSide`` pixels per side.
    case imageTooLarge(pixelsPerSide: Int, limit: Int)
    /// libpng failed to write the PNG; `message` is libpng's own explanation.
    case pngEncodingFailed(message: String)
    /// Writing the rendered image to `path` failed.
    case fileWriteFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .emptyInput:
            "cannot encode an empty string as a QR code"
        case .containsNULCharacter:
            "cannot encode text containing a NUL character (U+0000) as a QR code"
        case let .inputTooLong(byteCount, level):
            "text of \(byteCount) UTF-8 bytes is too long for any QR code version (1-40) "
                + "at error-correction level \(level.rawValue); shorten it or use a lower level"
        case .invalidInput:
            "libqrencode rejected the input as invalid (EINVAL)"
        case .outOfMemory:
            "libqrencode ran out of memory (ENOMEM)"
        case let .encoderFailed(code):
            "libqrencode failed with errno \(code)"
        case let .imageTooLarge(side, limit):
            "a \(side)x\(side) pixel image exceeds the limit of \(limit) pixels per side; "
                + "use a smaller module size or quiet zone"
        case let .pngEncodingFailed(message):
            "libpng could not write the PNG: \(message)"
        case let .fileWriteFailed(path, reason):
            "could not write \(path): \(reason)"
        }
    }
}
