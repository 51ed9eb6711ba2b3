// YimaServer: the lookup server (Hummingbird 2): resolver, consumer page, JSON, linkset, write API.
