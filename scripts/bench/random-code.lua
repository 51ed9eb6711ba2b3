-- wrk script: each request asks for a random code from $CODES (one path per line),
-- with the Accept header from $ACCEPT, so lookups hit the whole database, not a
-- cached row.
local paths = {}
for line in io.lines(os.getenv("CODES")) do paths[#paths + 1] = line end
local accept = os.getenv("ACCEPT") or "application/json"
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))

request = function()
  return wrk.format("GET", paths[math.random(#paths)], { ["Accept"] = accept })
end
