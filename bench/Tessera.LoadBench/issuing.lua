-- Tessera.LoadBench's wrk script for the issuing side (#13). Arguments (after --):
--   mode method path file content-type authorization threads
-- mode: "chain"  each line is a refresh token; the body is {"refresh_token":"…"} and every 200's
--                refresh_token is sent next, so each token is presented exactly once (one rotation
--                per request). wrk gives a script no connection id, but with pipelining off a
--                connection has one request in flight and response() runs before that connection's
--                next request(): tokens wait in a per-thread queue, a request takes one, its
--                response puts the successor back. So each chain stays strictly sequential (it may
--                move between connections) and a thread needs as many chains as connections.
--       "once"   each line is a request body (or, with method GET, a bearer token) sent once;
--                running out wraps around and is counted as "exhausted" (the run is then invalid).
--       "cycle"  the lines are sent round and round.
-- content-type and authorization: a header value, or "-" for none. done() prints one JSON line,
-- with "statuses": every answer that was not 2xx/3xx, counted by status and the body's error code
-- (RFC 6749 "error", the problem's "error" member), e.g. {"503 store_unavailable":47}, so a failed
-- run says what came back, not only how many.
local mode, method, path, content_type, authorization
local lines = {}
local prebuilt = {}
local queue, head, tail = {}, 1, 0
local next_index = 0
local probe = false
rotated, exhausted, lost, starved, repeated = 0, 0, 0, 0, 0
local seen = {}
statuses = {}

local threads = {}
local thread_count = 0

-- Runs in wrk's main state once per thread, before that thread's init(): numbers the threads so
-- each takes its own slice of the lines (no token is sent by two threads).
function setup(thread)
  thread:set("slice", thread_count)
  thread_count = thread_count + 1
  threads[#threads + 1] = thread
end

local function headers()
  local h = {}
  if content_type ~= "-" then h["Content-Type"] = content_type end
  if authorization ~= "-" then h["Authorization"] = authorization end
  return h
end

local function build(line)
  if method == "GET" then
    return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. line })
  end
  return wrk.format(method, path, headers(), line)
end

local function count_status(status, body)
  local code = body and body:match('"error"%s*:%s*"([^"]+)"') or "-"
  local key = status .. " " .. code
  statuses[key] = (statuses[key] or 0) + 1
end

-- The once and cycle modes read answers only to count the failed ones.
function status_response(status, headers, body)
  if status >= 400 or status < 200 then count_status(status, body) end
end

function chain_response(status, headers, body)
  if status >= 400 or status < 200 then count_status(status, body) end
  local token = status == 200 and body and body:match('"refresh_token":"([^"]+)"')
  if not token then
    lost = lost + 1
    return
  end
  if seen[token] then repeated = repeated + 1 else seen[token] = true end
  rotated = rotated + 1
  tail = tail + 1
  queue[tail] = token
end

local function refresh_request(token)
  return wrk.format("POST", path, headers(), '{"refresh_token":"' .. token .. '"}')
end

function init(args)
  mode, method, path = args[1], args[2], args[3]
  content_type, authorization = args[5], args[6]
  local slices = tonumber(args[7])
  local index = 0
  for line in io.lines(args[4]) do
    if line ~= "" then
      if index % slices == slice then lines[#lines + 1] = line end
      index = index + 1
    end
  end
  if #lines == 0 then error("no lines for thread " .. slice .. " in " .. args[4]) end
  if mode == "chain" then
    for _, token in ipairs(lines) do tail = tail + 1; queue[tail] = token end
  elseif mode == "cycle" then
    for i, line in ipairs(lines) do prebuilt[i] = build(line) end
  end
  -- wrk calls request() once on the first thread to see whether the script pipelines, and drops
  -- that request: it must not consume a token.
  probe = (slice == 0)
  -- The chain mode reads every answer; the others only count the failed ones (wrk parses bodies
  -- once the script has response(): a little load-generator CPU, worth a failure that explains itself).
  if mode == "chain" then response = chain_response else response = status_response end
end

function request()
  if probe then
    probe = false
    if mode == "chain" then return refresh_request(queue[head]) end
    return build(lines[1])
  end
  if mode == "chain" then
    if head > tail then
      -- Every chain is in flight or broken (a refused rotation ends its chain): send a token that
      -- cannot rotate, so the failure shows as a non-2xx answer.
      starved = starved + 1
      return refresh_request("starved")
    end
    local token = queue[head]
    queue[head] = nil
    head = head + 1
    return refresh_request(token)
  end
  next_index = next_index + 1
  if next_index > #lines then
    if mode == "once" then exhausted = exhausted + 1 end
    next_index = 1
  end
  if mode == "cycle" then return prebuilt[next_index] end
  return build(lines[next_index])
end

function done(summary, latency, requests)
  local r, x, l, s, p = 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    r = r + t:get("rotated"); x = x + t:get("exhausted"); l = l + t:get("lost"); s = s + t:get("starved"); p = p + t:get("repeated")
  end
  local counted = {}
  for _, t in ipairs(threads) do
    for key, n in pairs(t:get("statuses") or {}) do counted[key] = (counted[key] or 0) + n end
  end
  local parts = {}
  for key, n in pairs(counted) do parts[#parts + 1] = string.format('"%s":%d', key:gsub('[^%w _.-]', '?'), n) end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationMicroseconds":%d,"bytesRead":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"non2xxOr3xx":%d,"timeouts":%d,' ..
    '"latencyP50Microseconds":%d,"latencyP90Microseconds":%d,"latencyP99Microseconds":%d,"latencyMaxMicroseconds":%d,"latencyMeanMicroseconds":%.1f,' ..
    '"rotated":%d,"exhausted":%d,"lost":%d,"starved":%d,"repeated":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    r, x, l, s, p, table.concat(parts, ",")))
end
