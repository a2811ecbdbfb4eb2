-- wrk script: a placement officer reading stored searches' results, each request the next of
-- many searches centred on random points across England, so every one runs the whole search
-- (the statement, the exact filters and ranking, and the audit row). BENCH_COOKIE is the
-- officer's session cookie; BENCH_SEARCHES names a file of search ids (one a line). Answers
-- other than 200 are failures; `done` prints them and the latency percentiles.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  failures = 0
  searches = {}
  for line in io.lines(os.getenv("BENCH_SEARCHES")) do
    if line ~= "" then table.insert(searches, line) end
  end
  threads_n = tonumber(os.getenv("BENCH_THREADS") or "1")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
  wrk.headers["Sec-Fetch-Site"] = "same-origin"
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
end

function request()
  local i = counter * threads_n + tid
  counter = counter + 1
  local search = searches[(i % #searches) + 1]
  return wrk.format(nil, nil, nil, '{"search_id":"' .. search .. '","sort":""}')
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local f = 0
  for _, t in ipairs(threads) do
    f = f + (t:get("failures") or 0)
  end
  io.write(string.format("failures: %d\n", f))
  io.write(string.format("p50_us: %d\np95_us: %d\np99_us: %d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
