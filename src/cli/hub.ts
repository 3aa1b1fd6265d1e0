// `npm run hub -- --data <dir> --port <port>`: the hub, on embedded PGlite in <dir> by default,
// on PostgreSQL when DATABASE_URL is set. `--cert <file> --key <file>` serves HTTPS.
// `npm run hub -- admin <command>` sets the library up:
//   admin init --library "County Library" [--currency USD] [--locale en-US]
//   admin add-branch --code MAIN --name "Main Library" --tz America/New_York
//   admin add-admin --branch MAIN --username alice --name "Alice A" --password "..."
//   admin enrol-station --branch MAIN        (prints a one-time code, valid 24 hours)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateHub, openHubDb } from '../hub/db';
import { Hub } from '../hub/hub';
import { createHubServer } from '../hub/server';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string', default: './hub-data' },
    port: { type: 'string', default: '7400' },
    host: { type: 'string', default: '127.0.0.1' },
    cert: { type: 'string' },
    key: { type: 'string' },
    library: { type: 'string' },
    currency: { type: 'string' },
    locale: { type: 'string' },
    code: { type: 'string' },
    name: { type: 'string' },
    tz: { type: 'string' },
    branch: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
  },
});

const db = await openHubDb({ dataDir: resolve(values.data!), databaseUrl: process.env.DATABASE_URL ?? null });
await migrateHub(db);
const hub = new Hub(db);

function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== 'string' || !v) {
    console.error(`--${name} is required`);
    process.exit(2);
  }
  return v;
}

if (positionals[0] === 'admin') {
  switch (positionals[1]) {
    case 'init':
      await hub.init({ libraryName: need('library'), currency: values.currency, locale: values.locale });
      console.log('library created');
      break;
    case 'add-branch':
      console.log(`branch ${await hub.addBranch({ code: need('code'), name: need('name'), timeZone: need('tz') })}`);
      break;
    case 'add-admin':
      await hub.init({ libraryName: await hub.libraryName(), admin: { branchCode: need('branch'), username: need('username'), displayName: values.name ?? need('username'), password: need('password') } });
      console.log('administrator created');
      break;
    case 'enrol-station':
      console.log(`one-time enrolment code (24 hours): ${await hub.createEnrolmentCode(need('branch'))}`);
      break;
    default:
      console.error('admin commands: init, add-branch, add-admin, enrol-station');
      process.exitCode = 2;
  }
  await db.close();
} else {
  const https = values.cert && values.key ? { cert: readFileSync(values.cert), key: readFileSync(values.key) } : null;
  const app = await createHubServer({ hub, https });
  await app.listen({ host: values.host!, port: Number(values.port) });
  console.log(`Circa hub on ${https ? 'https' : 'http'}://${values.host}:${values.port}/ (${db.kind})`);
  const stop = async () => {
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
