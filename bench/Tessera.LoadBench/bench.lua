-- Tessera.LoadBench's wrk script. Arguments (after --): the path, then a file of credentials, one
-- "Header-Name<TAB>value" per line (empty for no credential). Each connection cycles through the
-- prebuilt requests, one per signed-in user; done() prints one JSON line with the results.
local prebuilt = {}
local next_index = 0

function init(args)
  local path, file = args[1], args[2]
  for line in io.lines(file) do
    local name, value = line:match("^([^\t]+)\t(.+)$")
    if name then
      prebuilt[#prebuilt + 1] = wrk.format("GET", path, { [name] = value })
    end
  end
  if #prebuilt == 0 then
    prebuilt[1] = wrk.format("GET", path)
  end
  next_index = math.random(#prebuilt) - 1
end

function request()
  next_index = next_index % #prebuilt + 1
  return prebuilt[next_index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationMicroseconds":%d,"bytesRead":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"non2xxOr3xx":%d,"timeouts":%d,' ..
    '"latencyP50Microseconds":%d,"latencyP90Microseconds":%d,"latencyP99Microseconds":%d,"latencyMaxMicroseconds":%d,"latencyMeanMicroseconds":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
