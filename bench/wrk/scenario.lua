-- One wrk script for every planspor scenario. The requests come from the file
-- named by BENCH_REQUESTS, one per line: METHOD<TAB>PATH[<TAB>JSON BODY]; each
-- request picks a line at random (so a mixed load is the mix of its lines),
-- with the bearer token from BENCH_TOKEN. BENCH_DELAY_MS > 0 paces every
-- connection (the mixed load at a fixed share of its maximum rate).
-- done() prints one machine-readable line: "BENCH {json}".

local requests = {}
local delay_ms = 0

function init(args)
  local token = os.getenv("BENCH_TOKEN") or ""
  delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0") or 0
  local headers = { ["Authorization"] = "Bearer " .. token }
  local json_headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  local file = assert(io.open(os.getenv("BENCH_REQUESTS"), "r"))
  for line in file:lines() do
    local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
    if method then
      if body ~= "" then
        requests[#requests + 1] = wrk.format(method, path, json_headers, body)
      else
        requests[#requests + 1] = wrk.format(method, path, headers, nil)
      end
    end
  end
  file:close()
  assert(#requests > 0, "no requests in " .. os.getenv("BENCH_REQUESTS"))
  math.randomseed(42 + #requests)
end

function request()
  return requests[math.random(#requests)]
end

function delay()
  return delay_ms
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "rps": %.1f, "mean_ms": %.3f, "p50_ms": %.3f, '
      .. '"p99_ms": %.3f, "max_ms": %.3f, "errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6), latency.mean / 1000,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout + e.status, e.status))
end
