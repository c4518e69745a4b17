import { Argument, type Command, Option } from 'commander';
import { SwitchboardApiError, SwitchboardClient } from '../../client/index.js';
import { printJson, reportFailure, wholeNumber } from '../run.js';

/** Each endpoint's parameters that `--param` takes; companyId and the key come from --company and --key. */
const PARAMETERS = {
  'is-account': ['email'],
  'person-info': ['talkToMeId', 'email'],
  'out-of-office': ['accountEmail', 'awayFrom', 'awayUntil', 'substitution', 'substitutionChannel'],
  'do-not-disturb': ['accountEmail', 'dnd'],
} as const;

type Endpoint = keyof typeof PARAMETERS;

const EXAMPLES = `
Parameters: is-account email; person-info talkToMeId or email; out-of-office accountEmail,
awayFrom, awayUntil, substitution, substitutionChannel; do-not-disturb accountEmail, dnd (default
true). --company and --key are needed except for person-info by talkToMeId, which is public (given
them, the answer shows the email of your own accounts). Prints the JSON answer; an error answer
is printed too, with its message on stderr and exit code 1.

Examples:
  $ export SWITCHBOARD_API_KEY=...    # instead of --key: keeps the key out of the process list
  $ switchboard call is-account --url http://127.0.0.1:8080 --company $COMPANY -p email=anna@demo.example
  $ switchboard call person-info --url http://127.0.0.1:8080 -p talkToMeId=$TALK_TO_ME
  $ switchboard call out-of-office --url http://127.0.0.1:8080 --company $COMPANY \\
      -p accountEmail=ben@demo.example -p awayFrom=2026-11-25 -p substitution=anna@demo.example`;

interface CallOptions {
  url: string;
  company?: string;
  key?: string;
  hash: 'sha256' | 'md5';
  param?: string[];
  timeout: number;
}

export function callCommand(program: Command): void {
  program
    .command('call')
    .description('call the Accounts API of a running server with a freshly computed token and print the answer')
    .addArgument(new Argument('<endpoint>').choices(Object.keys(PARAMETERS)))
    .requiredOption('--url <url>', 'base URL of the server, e.g. http://127.0.0.1:8080')
    .option('--company <id>', 'your company id')
    .addOption(
      new Option('--key <apiKey>', 'your API key; only the token made from it is sent').env('SWITCHBOARD_API_KEY'),
    )
    .addOption(new Option('--hash <hash>', 'your company’s hash function').choices(['sha256', 'md5']).default('sha256'))
    .option(
      '-p, --param <name=value>',
      'a parameter of the endpoint, e.g. email=anna@demo.example (repeatable)',
      collect,
    )
    .option('--timeout <ms>', 'milliseconds to wait for the answer', wholeNumber('--timeout'), 10_000)
    .addHelpText('after', EXAMPLES)
    .action((endpoint: Endpoint, options: CallOptions) => call(endpoint, options).catch(reportFailure));
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function call(endpoint: Endpoint, options: CallOptions): Promise<void> {
  const params = parseParams(endpoint, options.param ?? []);
  // person-info by talk-to-me id is public; with --company it asks as that company (then email shows for its accounts).
  const isPublic = endpoint === 'person-info' && (params.talkToMeId !== undefined || params.email === undefined);
  const withCredentials = !isPublic || options.company !== undefined;
  if (withCredentials && (options.company === undefined || options.key === undefined)) {
    throw new Error(`${endpoint} needs --company and --key (or SWITCHBOARD_API_KEY).`);
  }
  const common = { baseUrl: options.url, companyId: options.company ?? '', timeoutMs: options.timeout };
  // Without a key only a public lookup is left, which never asks for a token.
  const client =
    options.key === undefined
      ? new SwitchboardClient({ ...common, token: () => Promise.reject(new Error('no --key given')) })
      : new SwitchboardClient({ ...common, apiKey: options.key, hash: options.hash });
  try {
    printJson(await request(client, endpoint, params, withCredentials));
  } catch (error) {
    if (!(error instanceof SwitchboardApiError)) throw error;
    if (error.body) printJson(error.body);
    reportFailure(`${endpoint} answered ${error.status}: ${error.message}`);
  }
}

/**
 * A required parameter left out is sent empty, so the server answers with the contract's 400
 * (`The parameter <name> must be filled.`) rather than the CLI guessing it.
 */
function request(client: SwitchboardClient, endpoint: Endpoint, params: Params, withCredentials: boolean) {
  switch (endpoint) {
    case 'is-account':
      return client.isAccount(params.email ?? '');
    case 'person-info':
      return params.email !== undefined && params.talkToMeId === undefined
        ? client.personInfo({ email: params.email })
        : client.personInfo({ talkToMeId: params.talkToMeId ?? '', withCredentials });
    case 'out-of-office':
      return client.setOutOfOffice({ ...params, accountEmail: params.accountEmail ?? '' });
    case 'do-not-disturb':
      // An empty dnd counts as missing (CONTRACT.md 1), so it is the default true.
      return client.setDoNotDisturb(params.accountEmail ?? '', params.dnd?.trim() ? flag(params.dnd) : true);
  }
}

type Params = Partial<Record<string, string>>;

/** `--param name=value` pairs: each name once, and only the endpoint's own. */
function parseParams(endpoint: Endpoint, pairs: string[]): Params {
  const allowed: readonly string[] = PARAMETERS[endpoint];
  const params: Params = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--param takes name=value, not "${pair}".`);
    const name = pair.slice(0, at);
    if (!allowed.includes(name)) {
      throw new Error(`${endpoint} takes no parameter "${name}"; it takes ${allowed.join(', ')}.`);
    }
    if (params[name] !== undefined) throw new Error(`--param ${name} is given twice.`);
    params[name] = pair.slice(at + 1);
  }
  return params;
}

/** The boolean forms of the contract: true/false, 1/0, yes/no, on/off, any case. */
function flag(value: string): boolean {
  const text = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new Error('The parameter dnd must be a boolean: true/false, 1/0, yes/no or on/off.');
}
