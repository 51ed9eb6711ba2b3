// YimaService
