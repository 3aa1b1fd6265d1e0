// `npm run station -- hub join --data <dir> --hub <address> --code <code>`: a stopped stand-alone
// station joins the hub that was made from its own file (`npm run hub -- admin init
// --from-station`, docs/hub.md "Growing from one desk to a hub"). It keeps its station id, its
// journal and its seq numbering; what the hub holds of the journal is marked acknowledged and
// never sent again. Started afterwards, it syncs by itself. (A new, empty station joins with
// `npm run serve -- --join` or the desk's first-run screen instead.)
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ServiceError } from '../../services/errors';
import { openStation } from '../../station/services';
import { joinHubWithOwnLibrary, storeHubCa } from '../../station/sync';
import { isHelpWord, parseCommandLine, printUsage, USAGE_EXIT } from '../args';

const USAGE = `npm run station -- hub join --data <dir> --hub <address> --code <code> [--name "Main desk"] [--hub-ca <file.pem>]
  The station stopped; the code is the one \`npm run hub -- admin init --from-station\` printed.`;

export const command = {
  summary: 'hub join: a stand-alone station joins the hub made from it (docs/hub.md)',
  async run(args: string[]): Promise<number> {
    const [action, ...rest] = args;
    const parsed = parseCommandLine('hub', USAGE, {
      args: rest,
      options: {
        data: { type: 'string' },
        hub: { type: 'string' },
        code: { type: 'string' },
        name: { type: 'string' },
        'hub-ca': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (!parsed) return USAGE_EXIT;
    const { values } = parsed;
    if (values.help || action !== 'join') return printUsage(USAGE, values.help === true || isHelpWord(action));
    if (!values.data || !values.hub || !values.code) {
      console.error(`hub join: --data, --hub and --code are required\n${USAGE}`);
      return USAGE_EXIT;
    }
    if (!/^https?:\/\/\S+$/.test(values.hub)) {
      console.error(`hub join: --hub is the hub's address, http:// or https://\n${USAGE}`);
      return USAGE_EXIT;
    }
    const dir = resolve(values.data);
    const path = join(dir, 'station.db');
    if (!existsSync(path)) {
      console.error(`hub join: no station in ${dir} (no station.db)`);
      return USAGE_EXIT;
    }
    if (values['hub-ca']) {
      try {
        storeHubCa(dir, resolve(values['hub-ca']));
      } catch (error) {
        console.error(`hub join: --hub-ca: ${(error as Error).message}`);
        return USAGE_EXIT;
      }
    }
    const s = openStation(path);
    try {
      const joined = await joinHubWithOwnLibrary(s, {
        hubUrl: values.hub,
        code: values.code,
        stationName: values.name ?? 'desk',
      });
      console.log(
        `joined the hub at ${joined.url} as station ${s.ctx.stationId}: the hub holds this station's journal through entry ${joined.receivedThrough}; start the station and it syncs by itself`,
      );
      return 0;
    } catch (error) {
      if (error instanceof ServiceError) {
        console.error(`hub join: ${error.message}`);
        return 1;
      }
      // The hub's refusal in its own words (a wrong code, the code of another station), or no hub at that address.
      const message = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
      console.error(
        `hub join: ${message}${error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : ''}. Nothing was changed at this station.`,
      );
      return 1;
    } finally {
      s.close();
    }
  },
};
