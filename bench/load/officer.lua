-- One kind of officer request for wrk, with a think time between requests: each connection is one officer.
-- wrk -c N -t T -d 10m -s bench/load/officer.lua http://127.0.0.1:5100 -- KIND DIR
-- KIND: search | person | dashboard | change | import.  DIR: what bench/load/prepare wrote (sessions, people,
-- search terms, a commune, a run and its results file).
local kind, dir
local cookies, people, terms = {}, {}, {}
local commune, run, body, boundary
-- ms: an officer reads the page, then clicks again (THINK_MIN/THINK_MAX; by default 5-15 s, a busy officer)
local think_min, think_max = tonumber(os.getenv("THINK_MIN") or "5000"), tonumber(os.getenv("THINK_MAX") or "15000")
local counter = 0
local thread_no = 0

local function lines(path)
  local t = {}
  for l in io.lines(path) do if #l > 0 then t[#t + 1] = l end end
  return t
end

local threads = {}
function setup(thread)
  thread_no = thread_no + 1
  thread:set("thread_no", thread_no)
  threads[#threads + 1] = thread
end

function init(args)
  kind, dir = args[1], args[2]
  cookies = lines(dir .. "/cookies.txt")
  people = lines(dir .. "/people.txt")
  terms = lines(dir .. "/terms.txt")
  commune = lines(dir .. "/commune.txt")[1]
  run = lines(dir .. "/run.txt")[1]
  local f = io.open(dir .. "/results.body", "rb"); body = f:read("*a"); f:close()
  boundary = lines(dir .. "/results.boundary")[1]
  math.randomseed(os.time() + thread_no * 7919)
  start_second = os.time()
  start_minute = math.floor(os.time() / 60)
end

function delay()
  return math.random(think_min, think_max)
end

local function cookie() return cookies[(thread_no + counter) % #cookies + 1] end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  counter = counter + 1
  local h = { ["Cookie"] = cookie() }
  if kind == "search" then
    return wrk.format("GET", "/Registry?Q=" .. urlencode(terms[math.random(#terms)]), h)
  elseif kind == "person" then
    return wrk.format("GET", "/Registry/People/" .. people[math.random(#people)], h)
  elseif kind == "dashboard" then
    return wrk.format("GET", "/Dashboard/19", h)
  elseif kind == "change" then
    -- A new person (an application received): a citizen ID unique to this thread and request, two audit rows.
    -- (the year from the minute of the hour and the sequence from the second the run started, so runs do not collide)
    local seq = ((start_second % 90) * 10000 + counter) % 1000000
    local year = 30 + start_minute % 60
    local id = string.format("0191%02d%06d", year, seq)
    h["Content-Type"] = "application/json"
    local json = string.format('{"citizenId":"%s","fullName":"Nguyễn Thị Tải %d","birthDate":"19%02d-03-15","sex":"female","communeCode":"%s","hamlet":"Thôn Tải"}',
      id, counter, year, commune)
    return wrk.format("POST", "/api/v1/registry/people", h, json)
  elseif kind == "import" then
    -- The post office's results for a commune, sent again: checked line by line, nothing new recorded.
    h["Content-Type"] = "multipart/form-data; boundary=" .. boundary
    return wrk.format("POST", "/api/v1/payroll/19/runs/" .. run .. "/outcomes/file", h, body)
  end
end

local bad = 0
function response(status, headers, body)
  if status >= 400 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write(kind .. " " .. status .. " " .. string.sub(body or "", 1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  kind = os.getenv("KIND") -- done() runs in wrk's main state, where init() did not
  io.write(string.format("RESULT %s requests=%d seconds=%.0f rps=%.2f p50=%.1f p95=%.1f p99=%.1f max=%.1f mean=%.1f non2xx=%d socket_errors=%d\n",
    kind, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
