// YimaCodes
