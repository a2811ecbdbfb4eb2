-- wrk script: a GET (or a POST with a fixed body, set in the environment) that must answer 200.
-- Headers come from the environment: BENCH_COOKIE (a session cookie), BENCH_ACCEPT, and for a
-- POST, BENCH_METHOD, BENCH_BODY and BENCH_CONTENT_TYPE. `done` prints "non-2xx: N".

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  failures = 0
  local cookie = os.getenv("BENCH_COOKIE")
  if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
  wrk.headers["Accept"] = os.getenv("BENCH_ACCEPT") or "text/html"
  local encoding = os.getenv("BENCH_ACCEPT_ENCODING")
  if encoding and encoding ~= "" then wrk.headers["Accept-Encoding"] = encoding end
  local method = os.getenv("BENCH_METHOD")
  if method and method ~= "" and method ~= "GET" then
    wrk.method = method
    wrk.body = os.getenv("BENCH_BODY") or ""
    wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") or "application/json"
    wrk.headers["Sec-Fetch-Site"] = "same-origin"
  end
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + (t:get("failures") or 0)
  end
  io.write(string.format("non-2xx: %d\n", total))
  io.write(string.format("p50_us: %d\np99_us: %d\n", latency:percentile(50), latency:percentile(99)))
end
