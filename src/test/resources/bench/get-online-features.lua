-- wrk script of scripts/bench serve: POST /get-online-features for random driver ids.
--   wrk -c16 -t1 -d20s -s get-online-features.lua http://127.0.0.1:PORT -- KEYS KEY_SPACE DELAY_MS
-- KEYS ids per request out of [0, KEY_SPACE); DELAY_MS the mean pause of a connection between its
-- answer and its next request (0: as fast as the server answers). wrk pauses in whole
-- milliseconds, so each pause is the floor or the ceiling, drawn to give the mean: with C
-- connections the rate is C / (DELAY_MS + latency). done() prints one JSON line of figures.
local keys_per_request, key_space, delay_ms

function init(args)
  keys_per_request = tonumber(args[1])
  key_space = tonumber(args[2])
  delay_ms = tonumber(args[3])
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

function request()
  local ids = {}
  for i = 1, keys_per_request do
    ids[i] = math.random(0, key_space - 1)
  end
  local body = '{"features": ["serve_bench:average_daily_rides", "serve_bench:driver_rating",'
    .. ' "serve_bench:maximum_daily_rides"], "entities": {"driver_id": ['
    .. table.concat(ids, ",") .. ']}}'
  return wrk.format("POST", "/get-online-features", { ["Content-Type"] = "application/json" }, body)
end

function delay()
  if delay_ms <= 0 then
    return 0
  end
  local base = math.floor(delay_ms)
  if math.random() < delay_ms - base then
    return base + 1
  end
  return base
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "non_2xx": %d, "mean_us": %.1f,'
      .. ' "p50_us": %d, "p90_us": %d, "p99_us": %d, "p999_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
