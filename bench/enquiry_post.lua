-- wrk script: the public enquiry form posted as a browser without JavaScript posts it, with a
-- unique submission key and email on every request (so each one stores a new enquiry).
-- Usage: wrk ... -s bench/enquiry_post.lua URL/enquire -- RUN_NONCE
-- Counts answers other than a redirect (3xx), or other than BENCH_EXPECT_STATUS when that is set
-- (the bare server answers 201); `done` prints them as "non-3xx: N" (or "non-201: N").

local councils = { "portsmouth", "southampton", "kent", "surrey", "hampshire", "west-sussex",
  "reading", "oxfordshire", "medway", "brighton-hove", "other" }
local postcodes = { "PO1 2AB", "SO14 7DU", "ME14 1XX", "GU1 4AA", "SO22 5PQ", "RH10 1AA",
  "RG1 2LU", "OX1 1AA", "ME4 4TR", "BN1 1GE", "SW1A 1AA" }
local interests = { "interests=long_term", "interests=short_term&interests=emergency",
  "interests=short_breaks", "interests=parent_and_child", "interests=not_sure" }

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  nonce = tonumber(args[1]) or os.time()
  counter = 0
  failures = 0
  statuses = {}
  expected = tonumber(os.getenv("BENCH_EXPECT_STATUS") or "")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Accept"] = "text/html"
  wrk.headers["Sec-Fetch-Site"] = "same-origin"
end

function request()
  counter = counter + 1
  local i = counter % #councils + 1
  -- Version-4 shaped UUID: run nonce, thread and counter make it unique across runs.
  local key = string.format("%08x-%04x-4%03x-8%03x-%012x",
    nonce % 0x100000000, tid % 0x10000, math.random(0, 0xfff), math.random(0, 0xfff), counter)
  local body = "__form=%2Fapi%2Fenquiries%2Fsubmit&submission_key=" .. key ..
    "&source=bench" ..
    "&full_name=Bench+Enquirer" ..
    "&email=bench-" .. string.format("%x-%d-%d", nonce, tid, counter) .. "%40example.com" ..
    "&phone=07700+900123" ..
    "&postcode=" .. postcodes[i]:gsub(" ", "+") ..
    "&council=" .. councils[i] ..
    "&spare_bedroom=yes&" .. interests[counter % #interests + 1] ..
    "&heard_about=radio_tv&consent=yes"
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  local ok
  if expected then ok = status == expected else ok = status >= 300 and status < 400 end
  if not ok then
    failures = failures + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + (t:get("failures") or 0)
  end
  local label = tonumber(os.getenv("BENCH_EXPECT_STATUS") or "") or "3xx"
  io.write(string.format("non-%s: %d\n", label, total))
  io.write(string.format("p50_us: %d\np99_us: %d\n", latency:percentile(50), latency:percentile(99)))
end
