import { beforeAll, describe, expect, test, vi } from 'vitest';
import { cliActor, cliJson, freshDb, runCli } from './run-cli.js';

// Every CLI run is a process of its own (~0.3 s, several seconds when the machine is busy).
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const ID = /^[A-Z0-9]{26}$/;

interface ChannelJson {
  channelId: string;
  companyId: string;
  name: string;
  members: string[];
}

describe('channel commands', () => {
  let db: string;
  let acme: string;
  let other: string;

  beforeAll(async () => {
    db = freshDb();
    acme = (await cliJson<{ companyId: string }>(['company', 'create', '--name', 'Acme'], { db })).companyId;
    other = (await cliJson<{ companyId: string }>(['company', 'create', '--name', 'Other'], { db })).companyId;
    for (const email of ['anna@acme.example', 'ben@acme.example', 'Carla@acme.example']) {
      await cliJson(['account', 'create', '--email', email, '--name', email, '--company', acme], { db });
    }
    await cliJson(['account', 'create', '--email', 'olga@other.example', '--name', 'Olga', '--company', other], { db });
    await cliJson(['account', 'create', '--email', 'nomad@example.com', '--name', 'Nomad'], { db });
  });

  test('create prints exactly channelId, companyId, name and the members’ emails', async () => {
    const result = await runCli(
      [
        'channel',
        'create',
        '--company',
        acme,
        '--name',
        'Support',
        '--member',
        'ben@acme.example',
        '--member',
        'ANNA@acme.example',
      ],
      { db },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const json = JSON.parse(result.stdout) as ChannelJson;
    expect(Object.keys(json)).toEqual(['channelId', 'companyId', 'name', 'members']);
    expect(json).toEqual({
      channelId: expect.stringMatching(ID),
      companyId: acme,
      name: 'Support',
      members: ['anna@acme.example', 'ben@acme.example'],
    });
  });

  test('create without members, by a lower-case company identifier', async () => {
    const json = await cliJson<ChannelJson>(['channel', 'create', '--company', acme.toLowerCase(), '--name', 'Empty'], {
      db,
    });
    expect(json).toEqual({ channelId: expect.stringMatching(ID), companyId: acme, name: 'Empty', members: [] });
  });

  test('add-member and remove-member print the channel with its new members', async () => {
    const channel = await cliJson<ChannelJson>(
      ['channel', 'create', '--company', acme, '--name', 'Sales', '--member', 'anna@acme.example'],
      { db },
    );
    const added = await runCli(['channel', 'add-member', channel.channelId, 'carla@ACME.example'], { db });
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(added.stdout)).toEqual({
      channelId: channel.channelId,
      companyId: acme,
      name: 'Sales',
      members: ['anna@acme.example', 'Carla@acme.example'],
    });
    // Adding a member twice changes nothing.
    expect(await cliJson(['channel', 'add-member', channel.channelId, 'carla@acme.example'], { db })).toMatchObject({
      members: ['anna@acme.example', 'Carla@acme.example'],
    });
    const removed = await runCli(['channel', 'remove-member', channel.channelId.toLowerCase(), 'anna@acme.example'], {
      db,
    });
    expect(removed).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(removed.stdout)).toEqual({
      channelId: channel.channelId,
      companyId: acme,
      name: 'Sales',
      members: ['Carla@acme.example'],
    });
    const listed = await cliJson<ChannelJson[]>(['channel', 'list', '--company', acme], { db });
    expect(listed.find((row) => row.channelId === channel.channelId)).toEqual(JSON.parse(removed.stdout));
  });

  test('list prints the company’s channels with their members, and no other company’s', async () => {
    const company = (await cliJson<{ companyId: string }>(['company', 'create', '--name', 'Lister'], { db })).companyId;
    expect(await runCli(['channel', 'list', '--company', company], { db })).toEqual({
      code: 0,
      stdout: '[]\n',
      stderr: '',
    });
    await cliJson(['account', 'create', '--email', 'l1@lister.example', '--name', 'L1', '--company', company], { db });
    const first = await cliJson<ChannelJson>(
      ['channel', 'create', '--company', company, '--name', 'First', '--member', 'l1@lister.example'],
      { db },
    );
    const second = await cliJson<ChannelJson>(['channel', 'create', '--company', company, '--name', 'Second'], { db });
    const list = await cliJson<ChannelJson[]>(['channel', 'list', '--company', company], { db });
    expect(list).toHaveLength(2);
    expect(list).toEqual(expect.arrayContaining([first, second]));
    expect(first.members).toEqual(['l1@lister.example']);
  });

  test.each([
    ['olga@other.example', 'switchboard: Invalid member olga@other.example: the account belongs to another company.\n'],
    ['nomad@example.com', 'switchboard: Invalid member nomad@example.com: the account belongs to another company.\n'],
    ['ghost@acme.example', 'switchboard: No account ghost@acme.example.\n'],
  ])('create refuses the member %s and creates no channel', async (member, message) => {
    const before = await cliJson<ChannelJson[]>(['channel', 'list', '--company', acme], { db });
    const result = await runCli(
      [
        'channel',
        'create',
        '--company',
        acme,
        '--name',
        'Refused',
        '--member',
        'anna@acme.example',
        '--member',
        member,
      ],
      { db },
    );
    expect(result).toEqual({ code: 1, stdout: '', stderr: message });
    expect(await cliJson(['channel', 'list', '--company', acme], { db })).toEqual(before);
  });

  test('create refuses an unknown company and an empty name', async () => {
    expect(await runCli(['channel', 'create', '--company', 'NOPE', '--name', 'X'], { db })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: No company NOPE.\n',
    });
    expect(await runCli(['channel', 'create', '--company', acme, '--name', ' '], { db })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: Invalid name: it must not be empty.\n',
    });
  });

  test('create requires --company and --name', async () => {
    for (const [args, option] of [
      [['--name', 'X'], '--company <companyId>'],
      [['--company', acme], '--name <name>'],
    ] as const) {
      const result = await runCli(['channel', 'create', ...args], { db });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`required option '${option}' not specified`);
    }
  });

  test('add-member refuses a member of another company, an unknown account and an unknown channel', async () => {
    const channel = await cliJson<ChannelJson>(['channel', 'create', '--company', acme, '--name', 'Guarded'], { db });
    expect(await runCli(['channel', 'add-member', channel.channelId, 'olga@other.example'], { db })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: Invalid member olga@other.example: the account belongs to another company.\n',
    });
    expect(await runCli(['channel', 'add-member', channel.channelId, 'ghost@acme.example'], { db })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: No account ghost@acme.example.\n',
    });
    expect(await runCli(['channel', 'add-member', 'NOSUCHCHANNEL', 'anna@acme.example'], { db })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: No channel NOSUCHCHANNEL.\n',
    });
    expect(await runCli(['channel', 'remove-member', 'NOSUCHCHANNEL', 'anna@acme.example'], { db })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: No channel NOSUCHCHANNEL.\n',
    });
    const list = await cliJson<ChannelJson[]>(['channel', 'list', '--company', acme], { db });
    expect(list.find((row) => row.channelId === channel.channelId)?.members).toEqual([]);
  });

  test('list of an unknown company fails with exit code 1', async () => {
    expect(await runCli(['channel', 'list', '--company', 'NOPE'], { db })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: No company NOPE.\n',
    });
  });

  test('membership changes are in the audit trail with the actor cli:<user>', async () => {
    const channel = await cliJson<ChannelJson>(
      ['channel', 'create', '--company', other, '--name', 'Audited', '--member', 'olga@other.example'],
      { db },
    );
    await cliJson(['channel', 'remove-member', channel.channelId, 'olga@other.example'], { db });
    await cliJson(['channel', 'add-member', channel.channelId, 'olga@other.example'], { db });
    const entries = await cliJson<Record<string, unknown>[]>(['audit', '--company', other, '--limit', '3'], { db });
    expect(entries).toEqual([
      {
        id: expect.any(Number),
        at: expect.any(String),
        actor: cliActor(),
        action: 'channel.member.add',
        companyId: other,
        subject: `channel:${channel.channelId}`,
        before: { members: [] },
        after: { members: ['olga@other.example'] },
      },
      expect.objectContaining({
        actor: cliActor(),
        action: 'channel.member.remove',
        before: { members: ['olga@other.example'] },
        after: { members: [] },
      }),
      expect.objectContaining({ actor: cliActor(), action: 'channel.create', subject: `channel:${channel.channelId}` }),
    ]);
    for (const entry of entries) expect(String(entry.actor)).toMatch(/^cli:/);
  });
});
