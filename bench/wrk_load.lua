-- wrk script for the load run: visits the paths in BENCH_PATHS in turn, each request from a
-- different made-up reader (X-Forwarded-For, trusted with NUM_PROXIES=1 as behind nginx), and
-- counts answers by status, so 4xx and 5xx can be told apart (wrk only counts "non-2xx or 3xx").
local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "/", "%S+") do
  table.insert(paths, path)
end
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  sent = 0
  math.randomseed(os.time() + math.random(1, 100000))
end

function request()
  sent = sent + 1
  local reader = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  return wrk.format("GET", paths[(sent % #paths) + 1], { ["X-Forwarded-For"] = reader })
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d: %d\n", status, n))
  end
end
