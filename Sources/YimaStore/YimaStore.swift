import GRDB
// YimaStore: persistence behind a protocol; SQLite through GRDB.
