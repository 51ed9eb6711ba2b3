// The command line and the server see the service layer's vocabulary: keys,
// algorithms, codes and verdicts.
@_exported import YimaCodes
@_exported import YimaCrypto
