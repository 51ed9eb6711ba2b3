// The command line and the server see the service layer's vocabulary: keys,
// algorithms, codes, records and verdicts, and the stored forms they come back in.
@_exported import YimaCodes
@_exported import YimaCrypto
@_exported import YimaRecords
@_exported import YimaStore
@_exported import YimaLedger
@_exported import YimaLabels
@_exported import YimaText
