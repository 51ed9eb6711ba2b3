-- wrk script: each request asks for a random code from $CODES (one path per line),
-- with the Accept header from $ACCEPT, so lookups hit the whole database, not a
-- cached row. The requests are formatted once, at start: wrk's own CPU (it shares
-- the cores with the server) stays close to what it spends on a static URL.
local requests = {}
local accept = os.getenv("ACCEPT") or "application/json"
for line in io.lines(os.getenv("CODES")) do
  requests[#requests + 1] = wrk.format("GET", line, { ["Accept"] = accept })
end
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))

request = function()
  return requests[math.random(#requests)]
end
