// YimaRecords: parties, products, batches, events, signed envelopes, domain rules.
