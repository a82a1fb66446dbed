import { parseArgs } from 'node:util';
import { DEV_CLIENTS_FILE } from '@esign/identity/config';
import { callbackSecret } from './commands/callback-secret.js';
import { addClient, listClients, revokeClient, rotateClient } from './commands/clients.js';
import { doctor } from './commands/doctor.js';
import { findOrders, listOrders } from './commands/orders.js';
import { redrive } from './commands/redrive.js';
import { createContext, type OpsContext } from './context.js';
import { OpsError, type Io, type Outcome } from './output.js';
import { collectTimeline } from './timeline/collect.js';
import { renderTimeline } from './timeline/render.js';

export const USAGE = `usage: npm run ops -- <command> [options]      (every command takes --json)

  orders list [--merchant M] [--status S] [--client-reference R] [--limit N]
                                      orders by the Sign* search attributes, newest first
  orders find <order id | client reference> [--limit N]
  timeline <orderId>                  events, notification deliveries with their attempts, workflows with UI links
  redrive <deliveryId> [--wait] [--force]
                                      send a failed notification delivery again, as a new delivery
  clients list                        merchant API clients of the identity service's clients file
  clients add <clientId> --merchant M --name N [--secret-stdin]
  clients rotate <clientId> [--secret-stdin]
  clients revoke <clientId>           (clients commands: --file F, default IDENTITY_CLIENTS_FILE)
  callback-secret <merchantId>        the key the merchant verifies URL callbacks with
  doctor                              configuration and every dependency, with a verdict each

Environment: the services' own variables (TEMPORAL_ADDRESS, REDIS_URL, …), TEMPORAL_UI_URL, IDENTITY_CLIENTS_FILE.
Exit codes: 0 done, 1 failed, 2 usage.`;

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  merchant: { type: 'string' },
  status: { type: 'string' },
  'client-reference': { type: 'string' },
  limit: { type: 'string' },
  wait: { type: 'boolean' },
  force: { type: 'boolean' },
  file: { type: 'string' },
  name: { type: 'string' },
  'secret-stdin': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {}

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

async function secretFrom(io: Io, v: Values): Promise<string | undefined> {
  if (!v['secret-stdin']) return undefined;
  if (!io.stdin) throw new UsageError('--secret-stdin: no standard input to read');
  const secret = (await io.stdin()).replace(/\r?\n$/, '');
  if (secret.length < 8) throw new UsageError('a client secret needs at least 8 characters');
  return secret;
}

async function dispatch(ctx: OpsContext, io: Io, args: string[], v: Values): Promise<Outcome> {
  const [command, sub, arg] = args;
  const limit = v.limit ? Number(v.limit) : 50;
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
  const file = () => {
    const name = v.file ?? ctx.settings().IDENTITY_CLIENTS_FILE;
    // The shipped dev file is tracked by git: a change there is easy to commit by accident.
    if (name === DEV_CLIENTS_FILE && sub !== 'list')
      io.err(`ops: changing the dev clients file shipped in the repository (${name})\n`);
    return name;
  };
  switch (`${command} ${command === 'orders' || command === 'clients' ? sub : ''}`.trim()) {
    case 'orders list':
      return listOrders(
        ctx,
        { merchantId: v.merchant, status: v.status, clientReference: v['client-reference'] },
        limit,
      );
    case 'orders find':
      return findOrders(ctx, need(arg, 'an order id or client reference'), limit);
    case 'timeline': {
      const timeline = await collectTimeline(ctx, need(sub, 'an order id'));
      return { ok: true, json: timeline, text: renderTimeline(timeline) };
    }
    case 'redrive':
      return redrive(ctx, need(sub, 'a delivery id'), { wait: v.wait ?? false, force: v.force ?? false });
    case 'clients list':
      return listClients(file());
    case 'clients add':
      return addClient(file(), {
        clientId: need(arg, 'a client id'),
        merchantId: need(v.merchant, '--merchant'),
        name: need(v.name, '--name'),
        secret: await secretFrom(io, v),
      });
    case 'clients rotate':
      return rotateClient(file(), need(arg, 'a client id'), await secretFrom(io, v));
    case 'clients revoke':
      return revokeClient(file(), need(arg, 'a client id'));
    case 'callback-secret':
      return callbackSecret(ctx, need(sub, 'a merchant id'));
    case 'doctor':
      return doctor(ctx);
    default:
      throw new UsageError(command ? `unknown command: ${args.slice(0, 2).join(' ')}` : 'no command');
  }
}

/**
 * The arguments as parseArgs reads them, where an id may begin with `-` (order ids are base64url: `-e3F…`): every
 * argument that is not one of OPTIONS (or a string option's value, joined as `--name=value`) is a positional, and
 * they all follow `--`, in their order.
 */
export function withIdsAsPositionals(argv: string[]): string[] {
  const options: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const long = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : undefined;
    const option = long !== undefined ? OPTIONS[long as keyof typeof OPTIONS] : undefined;
    if (arg === '-h' || (long !== undefined && (!option || option.type === 'boolean' || arg.includes('=')))) {
      // Unknown long options stay options, so parseArgs refuses them by name.
      options.push(arg);
    } else if (option?.type === 'string') {
      options.push(i + 1 < argv.length ? `${arg}=${argv[++i]!}` : arg);
    } else positionals.push(arg);
  }
  return [...options, '--', ...positionals];
}

/** Runs one command; answers the exit code. `env` is the services' environment (config is read from it). */
export async function runOps(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: withIdsAsPositionals(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const ctx = createContext(env);
  try {
    const outcome = await dispatch(ctx, io, positionals, values);
    io.out(`${values.json ? JSON.stringify(outcome.json, null, 2) : outcome.text}\n`);
    return outcome.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    const details = err instanceof OpsError ? err.details : {};
    if (values.json) io.out(`${JSON.stringify({ ok: false, error: message, ...details }, null, 2)}\n`);
    io.err(`ops: ${message}\n`);
    return 1;
  } finally {
    await ctx.close();
  }
}
