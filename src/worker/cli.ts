/**
 * The `mission-control` command: `serve` runs the worker; `keys` manages API keys in the
 * data directory's catalog; `config check` validates a configuration file; `inventory import|export`
 * provisions the inventory from YAML and writes it back.
 *
 * Only results go to stdout (the key from `keys create`, the listing, the resolved config),
 * so they can be piped; everything said to a person goes to stderr.
 */
import { readFileSync, writeFileSync } from 'node:fs';

import { Command, CommanderError } from 'commander';

import { openCatalog } from './catalog/db';
import { KeyInfo, ScopeError, createKey, listKeys, parseScopes, revokeKey } from './catalog/keys';
import { CONFIG_FILE_ENV, CONFIG_OVERRIDES, ConfigError, ConfigFlags, configReloader, loadConfig } from './config/load';
import { WorkerConfig } from './config/schema';
import { InventoryError } from './inventory/errors';
import { InventoryService } from './inventory/service';
import { describeFaults, exportInventory, importInventory } from './inventory/yaml';

export interface RunWorkerOptions {
  demo: boolean;
  /** Reads the same file, environment and flags again (SIGHUP); throws ConfigError if the file is now wrong. */
  reloadConfig: () => WorkerConfig;
}

export type RunWorker = (config: WorkerConfig, opts: RunWorkerOptions) => Promise<void>;

/** What the CLI touches outside itself; tests replace parts of it. */
export interface CliDeps {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  runWorker: RunWorker;
  setExitCode: (code: number) => void;
}

/** A failure the operator caused and can fix from the message alone: no stack trace. */
class CliError extends Error {}

/** Runs the command line (`argv` as in process.argv) and resolves to the exit code, also passed to setExitCode. */
export async function main(argv: readonly string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const io: CliDeps = {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    runWorker: defaultRunWorker,
    setExitCode: (code) => {
      process.exitCode = code;
    },
    ...deps,
  };
  const code = await run(argv, io);
  io.setExitCode(code);
  return code;
}

async function run(argv: readonly string[], io: CliDeps): Promise<number> {
  try {
    await program(io).parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already printed the help or the usage error.
      return e.exitCode;
    }
    if (e instanceof ConfigError) {
      io.stderr(`${e.message}\n`);
    } else if (e instanceof CliError || e instanceof ScopeError) {
      io.stderr(`error: ${e.message}\n`);
    } else {
      io.stderr(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
    return 1;
  }
}

const defaultRunWorker: RunWorker = (config, opts) => {
  // Loaded here rather than imported above, so `keys` and `config` start without loading the store and servers.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const worker = require('./main') as typeof import('./main');
  return worker.runWorker(config, opts);
};

function envNote(flag: keyof ConfigFlags): string {
  const env = CONFIG_OVERRIDES.find((o) => o.flag === flag)?.env;
  return env ? ` (env ${env})` : '';
}

function program(io: CliDeps): Command {
  const root = new Command('mission-control')
    .description('Mission Control worker: metrics ingest, rollups, storage, alerting, probes and inventory.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  const configOption = ['--config <file>', `YAML configuration file (env ${CONFIG_FILE_ENV})`] as const;
  const dataDirOption = ['--data-dir <dir>', `data directory${envNote('dataDir')}`] as const;

  root
    .command('serve')
    .description('run the worker')
    .option(...configOption)
    .option(...dataDirOption)
    .option('--http <host:port>', `HTTP API address${envNote('http')}`)
    .option('--statsd <host:port>', `statsd UDP and TCP address${envNote('statsd')}`)
    .option('--graphite <host:port>', `Graphite plaintext address${envNote('graphite')}`)
    .option('--log-level <level>', `fatal, error, warn, info, debug, trace or silent${envNote('logLevel')}`)
    .option('--demo', 'also generate demo metrics, events and inventory')
    .action(async (opts: ConfigFlags & { demo?: boolean }) => {
      const { demo, ...flags } = opts;
      const loadOpts = { env: io.env, flags };
      const config = loadConfig(loadOpts);
      await io.runWorker(config, { demo: demo === true, reloadConfig: configReloader(loadOpts) });
    });

  const keys = root.command('keys').description('manage API keys');
  const catalogFor = (flags: ConfigFlags) =>
    openCatalog(loadConfig({ env: io.env, flags }).dataDir, { durableCommits: true });

  keys
    .command('create')
    .description('create a key and print it on stdout; it is shown this once')
    .requiredOption('--scopes <list>', 'comma-separated: ingest, read, admin (admin implies the others)')
    .option('--name <name>', 'what the key is for')
    .option(...dataDirOption)
    .option(...configOption)
    .action((opts: ConfigFlags & { scopes: string; name?: string }) => {
      const scopes = parseScopes(opts.scopes);
      const db = catalogFor(opts);
      try {
        const { id, key } = createKey(db, { scopes, name: opts.name });
        io.stdout(`${key}\n`);
        io.stderr(`created key ${id} (${scopes.join(', ')}); store it now, it cannot be shown again\n`);
      } finally {
        db.close();
      }
    });

  keys
    .command('list')
    .description('list keys (never the keys themselves)')
    .option(...dataDirOption)
    .option(...configOption)
    .option('--json', 'print JSON')
    .action((opts: ConfigFlags & { json?: boolean }) => {
      const db = catalogFor(opts);
      try {
        const all = listKeys(db);
        if (opts.json) {
          io.stdout(`${JSON.stringify(all, null, 2)}\n`);
        } else if (all.length === 0) {
          io.stderr('no API keys\n');
        } else {
          io.stdout(keyTable(all));
        }
      } finally {
        db.close();
      }
    });

  keys
    .command('revoke')
    .description('delete a key; a running worker may honour it for a few more seconds')
    .argument('<id>', 'the id shown by keys create and keys list')
    .option(...dataDirOption)
    .option(...configOption)
    .action((id: string, opts: ConfigFlags) => {
      const db = catalogFor(opts);
      try {
        if (!revokeKey(db, id)) {
          throw new CliError(`no key with id ${id}`);
        }
        io.stderr(`revoked key ${id}\n`);
      } finally {
        db.close();
      }
    });

  root
    .command('config')
    .description('configuration files')
    .command('check')
    .description('validate a configuration file, with the environment applied; exit code 1 if it is wrong')
    .option(...configOption)
    .option('--print', 'print the resolved configuration as JSON')
    .action((opts: { config?: string; print?: boolean }) => {
      const file = opts.config ?? io.env[CONFIG_FILE_ENV];
      if (!file) {
        throw new CliError(`no configuration file: pass --config FILE or set ${CONFIG_FILE_ENV}`);
      }
      const config = loadConfig({ file, env: io.env });
      if (opts.print) {
        io.stdout(`${JSON.stringify(config, null, 2)}\n`);
      }
      io.stderr(`${file}: OK\n`);
    });

  const inventory = root.command('inventory').description('the inventory of servers, applications and DNS aliases');
  inventory
    .command('import')
    .description('make the inventory what the YAML file says, all or nothing; what the file lacks is deleted')
    .argument('<file>', 'the inventory YAML file')
    .option(...dataDirOption)
    .option(...configOption)
    .option('--dry-run', 'only report what would change')
    .action((file: string, opts: ConfigFlags & { dryRun?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
      }
      const db = catalogFor(opts);
      try {
        const actor = { name: 'cli', ...(io.env.USER ? { user: io.env.USER } : {}) };
        const result = importInventory(new InventoryService(db), text, actor, opts.dryRun === true);
        for (const c of result.changes) io.stderr(`${c.action} ${c.entity}\n`);
        const verb = opts.dryRun ? 'would change' : 'changed';
        io.stderr(`${file}: ${verb} ${result.changes.length}, ${result.unchanged} unchanged\n`);
      } catch (e) {
        if (e instanceof InventoryError) throw new CliError(`the inventory is unchanged:\n${describeFaults(file, e)}`);
        throw e;
      } finally {
        db.close();
      }
    });
  inventory
    .command('export')
    .description('write the whole inventory as YAML, in the form import reads back unchanged')
    .argument('<file>', 'where to write it; "-" for stdout')
    .option(...dataDirOption)
    .option(...configOption)
    .action((file: string, opts: ConfigFlags) => {
      const db = catalogFor(opts);
      try {
        const text = exportInventory(new InventoryService(db));
        if (file === '-') {
          io.stdout(text);
        } else {
          writeFileSync(file, text);
          io.stderr(`wrote ${file}\n`);
        }
      } finally {
        db.close();
      }
    });

  return root;
}

function keyTable(keys: KeyInfo[]): string {
  const time = (ms: number | undefined) => (ms === undefined ? 'never' : new Date(ms).toISOString().slice(0, 19) + 'Z');
  const rows = [
    ['ID', 'SCOPES', 'CREATED', 'LAST USED', 'NAME'],
    ...keys.map((k) => [k.id, k.scopes.join(','), time(k.createdAt), time(k.lastUsedAt), k.name ?? '']),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows
    .map(
      (r) =>
        r
          .map((cell, col) => cell.padEnd(widths[col]!))
          .join('  ')
          .trimEnd() + '\n'
    )
    .join('');
}
