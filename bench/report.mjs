// Renders bench/RESULTS.md from the JSON that bench/run.mjs writes. On its own, to re-render:
//
//   node bench/report.mjs bench/results.json > bench/RESULTS.md
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

const MB = 1024;
const fixed = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const int = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en') : 'n/a');
const ms = (us) => (Number.isFinite(us) ? (us / 1000).toFixed(us < 10_000 ? 2 : 1) : 'n/a');
const mib = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MiB` : 'n/a');
const medianOf = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const verdict = (ok) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**');

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/** The issue's targets against what was measured. */
export function targets(results) {
  const sqlite = (accounts) =>
    results.phases.find((p) => p.store === 'sqlite' && p.accounts === accounts && !p.serveArgs?.length);
  const main = sqlite(100_000);
  const small = sqlite(1_000);
  const large = sqlite(1_000_000);
  const s = (phase, name) => phase?.summary?.[name];
  const rows = [];
  const ratioRow = (label, name) => {
    const value = s(main, name)?.medianRatio;
    rows.push([
      label,
      '>= 0.80 x baseline',
      value === undefined ? 'n/a' : `${fixed(value)} x`,
      verdict(value === undefined ? undefined : value >= 0.8),
    ]);
  };
  ratioRow('authenticated is-account, SQLite, 100k accounts', 'is-account-hit');
  ratioRow('public person-info by talk-to-me id, SQLite, 100k', 'person-info-public');
  const p99s = ['is-account-hit', 'person-info-public'].map((name) => s(main, name)?.medianP99Ratio);
  const p99Known = p99s.every(Number.isFinite);
  rows.push([
    'p99 latency of those reads',
    '<= 2 x baseline p99',
    p99Known ? `${fixed(p99s[0], 1)} x / ${fixed(p99s[1], 1)} x` : 'n/a',
    verdict(p99Known ? Math.max(...p99s) <= 2 : undefined),
  ]);
  const writes = s(main, 'out-of-office')?.medianRps;
  rows.push([
    'out-of-office writes, SQLite, durable',
    '>= 3,000 writes/s',
    writes === undefined ? 'n/a' : `${int(writes)} writes/s`,
    verdict(writes === undefined ? undefined : writes >= 3000),
  ]);
  const scaleRatios = ['is-account-hit', 'person-info-public'].map((name) => {
    const a = s(large, name)?.medianRatio;
    const b = s(small, name)?.medianRatio;
    return a !== undefined && b !== undefined ? a / b : undefined;
  });
  const scaleKnown = scaleRatios.every(Number.isFinite);
  rows.push([
    '1,000,000 vs 1,000 accounts, same scenario',
    'within 10 %',
    scaleKnown ? `is-account ${fixed(scaleRatios[0])}, person-info ${fixed(scaleRatios[1])}` : 'n/a',
    verdict(scaleKnown ? scaleRatios.every((r) => Math.abs(r - 1) <= 0.1) : undefined),
  ]);
  const rss = large?.peakRssKb;
  rows.push([
    'server RSS with 1,000,000 accounts under load',
    '<= 200 MB',
    rss === undefined ? 'n/a' : `${fixed(rss / MB, 0)} MiB peak`,
    verdict(rss === undefined ? undefined : rss / MB <= 200),
  ]);
  const cold = medianOf(large?.coldStartMs ?? []);
  rows.push([
    'cold start to first answer, 1,000,000 accounts',
    '<= 1 s',
    cold === undefined ? 'n/a' : `${int(cold)} ms`,
    verdict(cold === undefined ? undefined : cold <= 1000),
  ]);
  return rows;
}

/** What the numbers say beyond the targets table, computed from the same results. */
function findings(results) {
  const lines = [];
  const main = results.phases.find((p) => p.store === 'sqlite' && p.accounts === 100_000 && !p.serveArgs?.length);
  const base = main?.profiles?.baseline;
  const hit = main?.profiles?.['is-account-hit'];
  const info = main?.profiles?.['person-info-public'];
  if (base?.cpuUsPerRequest && hit?.cpuUsPerRequest) {
    lines.push(
      `- **The gap is CPU per request.** Profiled on ${main.label}: the baseline spends ${fixed(base.cpuUsPerRequest, 0)} µs ` +
        `of server CPU per request and idles ${fixed(base.idlePct, 0)} % of the time (it is bound by the load generator, ` +
        `not by its core); Switchboard spends ${fixed(hit.cpuUsPerRequest, 0)} µs per is-account and ` +
        `${fixed(info?.cpuUsPerRequest, 0)} µs per public person-info and idles ${fixed(hit.idlePct, 0)} %. ` +
        `One core at ${fixed(hit.cpuUsPerRequest, 0)} µs serves at most ~${int(1e6 / hit.cpuUsPerRequest)} req/s: ` +
        '0.80 x baseline needs the hot path several times cheaper (see the profiles below), not tuning at the margin.',
    );
  }
  const micro = results.phases.find((p) => p.micro && !p.micro.error)?.micro;
  const writes = results.phases
    .filter((p) => p.store === 'sqlite' && !p.serveArgs?.length && p.summary?.['out-of-office'])
    .map((p) => `${int(p.summary['out-of-office'].medianRps)} (${p.label})`);
  if (micro && writes.length) {
    lines.push(
      `- **Writes are bound by fsync.** Every write commits alone with synchronous = FULL, one WAL fsync each, on the ` +
        `event-loop thread (better-sqlite3 is synchronous): an fsync took ${fixed(micro.fsyncUs / 1000, 1)} ms and a ` +
        `durable write ${fixed(micro.durableWriteUs / 1000, 1)} ms in the micro-benchmark, ` +
        `${fixed(micro.groupCommit32WriteUs / 1000, 2)} ms per write with 32 writes to a commit. Out-of-office writes/s by ` +
        `run: ${writes.join(', ')}; they follow the shared disk's fsync latency, which changed several-fold during the ` +
        'run. While a commit syncs, no read is served either: hence the p99 of the write scenarios and the mix.',
    );
  }
  const small = results.phases.find((p) => p.store === 'sqlite' && p.accounts === 1_000 && !p.serveArgs?.length);
  const large = results.phases.find((p) => p.store === 'sqlite' && p.accounts === 1_000_000 && !p.serveArgs?.length);
  if (small && large) {
    const span = (p, name) => `${fixed(p.summary[name].minRatio)}–${fixed(p.summary[name].maxRatio)}`;
    lines.push(
      `- **Scale barely matters; noise does.** 1k vs 1M accounts: is-account ratio ranges ${span(small, 'is-account-hit')} ` +
        `vs ${span(large, 'is-account-hit')}, person-info ${span(small, 'person-info-public')} vs ` +
        `${span(large, 'person-info-public')} over the rounds; the medians differ by less than the round-to-round spread. ` +
        `Cold start (${int(medianOf(small.coldStartMs))} ms at 1k, ${int(medianOf(large.coldStartMs))} ms at 1M) is module ` +
        'loading, not data: SQLite opens a file of any size at once (see the cold-start profile).',
    );
  }
  lines.push(
    '- **Rate limits and load shedding were off** (`SWITCHBOARD_RATE_LIMIT_*=0`, `SWITCHBOARD_OVERLOAD_DELAY_MS=0`, ' +
      'see the server command below): one load generator on one address would otherwise measure 429 and 503 answers. ' +
      'Throughput counts 2xx answers only; the non-2xx column shows every other answer.',
  );
  return lines;
}

function phaseTable(phase, scenarios) {
  const rows = [];
  for (const scenario of scenarios) {
    const s = phase.summary?.[scenario.name];
    if (!s) continue;
    const ratio =
      scenario.name === 'baseline'
        ? '1 (reference)'
        : `${fixed(s.medianRatio)} (${fixed(s.minRatio)}–${fixed(s.maxRatio)})`;
    rows.push([
      `\`${scenario.name}\``,
      scenario.what,
      int(s.medianRps),
      ratio,
      ms(s.medianP50Us),
      ms(s.medianP99Us),
      scenario.name === 'baseline' ? '1' : fixed(s.medianP99Ratio, 1),
      `${s.non2xx}${s.errors ? ` (+${s.errors} socket)` : ''}`,
    ]);
  }
  return table(
    [
      'scenario',
      'requests',
      'req/s (median)',
      'ratio to baseline: median (min–max)',
      'p50 ms',
      'p99 ms',
      'p99 / baseline p99',
      'non-2xx',
    ],
    rows,
  );
}

function profileSection(name, profile) {
  if (!profile || profile.error) return [`#### ${name}`, '', `No profile: ${profile?.error ?? 'not run'}.`, ''];
  const lines = [`#### ${name}`, ''];
  if (profile.cpuUsPerRequest) {
    lines.push(
      `${int(profile.rps)} req/s while profiled; ${fixed(profile.cpuUsPerRequest, 0)} µs of server CPU per request ` +
        `(${int(profile.busyMs)} ms busy of a ${int(profile.windowMs)} ms window, ${fixed(profile.idlePct, 1)} % idle).`,
      '',
    );
  } else if (profile.firstAnswerMs) {
    lines.push(
      `Whole process, spawn to first answer in ${int(profile.firstAnswerMs)} ms, then exit; ${int(profile.busyMs)} ms busy.`,
      '',
    );
  }
  const inclusive = Object.entries(profile.inclusive ?? {}).filter(([, pct]) => pct >= 0.5);
  lines.push(
    '<table><tr><td valign="top">',
    '',
    ...table(
      ['self time by package / runtime part', '% of busy'],
      profile.byCategory.slice(0, 12).map((c) => [c.category, fixed(c.selfPct, 1)]),
    ),
    '',
    '</td><td valign="top">',
    '',
    ...table(
      ['inclusive (anywhere on the stack)', '% of busy'],
      inclusive.map(([label, pct]) => [label, fixed(pct, 1)]),
    ),
    '',
    '</td></tr></table>',
    '',
    ...table(
      ['top self-time functions', 'where', '% of busy'],
      profile.topSelf.slice(0, 15).map((f) => [`\`${f.name}\``, f.where ? `\`${f.where}\`` : '', fixed(f.selfPct, 1)]),
    ),
    '',
  );
  return lines;
}

function microSection(micro) {
  if (!micro) return [];
  if (micro.error) return ['## Micro-benchmarks', '', `Failed: ${micro.error}`, ''];
  const rows = [
    ['token check, window 1 (3 days x 2 SHA-256 + compare)', `${fixed(micro.tokenWindow1Us)} µs`],
    ['token check, window 0 (today only)', `${fixed(micro.tokenWindow0Us)} µs`],
    ['one token (2 SHA-256)', `${fixed(micro.computeTokenUs)} µs`],
    ['account by email: prepared statement `.get()`', `${fixed(micro.rawReadUs)} µs`],
    ['the same with `cache_size = -65536` (64 MiB page cache)', `${fixed(micro.rawReadCache64MbUs)} µs`],
    ['the same with `mmap_size = 1 GiB`', `${fixed(micro.rawReadMmapUs)} µs`],
    [
      'account by email: Kysely `findAccountByEmail` (build, compile, prepare, run, await)',
      `${fixed(micro.kyselyReadUs)} µs`,
    ],
    ['Kysely build + compile of that query only', `${fixed(micro.kyselyCompileUs)} µs`],
    ['person-info row (4-table join): prepared statement', `${fixed(micro.rawProfileReadUs)} µs`],
    ['person-info row: Kysely `findAccountProfile`', `${fixed(micro.kyselyProfileReadUs)} µs`],
    ['company by id: prepared statement', `${fixed(micro.rawCompanyReadUs)} µs`],
    ['`db.prepare()` of a one-table select (what Kysely pays per query)', `${fixed(micro.prepareUs)} µs`],
    ['Kysely ``sql`select 1` `` round trip', `${fixed(micro.kyselySqlNowUs)} µs`],
    [
      'durable write: BEGIN IMMEDIATE, read, update, audit, COMMIT (synchronous FULL)',
      `${fixed(micro.durableWriteUs)} µs`,
    ],
    ['the same, 32 writes per transaction (group commit), per write', `${fixed(micro.groupCommit32WriteUs)} µs`],
    ['fsync of a 4 KiB write on the benchmark disk', `${fixed(micro.fsyncUs)} µs`],
    ['bare `node -e 0`, spawn to exit', `${int(micro.bareNodeMs)} ms`],
  ];
  const imports = Object.entries(micro.importMs ?? {}).map(([name, value]) => [
    `\`import('${name}')\``,
    `${int(value)} ms`,
  ]);
  return [
    '## Micro-benchmarks of the hot path',
    '',
    `Pinned to the server core, on the database of ${micro.phase ?? 'the run'} (\`node bench/micro.mjs\`); median of 5 batches.`,
    '',
    ...table(['what', 'cost per call'], rows),
    '',
    'Import time of what a cold start loads, each in a fresh process (median of 3):',
    '',
    ...table(['module', 'import'], imports),
    '',
  ];
}

export function renderReport(results, jsonName = 'results.json') {
  const lines = [
    '# Switchboard benchmark results',
    '',
    `Measured by \`${results.commands.suite}\` (\`bench/run.mjs\`) on ${results.date.slice(0, 16).replace('T', ' ')} UTC, ` +
      `commit \`${results.commit.slice(0, 12)}\`, ${results.settings.mode} mode` +
      (results.durationMinutes ? `, ${results.durationMinutes} min` : '') +
      `. Raw numbers, every round: [\`${basename(jsonName)}\`](${jsonName}). The build under test is \`dist/\` as ` +
      '`npm run build` left it at the start (copied to `bench/out/app/`, so that a rebuild meanwhile changes nothing); ' +
      'the working tree may hold uncommitted work on top of that commit.',
    '',
    `Every figure is a **median of per-round ratios** to a plain \`node:http\` server that parses the query string and ` +
      `answers the same bytes as \`is-account\` (the baseline, run in the same rounds): ${results.settings.rounds} rounds x ` +
      `${results.settings.seconds} s per scenario, scenarios in a new random order each round, ` +
      `${results.settings.connections} connections, server on core 0 and load generator (${results.settings.tool}) on core 1. ` +
      'Absolute req/s on this shared machine swing up to 2x within minutes; the ratios are the result.',
    '',
    '## Targets (issue 6)',
    '',
    ...table(['target', 'wanted', 'measured', ''], targets(results)),
    '',
    '## What the numbers say',
    '',
    ...findings(results),
    '',
  ];

  const sqlitePhases = results.phases.filter((p) => p.store === 'sqlite' && !p.serveArgs?.length);
  if (sqlitePhases.length > 0) {
    const scaleRows = sqlitePhases.map((p) => [
      int(p.accounts),
      int(p.companies),
      `${fixed(p.seedMs / 1000, 1)} s`,
      `${mib(p.dbBytesSeeded)} / ${mib(p.dbBytesAfter)}`,
      `${int(medianOf(p.coldStartMs))} (${p.coldStartMs.join(', ')})`,
      p.idleRssKb ? `${fixed(p.idleRssKb / MB, 0)} MiB` : 'n/a',
      p.peakRssKb ? `${fixed(p.peakRssKb / MB, 0)} MiB` : 'n/a',
      fixed(p.summary?.['is-account-hit']?.medianRatio),
      fixed(p.summary?.['person-info-public']?.medianRatio),
      int(p.summary?.['out-of-office']?.medianRps),
    ]);
    lines.push(
      '## Scale (SQLite)',
      '',
      ...table(
        [
          'accounts',
          'companies',
          'seeding',
          'DB size seeded / after run',
          'cold start to first answer, ms: median (each)',
          'RSS idle',
          'RSS peak under load',
          'is-account ratio',
          'person-info ratio',
          'out-of-office writes/s',
        ],
        scaleRows,
      ),
      '',
      'Seeding inserts companies, accounts, 3 channels per company with members, absences (10 % away now with a ' +
        'substitute, 10 % away ahead with a channel, 5 % past) and the audit entries the service would have written, ' +
        'in big transactions into a database migrated by the app itself (`bench/seed.mjs`). Cold start: spawn of ' +
        '`node bin/switchboard.js serve` to the first 200 of `is-account`, with the file in the OS cache.',
      '',
    );
  }

  lines.push('## Scenarios', '');
  for (const phase of results.phases) {
    const loads = phase.rounds?.map((r) => r.loadAverage) ?? [];
    lines.push(
      `### ${phase.label}${phase.serveArgs?.length ? ` (\`serve ${phase.serveArgs.join(' ')}\`)` : ''}`,
      '',
      `${int(phase.accounts)} accounts in ${int(phase.companies)} companies; server on core ${phase.serverCores ?? '0'}` +
        (phase.serverCores?.includes(',')
          ? ' (it shares core 1 with the load generator: not comparable with one-core runs)'
          : '') +
        `; ${phase.rounds?.length ?? 0} rounds; ` +
        `load average during the rounds ${fixed(Math.min(...loads), 1)}–${fixed(Math.max(...loads), 1)}; ` +
        `peak server RSS ${phase.peakRssKb ? `${fixed(phase.peakRssKb / MB, 0)} MiB` : 'n/a'}; ` +
        `cold start ${int(medianOf(phase.coldStartMs ?? []))} ms; seeding ${fixed(phase.seedMs / 1000, 1)} s; ` +
        `database ${mib(phase.dbBytesSeeded)} seeded, ${mib(phase.dbBytesAfter)} after the run.`,
      '',
    );
    if (phase.smokeProblems?.length) {
      lines.push('**Wrong answers before measuring:**', '', ...phase.smokeProblems.map((p) => `- ${p}`), '');
    }
    lines.push(...phaseTable(phase, results.scenarios), '');
  }

  const profiled = results.phases.find((p) => p.profiles);
  if (profiled) {
    lines.push(
      '## Where the time goes (CPU profiles)',
      '',
      `\`node --cpu-prof --cpu-prof-interval=250\` on the server of ${profiled.label}, ${results.settings.profileSeconds} s ` +
        'of load after a 2 s warm-up; only the samples of the measured load count. Percentages are of busy (non-idle) ' +
        'samples; `(program)` is V8 and native work outside JavaScript frames. Files: ' +
        `\`bench/out/${profiled.label}/profile/<scenario>/*.cpuprofile\` (\`node bench/profile.mjs <file>\` summarises one).`,
      '',
    );
    for (const [name, profile] of Object.entries(profiled.profiles)) lines.push(...profileSection(name, profile));
  }
  const micro = results.phases.find((p) => p.micro)?.micro;
  lines.push(...microSection(micro));

  lines.push(
    '## Machine and commands',
    '',
    ...table(
      ['', ''],
      Object.entries(results.machine).map(([key, value]) => [
        key,
        `\`${Array.isArray(value) ? value.join(' ') : value}\``,
      ]),
    ),
    '',
    ...table(
      ['what', 'command'],
      Object.entries(results.commands).map(([key, value]) => [key, `\`${value.replaceAll('|', '\\|')}\``]),
    ),
    '',
  );
  if (results.notes?.length) lines.push('## Notes', '', ...results.notes.map((note) => `- ${note}`), '');
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2] ?? 'bench/results.json';
  process.stdout.write(renderReport(JSON.parse(readFileSync(file, 'utf8')), basename(file)));
}
