/// The deprecated "convenience alphas" that GS1 Digital Link URI Syntax 1.0-1.2
/// allowed in place of numeric AIs in the path (`/gtin/…` for `/01/…`).
/// Only used with ``DigitalLinkParseOptions/permitConvenienceAlphas``.
enum DigitalLinkConvenienceAlphas {
    static let aiByAlpha: [String: String] = [
        "cpid": "8010", "cpsn": "8011", "cpv": "22", "gcn": "255", "gdti": "253",
        "giai": "8004", "ginc": "401", "gln": "414", "glnx": "254", "gmn": "8013",
        "grai": "8003", "gsin": "402", "gsrn": "8018", "gsrnp": "8017", "gtin": "01",
        "itip": "8006", "lot": "10", "party": "417", "refno": "8020", "ser": "21",
        "srin": "8019", "sscc": "00",
    ]
}
