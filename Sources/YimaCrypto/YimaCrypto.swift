// YimaCrypto
