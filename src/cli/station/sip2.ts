// `npm run station -- sip2 <add-account|list|remove> --data <dir> ...`: the SIP2 accounts of a
// stopped station's data folder (the desk's Settings › SIP2 does the same while it runs).
//
// On a station of its own the change is signed by the station (whoever holds its folder holds its
// key). A station joined to a hub needs an administrator's name and password (`--admin`, the
// password in CIRCA_ADMIN_PASSWORD or `--admin-password`): the hub takes SIP2 accounts only from
// an administrator, and so accepts what those accounts' self-checks do.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_SIP2_CAPABILITIES, SIP2_CAPABILITIES, type Sip2Capability } from '../../domain/sip2-capabilities';
import type { Actor } from '../../services/command';
import { ServiceError } from '../../services/errors';
import { openStation, type StationServices } from '../../station/services';
import { isHelpWord, parseCommandLine, printUsage, USAGE_EXIT } from '../args';

const USAGE = `npm run station -- sip2 add-account --data <dir> --login <id> --password <pw> --branch <code> [--allow ${SIP2_CAPABILITIES.join(',')}] [--require-pin] [--checksums]
npm run station -- sip2 list --data <dir> [--json]
npm run station -- sip2 remove --data <dir> --login <id>
  On a station joined to a hub, add --admin <username> (password in CIRCA_ADMIN_PASSWORD, or --admin-password).
  --allow defaults to ${DEFAULT_SIP2_CAPABILITIES.join(',')}. See docs/sip2.md.`;

export const command = {
  summary: 'SIP2 accounts for self-checks and sorters: add-account, list, remove (docs/sip2.md)',
  async run(args: string[]): Promise<number> {
    const [action, ...rest] = args;
    const parsed = parseCommandLine('sip2', USAGE, {
      args: rest,
      options: {
        data: { type: 'string' },
        login: { type: 'string' },
        password: { type: 'string' },
        branch: { type: 'string' },
        allow: { type: 'string' },
        'require-pin': { type: 'boolean' },
        checksums: { type: 'boolean' },
        admin: { type: 'string' },
        'admin-password': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (!parsed) return USAGE_EXIT;
    const { values } = parsed;
    if (values.help || !action || isHelpWord(action)) return printUsage(USAGE, Boolean(action));
    if (!values.data) {
      console.error(`sip2: --data <dir> names the station's data folder\n${USAGE}`);
      return USAGE_EXIT;
    }
    const dbPath = join(resolve(values.data), 'station.db');
    if (!existsSync(dbPath)) {
      console.error(`sip2: no station in ${resolve(values.data)} (no station.db): start it once and set it up first`);
      return USAGE_EXIT;
    }
    let s: StationServices;
    try {
      s = openStation(dbPath);
    } catch (error) {
      console.error(
        `sip2: the station's folder could not be opened (is the station running?): ${(error as Error).message}`,
      );
      return 1;
    }
    try {
      if (!s.admin.isConfigured()) {
        console.error('sip2: this station is not set up yet: set it up (the desk, or npm run serve) first');
        return USAGE_EXIT;
      }
      switch (action) {
        case 'add-account':
          return await addAccount(s, values);
        case 'list':
          return list(s, values.json === true);
        case 'remove':
          return await remove(s, values);
        default:
          console.error(`sip2: no action "${action}"\n${USAGE}`);
          return USAGE_EXIT;
      }
    } catch (error) {
      if (error instanceof ServiceError) {
        console.error(`sip2: ${error.message}`);
        return USAGE_EXIT;
      }
      throw error;
    } finally {
      // The administrator's sign-in was for this one change: its session ends with it.
      if (adminSession) s.auth.signOut(adminSession);
      adminSession = null;
      s.close();
    }
  },
};

type Values = Record<string, string | boolean | undefined>;

/** The session `--admin` opened, signed out when the command ends. */
let adminSession: string | null = null;

/** Who signs the change: an administrator when named (needed on a hub), else the station. */
async function actorFor(s: StationServices, values: Values): Promise<Actor | null> {
  const admin = values.admin as string | undefined;
  if (!admin) {
    if (s.ctx.readState('hub_url') !== null) {
      console.error(
        'sip2: this station is joined to a hub, which takes SIP2 accounts only from an administrator: add --admin <username> (password in CIRCA_ADMIN_PASSWORD)',
      );
      return null;
    }
    return { kind: 'system', staffId: null };
  }
  const password = (values['admin-password'] as string | undefined) ?? process.env.CIRCA_ADMIN_PASSWORD;
  if (!password) {
    console.error('sip2: --admin needs the password in CIRCA_ADMIN_PASSWORD (or --admin-password)');
    return null;
  }
  const signedIn = await s.auth.signIn(admin, password);
  if (!signedIn.permissions.includes('settings')) {
    console.error(`sip2: ${admin} may not change the library's settings`);
    return null;
  }
  adminSession = signedIn.token;
  return { kind: 'staff', staffId: signedIn.staff.id, sessionToken: signedIn.token };
}

async function addAccount(s: StationServices, values: Values): Promise<number> {
  const login = values.login as string | undefined;
  const password = values.password as string | undefined;
  const branchCode = values.branch as string | undefined;
  if (!login || !password || !branchCode) {
    console.error(`sip2 add-account needs --login, --password and --branch\n${USAGE}`);
    return 2;
  }
  const branch = [...s.ctx.config.get().branches.values()].find(
    (b) => b.code.toUpperCase() === branchCode.toUpperCase(),
  );
  if (!branch) {
    console.error(
      `sip2: no branch with the code ${branchCode} (the branches: ${[...s.ctx.config.get().branches.values()].map((b) => b.code).join(', ')})`,
    );
    return 2;
  }
  const allowed = values.allow
    ? (values.allow as string)
        .split(',')
        .map((w) => w.trim())
        .filter(Boolean)
    : DEFAULT_SIP2_CAPABILITIES;
  const unknown = allowed.filter((c) => !(SIP2_CAPABILITIES as readonly string[]).includes(c));
  if (unknown.length > 0) {
    console.error(`sip2: --allow names ${unknown.join(', ')}; the permissions are ${SIP2_CAPABILITIES.join(', ')}`);
    return 2;
  }
  const actor = await actorFor(s, values);
  if (!actor) return 2;
  const existing = s.sip2.byLogin(login);
  const account = s.sip2.save(
    {
      id: existing?.id ?? null,
      login,
      password,
      branchId: branch.id,
      allowed: allowed as Sip2Capability[],
      requirePin: values['require-pin'] === true,
      errorDetection: values.checksums === true,
      active: true,
    },
    actor,
  );
  // Never the password, not even masked.
  console.log(
    `SIP2 account ${account.login} ${existing ? 'updated' : 'added'} for branch ${branch.code}: ${account.allowed.join(', ')}`,
  );
  noteStationSigned(actor);
  return 0;
}

function list(s: StationServices, json: boolean): number {
  const cfg = s.ctx.config.get();
  const accounts = s.sip2.list().map((a) => ({ ...a, branch: cfg.branches.get(a.branchId)?.code ?? a.branchId }));
  if (json) {
    console.log(JSON.stringify(accounts));
    return 0;
  }
  if (accounts.length === 0) console.log('No SIP2 accounts.');
  for (const a of accounts) {
    console.log(
      `${a.login.padEnd(20)} ${a.branch.padEnd(8)} ${a.active ? 'active ' : 'removed'} ${a.allowed.join(',')}${a.requirePin ? ' require-pin' : ''}${a.errorDetection ? ' checksums' : ''}`,
    );
  }
  return 0;
}

async function remove(s: StationServices, values: Values): Promise<number> {
  const login = values.login as string | undefined;
  if (!login) {
    console.error(`sip2 remove needs --login\n${USAGE}`);
    return 2;
  }
  const account = s.sip2.byLogin(login);
  if (!account) {
    console.error(`sip2: no SIP2 account ${login}`);
    return 2;
  }
  const actor = await actorFor(s, values);
  if (!actor) return 2;
  s.sip2.remove(account.id, actor);
  console.log(`SIP2 account ${login} removed: it can no longer log in`);
  noteStationSigned(actor);
  return 0;
}

/**
 * A change signed by the station alone is this stand-alone station's own: a hub made later from
 * this station (`npm run hub -- admin init --from-station`) takes it as such (src/hub/authority.ts,
 * foundingSignerOf), but it names no administrator in the audit trail. Said, so IT knows.
 */
function noteStationSigned(actor: Actor): void {
  if (actor.kind !== 'system') return;
  console.log(
    "Signed by this station, not by an administrator: a hub made from this station later (npm run hub -- admin init --from-station) takes it as the station's own. Add --admin <username> (password in CIRCA_ADMIN_PASSWORD) to sign it as an administrator.",
  );
}
