-- Varied requests for the Switchboard benchmark (bench/run.mjs); every request is built afresh.
--
--   wrk -t1 -c50 -d4s -s bench/wrk/switchboard.lua http://127.0.0.1:PORT -- SCENARIO DATA.lua
--
-- DATA.lua (written by bench/run.mjs) returns { accounts = N, companies = { {id, token, channel}, ... },
-- talk = { talk-to-me ids of unlocked accounts }, dates = { "YYYY-MM-DD" from today on }, hot = i }.
-- Account i belongs to company i % #companies and has the email u<i>@c<company>.bench.test; accounts
-- with i % 100 == 99 are locked (bench/seed.mjs). Every request carries the token of today of the
-- company it names, drawn from all companies.

local random, floor = math.random, math.floor
local scenario, N, C, companies, talk, dates, hot
local generate

local function unlocked(i)
  if i % 100 == 99 then
    return i - 1
  end
  return i
end

local function anyAccount()
  return unlocked(random(0, N - 1))
end

local function emailOf(i)
  return "u" .. i .. "@c" .. (i % C) .. ".bench.test"
end

local function companyOf(i)
  return companies[(i % C) + 1]
end

local function form(fields)
  local parts = {}
  for k = 1, #fields, 2 do
    parts[#parts + 1] = fields[k] .. "=" .. fields[k + 1]
  end
  return table.concat(parts, "&")
end

local function post(path, token, body)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

local function isAccount(companyIndex, email)
  local company = companies[companyIndex + 1]
  return wrk.format("GET", "/api/is-account?companyId=" .. company[1] .. "&email=" .. email .. "&key=" .. company[2])
end

local function isAccountHit()
  local i = anyAccount()
  return isAccount(i % C, emailOf(i))
end

local function isAccountMiss()
  local i = random(0, N - 1)
  return isAccount(i % C, "nobody" .. i .. "@c" .. (i % C) .. ".bench.test")
end

local function isAccountForeign()
  local i = anyAccount()
  return isAccount((i + 1) % C, emailOf(i))
end

local function personPublic()
  return wrk.format("GET", "/api/person-info?talkToMeId=" .. talk[random(1, #talk)])
end

local function personByEmail()
  local i = anyAccount()
  local company = companyOf(i)
  return wrk.format(
    "GET",
    "/api/person-info?email=" .. emailOf(i) .. "&companyId=" .. company[1],
    { ["Authorization"] = "Bearer " .. company[2] }
  )
end

-- A colleague of account i (same company, not locked), or nil.
local function colleague(i)
  local j = i + C
  if j >= N then
    j = i - C
  end
  if j < 0 or j % 100 == 99 then
    return nil
  end
  return j
end

local function outOfOffice(i)
  local company = companyOf(i)
  local from = random(1, 20)
  local fields = {
    "companyId", company[1],
    "accountEmail", emailOf(i),
    "awayFrom", dates[from],
    "awayUntil", dates[from + random(0, 10)],
  }
  local kind = random(1, 3)
  local j = colleague(i)
  if kind == 1 and j then
    fields[#fields + 1] = "substitution"
    fields[#fields + 1] = emailOf(j)
  elseif kind == 2 then
    fields[#fields + 1] = "substitutionChannel"
    fields[#fields + 1] = company[3]
  end
  return post("/api/out-of-office", company[2], form(fields))
end

local function doNotDisturb(i)
  local company = companyOf(i)
  local dnd = random(0, 1) == 1 and "true" or "false"
  return post("/api/do-not-disturb", company[2], form({ "companyId", company[1], "accountEmail", emailOf(i), "dnd", dnd }))
end

local function mix()
  local r = random()
  if r < 0.3 then
    return isAccountHit()
  elseif r < 0.6 then
    return personPublic()
  elseif r < 0.9 then
    return personByEmail()
  elseif r < 0.95 then
    return outOfOffice(anyAccount())
  end
  return doNotDisturb(anyAccount())
end

local scenarios = {
  ["is-account-hit"] = isAccountHit,
  ["is-account-miss"] = isAccountMiss,
  ["is-account-foreign"] = isAccountForeign,
  ["person-info-public"] = personPublic,
  ["person-info-email"] = personByEmail,
  ["out-of-office"] = function() return outOfOffice(anyAccount()) end,
  ["out-of-office-hot"] = function() return outOfOffice(hot) end,
  ["do-not-disturb"] = function() return doNotDisturb(anyAccount()) end,
  ["do-not-disturb-hot"] = function() return doNotDisturb(hot) end,
  ["mix-90-10"] = mix,
}

function init(args)
  scenario = args[1]
  local data = dofile(args[2])
  N = data.accounts
  companies = data.companies
  C = #companies
  talk = data.talk
  dates = data.dates
  hot = data.hot
  generate = scenarios[scenario]
  if not generate then
    error("unknown scenario " .. tostring(scenario))
  end
  math.randomseed(floor(os.time() + os.clock() * 1000000))
end

function request()
  return generate()
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"latencyUs":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max
  ))
end
