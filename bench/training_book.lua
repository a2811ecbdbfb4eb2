-- wrk script: places on training sessions, each request a different (person, session) pair, so
-- every one makes a new place (booked while seats last, then waiting).
-- The product: BENCH_COOKIES names a file of session cookies (one a line, one per person); the
-- request posts {"form":{"session":...}} to /api/training/book. The bare server: BENCH_LEARNERS
-- names a file of learner ids, and the request posts session=...&learner=... to /bookings.
-- BENCH_SESSIONS names a file of session ids. Pairs run person-fastest, so each session fills
-- from many people. Answers other than 2xx and 422 (a place refused by the per-person limit,
-- with its message) are failures; `done` prints both counts.

local threads = {}
local next_id = 0

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then table.insert(out, line) end
  end
  return out
end

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  failures = 0
  refused = 0
  sessions = lines(os.getenv("BENCH_SESSIONS"))
  local cookies = os.getenv("BENCH_COOKIES")
  if cookies and cookies ~= "" then
    people = lines(cookies)
    bare = false
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["Accept"] = "application/json"
  else
    people = lines(os.getenv("BENCH_LEARNERS"))
    bare = true
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  wrk.method = "POST"
  wrk.headers["Sec-Fetch-Site"] = "same-origin"
  threads_n = tonumber(os.getenv("BENCH_THREADS") or "1")
end

function request()
  -- Threads interleave their counters so no two share a pair.
  local i = counter * threads_n + tid
  counter = counter + 1
  local person = people[(i % #people) + 1]
  local session = sessions[(math.floor(i / #people) % #sessions) + 1]
  if bare then
    return wrk.format(nil, nil, nil, "session=" .. session .. "&learner=" .. person)
  end
  wrk.headers["Cookie"] = person
  return wrk.format(nil, nil, nil, '{"form":{"session":"' .. session .. '"}}')
end

function response(status, headers, body)
  if status == 422 then
    refused = refused + 1
  elseif status < 200 or status > 299 then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local f, r = 0, 0
  for _, t in ipairs(threads) do
    f = f + (t:get("failures") or 0)
    r = r + (t:get("refused") or 0)
  end
  io.write(string.format("failures: %d\nrefused: %d\n", f, r))
  io.write(string.format("p50_us: %d\np99_us: %d\n", latency:percentile(50), latency:percentile(99)))
end
