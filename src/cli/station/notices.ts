// `npm run station -- notices <run|letters|status> --data <dir>`: the notice pass of a stopped
// station's data folder, from a script or cron (the running station does the same every few
// minutes, and Settings › Notices has "Send now"). `run` makes the notices that are due and sends
// the queued email through the library's SMTP server; only the station named as the notice
// sender does anything (docs/notices.md). `letters` writes the letters waiting to be printed as
// one HTML page, one letter a page, for window envelopes; staff mark them printed at the desk.
import { writeFileSync } from 'node:fs';
import { openDataFolder, outputFile, runCli, UsageError } from './common';
import { isHelpWord, parseCommandLine, printUsage, USAGE_EXIT } from '../args';

const USAGE = `npm run station -- notices run --data <dir> [--json]
npm run station -- notices letters --data <dir> --out <letters.html>
npm run station -- notices status --data <dir> [--json]
  See docs/notices.md.`;

export const command = {
  summary: 'notices to patrons: run the notice pass now, write the letters to print, status (docs/notices.md)',
  async run(args: string[]): Promise<number> {
    const [action, ...rest] = args;
    return runCli(async () => {
      const parsed = parseCommandLine('npm run station', USAGE, {
        args: rest,
        options: {
          data: { type: 'string' },
          out: { type: 'string' },
          json: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
      });
      if (!parsed) return USAGE_EXIT;
      const { values } = parsed;
      if (values.help || !action || isHelpWord(action)) return printUsage(USAGE, Boolean(action));
      if (!['run', 'letters', 'status'].includes(action))
        throw new UsageError(`notices: no action "${action}"\n${USAGE}`);
      const out = action === 'letters' ? outputFile(values.out, '--out <file.html>') : null;
      const s = openDataFolder(values.data);
      try {
        if (!s.admin.isConfigured())
          throw new UsageError('this station is not set up yet: set it up (the desk, or npm run serve) first');
        if (action === 'run') {
          const result = await s.notices.run();
          if (values.json) console.log(JSON.stringify(result));
          else if (result.skipped === 'disabled') console.log('Notices are turned off (Settings › Notices).');
          else if (result.skipped === 'not_sender')
            console.log(
              "Another station sends this library's notices (Settings › Notices names it); nothing done here.",
            );
          else {
            console.log(
              `${result.created} new, ${result.sent} emailed, ${result.waiting} email waiting, ${result.toPrint} letters to print, ${result.failed + result.uncertain} for staff to look at.`,
            );
            if (result.waiting > 0 && result.lastError) console.log(`The mail server said: ${result.lastError}`);
          }
          return 0;
        }
        if (action === 'letters') {
          const page = s.notices.lettersPage();
          writeFileSync(out!, page.html);
          console.log(
            `${page.ids.length} letters written to ${out}. Mark them printed at the desk (Settings › Notices) once they are out.`,
          );
          return 0;
        }
        const counts = s.notices.counts();
        const settings = s.notices.settings();
        const status = { enabled: settings.enabled, isSender: s.notices.isSender(settings), ...counts };
        console.log(
          values.json
            ? JSON.stringify(status)
            : Object.entries(status)
                .map(([k, v]) => `${k}: ${String(v)}`)
                .join('\n'),
        );
        return 0;
      } finally {
        s.close();
      }
    });
  },
};
